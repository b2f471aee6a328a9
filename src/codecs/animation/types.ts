import type { Frame } from '../../image/frame';
import type { ImageFormat, OutputFormat } from '../types';

/** One frame of an animation, composited on the canvas as it is shown, and how long it is shown. */
export interface AnimationFrame {
  frame: Frame;
  /** Display time in milliseconds. */
  delay: number;
}

/**
 * An animation read one frame at a time: only the canvas (and what disposal needs) is held, never the frames.
 * `next()` answers each frame once, a frame the caller may change in place, then null; `close()` frees what the
 * reader holds (always called, also after an error).
 */
export interface AnimationReader {
  width: number;
  height: number;
  /** Plays: 0 = forever. */
  loop: number;
  next(): Promise<AnimationFrame | null>;
  close(): void;
}

/** Takes frames of one size in order and writes the file at the end; `close()` frees it whatever happened. */
export interface AnimationWriter {
  add(frame: AnimationFrame): Promise<void>;
  finish(): Promise<Uint8Array>;
  close(): void;
}

export interface AnimationWriteOptions {
  width: number;
  height: number;
  loop: number;
  quality: number;
  lossless: boolean;
}

export interface AnimationDecoder {
  format: ImageFormat;
  open(bytes: Uint8Array): Promise<AnimationReader>;
}

export interface AnimationEncoder {
  format: OutputFormat;
  mimeType: string;
  begin(options: AnimationWriteOptions): Promise<AnimationWriter>;
}
