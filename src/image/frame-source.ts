import { anyTransparent, byteView, createFrame, type Frame } from './frame';

/**
 * An image whose rows can be read top to bottom, a strip at a time: a streaming decoder's output before it has
 * run. Each read starts again from the top (a decoder decodes again), so a consumer that must see the whole
 * image before it knows which rows it wants (fo-auto's attention) reads it twice rather than holding it. A resize reads it straight into the resampler and an extract windows it (crop.ts, cropRows), so
 * a photo bound for a smaller output or a region is never held at its decoded size (a 3 MP JPEG shown 800 wide
 * skips a 12 MB frame and two copies of it); any other operation materializes it first.
 */
export interface FrameSource {
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
  /**
   * hasAlpha says only that the rows may be transparent (all a PNG header can tell: an alpha channel or a
   * tRNS chunk); whether any pixel is, is known once they are read. A frame made from them (settleAlpha)
   * keeps hasAlpha only if one of its own pixels is transparent, as a decoded frame does.
   */
  readonly alphaUnchecked?: boolean;
  /** As Frame.boxFiltered. */
  readonly boxFiltered?: boolean;
  /**
   * Calls `onRows` with consecutive strips of packed RGBA rows (width * 4 bytes each) until every row was
   * delivered, or until `onRows` returns false (the consumer has what it needs; a decoder then stops).
   * `rows` may be a view into a WASM heap: it is only valid during the call.
   */
  read(onRows: RowConsumer): Promise<void>;
}

export type RowConsumer = (rows: Uint8Array, count: number) => void | boolean;

export function isFrameSource(image: Frame | FrameSource): image is FrameSource {
  return 'read' in image;
}

/** The pixels of `image` as a frame: a source is read into a new one, a frame is returned as it is. */
export async function materialize(image: Frame | FrameSource): Promise<Frame> {
  if (!isFrameSource(image)) return image;
  const frame = createFrame(image.width, image.height, image.hasAlpha);
  if (image.boxFiltered) frame.boxFiltered = true;
  const bytes = byteView(frame.data);
  const stride = image.width * 4;
  let row = 0;
  await image.read((rows, count) => {
    if (row + count > image.height) throw new RangeError(`the source gave more than its ${image.height} rows`);
    bytes.set(rows.subarray(0, count * stride), row * stride);
    row += count;
  });
  if (row !== image.height) throw new RangeError(`the source ended after ${row} of its ${image.height} rows`);
  return settleAlpha(frame, image);
}

/** `frame`, made from the rows of `source`: marked opaque when the source could not tell and no pixel is transparent. */
export function settleAlpha(frame: Frame, source: FrameSource): Frame {
  if (source.alphaUnchecked && frame.hasAlpha) frame.hasAlpha = anyTransparent(frame.data);
  return frame;
}

/** Strips of a frame's rows, read in place (no copy): lets one consumer take frames and sources alike. */
export function rowsOf(frame: Frame, stripRows = 64): FrameSource {
  const stride = frame.width * 4;
  return {
    width: frame.width,
    height: frame.height,
    hasAlpha: frame.hasAlpha,
    boxFiltered: frame.boxFiltered,
    async read(onRows) {
      const bytes = byteView(frame.data);
      for (let row = 0; row < frame.height; row += stripRows) {
        const count = Math.min(stripRows, frame.height - row);
        if (onRows(bytes.subarray(row * stride, (row + count) * stride), count) === false) return;
      }
    },
  };
}

