// @ffmpeg/core 0.12.10: an Emscripten build of ffmpeg and ffprobe (src/video-worker/ffmpeg.ts boots it).
declare module '@ffmpeg/core' {
  export interface FFmpegCore {
    exec(...args: string[]): number;
    ffprobe(...args: string[]): number;
    setLogger(logger: (entry: { type: 'stdout' | 'stderr'; message: string }) => void): void;
    setTimeout(ms: number): void;
    reset(): void;
    FS: {
      writeFile(path: string, data: Uint8Array): void;
      readFile(path: string): Uint8Array;
      readdir(path: string): string[];
      unlink(path: string): void;
      mkdir(path: string): void;
      rmdir(path: string): void;
      stat(path: string): { size: number };
    };
  }
  const createFFmpegCore: (options: object) => Promise<FFmpegCore>;
  export default createFFmpegCore;
}
