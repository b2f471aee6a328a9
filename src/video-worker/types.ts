/**
 * What the video Worker answers over its service binding (`VIDEO`). The image Worker imports these types only,
 * never the ffmpeg module, so its bundle stays small.
 */

/** A video's properties as read from its container (ffprobe). */
export interface VideoInfo {
  container: 'mp4' | 'webm';
  /** Seconds. */
  duration: number;
  /** Bits per second over the whole file. */
  bitRate: number;
  videoCodec: string;
  /** Absent when the file has no audio track. */
  audioCodec?: string;
  /** Upright size: the display matrix's rotation applied (a phone's portrait clip is taller than wide). */
  width: number;
  height: number;
  /** The display matrix's angle, counter-clockwise as ffprobe reports it: 0, 90, 180 or 270. */
  rotation: number;
  /** Average frames per second. */
  fps: number;
  /** The container declares a frame rate other than its average one (variable frame rate). */
  variableFrameRate: boolean;
  hasAudio: boolean;
}

/** The caps a request brings from the tenant's settings; the video Worker refuses beyond them before ffmpeg runs. */
export interface VideoLimits {
  maxVideoInputBytes: number;
  maxVideoSeconds: number;
  maxInputMegapixels: number;
}

/** A frame as PNG (lossless), for the image pipeline to treat as the original of an image transformation. */
export interface VideoFrame {
  png: Uint8Array;
  width: number;
  height: number;
  /** The time the frame was taken at, in seconds. */
  offset: number;
}

/** A stream-copied cut, starting at the keyframe at or before the asked start. */
export interface VideoCut {
  body: Uint8Array;
  contentType: string;
  /** Where the cut really starts and how long it is, in seconds. */
  start: number;
  duration: number;
}

/** A refusal the video Worker carries back over RPC: the image Worker rethrows it as its HttpError. */
export interface VideoRefusal {
  refused: { status: number; message: string; help: string };
}

/** The video Worker's RPC methods. */
export interface VideoService {
  probe(bytes: Uint8Array, limits: VideoLimits): Promise<VideoInfo | VideoRefusal>;
  frame(bytes: Uint8Array, offset: number, limits: VideoLimits): Promise<VideoFrame | VideoRefusal>;
  cut(bytes: Uint8Array, range: { start?: number; end?: number; duration?: number }, limits: VideoLimits): Promise<VideoCut | VideoRefusal>;
  wasmMemoryBytes(): Promise<number>;
}
