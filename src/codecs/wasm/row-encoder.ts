/**
 * Host side of the row encoders in wasm/jpeg/encode.c and wasm/png/encode.c, which work alike: `begin` gives a
 * strip of the module to write rows into, `rows` encodes them, and what was encoded so far is taken out after
 * every call (`take`), so neither the image nor the whole file ever sits in the module. Only the pieces of the
 * file gather here, and are joined at the end.
 */
import type { FrameSource } from '../../image/frame-source';
import { concat } from '../concat';
import { CodecError } from '../errors';
import type { StandaloneModule } from './standalone';

/** One module's encoder calls, bound to one encode. */
export interface RowEncoderCalls {
  /** Starts the encode: its handle, or 0 (the reason in `error()`). `info` receives strip and strip rows. */
  begin(info: number): number;
  /** Encodes `count` rows of the strip: 0, or -1 (the encode is then released by the module). */
  rows(handle: number, count: number): number;
  /** Points `where` at the output made since the last take; 1 once the file is complete. */
  take(handle: number, where: number): number;
  end(handle: number): void;
  error(): string;
  /** Bytes per pixel of a row in the strip (4 for RGBA, 1 for palette indices). */
  pixelBytes: number;
  /**
   * Writes `count` RGBA rows into the strip at `into` (a view over exactly those rows). Default: a plain copy
   * (RGBA in, RGBA in the strip).
   */
  put?(rgba: Uint8Array, into: Uint8Array, count: number): void;
}

/** Scratch ints for begin's and take's results: allocated with the options. */
export const SCRATCH_INTS = 4;

/**
 * Feeds the source's rows into the encoder strip by strip and returns the file. `scratch` is an allocation of
 * at least SCRATCH_INTS int32 in the module. Views of the module's memory are made afresh each time: encoding may
 * grow it.
 */
export async function encodeRowsWith(
  codec: string,
  module: StandaloneModule,
  source: FrameSource,
  scratch: number,
  calls: RowEncoderCalls,
): Promise<Uint8Array> {
  const { exports } = module;
  const handle = calls.begin(scratch);
  if (!handle) throw new CodecError(codec, calls.error());
  const [strip, stripRows] = Array.from(new Int32Array(exports.memory.buffer, scratch, 2)) as [number, number];
  const pieces: Uint8Array[] = [];
  let open = true;
  let done = 0;
  const take = () => {
    const complete = calls.take(handle, scratch);
    const [data, length] = Array.from(new Int32Array(exports.memory.buffer, scratch, 2)) as [number, number];
    if (length > 0) pieces.push(new Uint8Array(exports.memory.buffer.slice(data, data + length)));
    return complete === 1;
  };
  const inRow = source.width * 4;
  const stripRow = source.width * calls.pixelBytes;
  try {
    await source.read((rows, count) => {
      for (let at = 0; at < count; ) {
        const n = Math.min(stripRows, count - at);
        const input = rows.subarray(at * inRow, (at + n) * inRow);
        const into = new Uint8Array(exports.memory.buffer, strip, n * stripRow);
        if (calls.put) calls.put(input, into, n);
        else into.set(input);
        if (calls.rows(handle, n) !== 0) {
          open = false;
          throw new CodecError(codec, calls.error());
        }
        at += n;
        done += n;
        take();
      }
    });
    if (done !== source.height) throw new CodecError(codec, `the rows ended after ${done} of ${source.height}`);
    if (!take()) throw new CodecError(codec, 'the encoder did not finish the file');
  } catch (error) {
    // After a trap the instance is thrown away; nothing to release.
    if (open && !(error instanceof WebAssembly.RuntimeError)) calls.end(handle);
    throw error;
  }
  calls.end(handle);
  return join(pieces);
}

/** The file's pieces as one array; a file taken out in one piece is not copied again. */
const join = (pieces: Uint8Array[]): Uint8Array => (pieces.length === 1 ? pieces[0]! : concat(pieces));

/** Copies `bytes` (if any) into the module: [pointer, length], pointer 0 when absent. The caller frees it. */
export function copyInOptional(module: StandaloneModule, bytes: Uint8Array | undefined): [number, number] {
  if (!bytes || bytes.byteLength === 0) return [0, 0];
  return [module.copyIn(bytes), bytes.byteLength];
}
