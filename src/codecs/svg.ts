/**
 * SVG rasteriser over resvg. The document is drawn straight at the size the transformation needs (the decode
 * hint: a 10000-px-wide logo shown 300 wide is drawn 300 wide, never at 10000), so its declared size costs
 * nothing but arithmetic.
 *
 * Nothing outside the document is ever read: resvg-wasm has no file system or network, and the images it would
 * need from outside (`href` to http(s):, file: or relative paths) are left unresolved, so they are simply not
 * drawn. Images embedded as data: URIs are part of the document and are drawn. No fonts are loaded, so `<text>`
 * draws nothing.
 */
import { CodecError } from './errors';
import type { Frame } from '../image/frame';
import { svgRasterSize } from './probe/svg';
import type { Decoder } from './types';

const CODEC = 'svg decoder';

export const svgDecoder: Decoder = {
  format: 'svg',
  async decode(bytes, info, hint) {
    const size = svgRasterSize(info, hint);
    // Loaded on first use: modules that only name the decoder (the registry, under Node) never touch the WASM.
    const Resvg = await (await import('./wasm/resvg')).loadResvg();
    let renderer: InstanceType<typeof Resvg> | undefined;
    let rendered: ReturnType<InstanceType<typeof Resvg>['render']> | undefined;
    try {
      renderer = new Resvg(bytes, {
        fitTo: { mode: 'width', value: size.width },
        font: { loadSystemFonts: false },
      });
      rendered = renderer.render();
      if (rendered.width !== size.width || Math.abs(rendered.height - size.height) > 1) {
        throw new CodecError(CODEC, `the document's size is not the one its root element declares (${info.width}×${info.height})`);
      }
      return unpremultiplied(rendered.pixels, rendered.width, rendered.height);
    } catch (error) {
      if (error instanceof CodecError) throw error;
      throw new CodecError(CODEC, error instanceof Error ? error.message : 'the document cannot be drawn');
    } finally {
      rendered?.free();
      renderer?.free();
    }
  },
};

/** resvg's pixels are premultiplied RGBA (tiny-skia's pixmap); frames are straight. Converted in place. */
function unpremultiplied(pixels: Uint8Array, width: number, height: number): Frame {
  const data = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, width * height * 4);
  let hasAlpha = false;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3]!;
    if (a === 255) continue;
    hasAlpha = true;
    if (a === 0) continue;
    const scale = 255 / a;
    data[i] = data[i]! * scale;
    data[i + 1] = data[i + 1]! * scale;
    data[i + 2] = data[i + 2]! * scale;
  }
  return { width, height, data, hasAlpha };
}
