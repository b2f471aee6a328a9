/**
 * ffmpeg and ffprobe in WASM (@ffmpeg/core 0.12.10), one instance per isolate. A run writes its input into the
 * instance's in-memory file system under one fixed name, runs, reads its outputs and removes every file again:
 * the only file ffmpeg is handed is the input, and no name from a URL ever reaches its arguments.
 *
 * `exec()` is synchronous and the clock stands still inside it, so no timeout can stop a run: callers bound the
 * work (input bytes, declared duration, dimensions) before they call it (limits.ts).
 */
import createFFmpegCore, { type FFmpegCore } from '@ffmpeg/core';
// By path: the package's export map names the .wasm without the extension wrangler's module rule matches on.
import ffmpegWasm from '../../node_modules/@ffmpeg/core/dist/esm/ffmpeg-core.wasm';

const WORK_DIR = '/work';
export const INPUT = `${WORK_DIR}/input`;

let core: Promise<FFmpegCore> | undefined;
let memory: WebAssembly.Memory | undefined;

function boot(): Promise<FFmpegCore> {
  // The glue takes itself for a browser worker and reads `self.location` for where its .wasm lies; it is handed
  // the compiled module instead, so any address will do.
  const scope = globalThis as { location?: unknown };
  scope.location ??= { href: 'https://video.invalid/' };
  return createFFmpegCore({
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) {
      const instance = new WebAssembly.Instance(ffmpegWasm, imports);
      memory = Object.values(instance.exports).find((value) => value instanceof WebAssembly.Memory) as WebAssembly.Memory;
      receive(instance);
      return instance.exports;
    },
  }).then((ffmpeg) => {
    ffmpeg.FS.mkdir(WORK_DIR);
    return ffmpeg;
  });
}

export interface RunResult {
  /** ffmpeg's exit status: 0 on success. */
  status: number;
  /** What ffmpeg printed on stdout (ffprobe's JSON) and stderr (its log), line by line. */
  stdout: string;
  stderr: string[];
  /** Output files by name, read before they are removed. */
  outputs: Map<string, Uint8Array>;
}

/**
 * Runs ffmpeg (or ffprobe) over `input` with `args`; `outputs` names the files to read back (relative to the work
 * folder; `args` refers to them as `${WORK_DIR}/<name>`). A crash of the instance drops it, so the next run boots
 * a fresh one.
 */
export async function run(tool: 'ffmpeg' | 'ffprobe', input: Uint8Array, args: string[], outputs: string[] = []): Promise<RunResult> {
  core ??= boot();
  const ffmpeg = await core.catch((error) => {
    core = undefined;
    throw error;
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  ffmpeg.setLogger(({ type, message }) => (type === 'stdout' ? stdout : stderr).push(message));
  ffmpeg.reset();
  try {
    ffmpeg.FS.writeFile(INPUT, input);
    const status = tool === 'ffmpeg' ? ffmpeg.exec(...args) : ffmpeg.ffprobe(...args);
    const read = new Map<string, Uint8Array>();
    for (const name of outputs) {
      const path = `${WORK_DIR}/${name}`;
      if (ffmpeg.FS.readdir(WORK_DIR).includes(name)) read.set(name, ffmpeg.FS.readFile(path));
    }
    return { status, stdout: stdout.join('\n'), stderr, outputs: read };
  } catch (error) {
    core = undefined;
    memory = undefined;
    throw error;
  } finally {
    if (core) clearWorkDir(ffmpeg);
  }
}

export const workPath = (name: string) => `${WORK_DIR}/${name}`;

/**
 * Drops the instance after a run that failed: a failed open in this build can leave ffmpeg's global state behind,
 * and a later run on the same instance then spins without end (seen after a few refused files). The next run
 * boots a fresh one.
 */
export function discardInstance(): void {
  core = undefined;
  memory = undefined;
}

function clearWorkDir(ffmpeg: FFmpegCore): void {
  for (const name of ffmpeg.FS.readdir(WORK_DIR)) {
    if (name !== '.' && name !== '..') ffmpeg.FS.unlink(`${WORK_DIR}/${name}`);
  }
}

/** Bytes of the instance's linear memory (it only grows, so this is also its peak). 0 before the first run. */
export const wasmMemoryBytes = (): number => memory?.buffer.byteLength ?? 0;
