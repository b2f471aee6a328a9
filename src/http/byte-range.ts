/** A byte range of a file, and the same range cut from a stream of the whole file (for sources that cannot seek). */

/** Inclusive byte positions, as `Content-Range` writes them. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The bytes `range` of a stream that starts at byte 0: skips what comes before, stops after its end. */
export function sliceStream(stream: ReadableStream<Uint8Array>, range: ByteRange): ReadableStream<Uint8Array> {
  let position = 0;
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        const from = position;
        position += value.byteLength;
        if (position <= range.start) continue;
        const piece = value.subarray(Math.max(0, range.start - from), Math.min(value.byteLength, range.end + 1 - from));
        if (piece.byteLength > 0) controller.enqueue(piece);
        if (position > range.end) {
          await reader.cancel();
          return controller.close();
        }
        return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
