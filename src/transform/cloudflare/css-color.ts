/**
 * CSS colours as Cloudflare's `background` and `border.color` take them: `#RGB`, `#RGBA`, `#RRGGBB`,
 * `#RRGGBBAA`, the named colours, and `rgb()` / `rgba()` with commas or spaces (alpha 0–1 or a percentage).
 */
import type { Rgba } from '../../image/frame';
import { parseCssColorName } from '../../image/colors';
import { fail, required, type ValueGrammar } from '../values';

const ACCEPTS = 'a CSS colour: #RGB, #RRGGBB, #RRGGBBAA, a colour name, or rgb(r,g,b) / rgba(r,g,b,a)';
const CHANNEL = /^\d{1,3}$/;
const ALPHA = /^(?:\d(?:\.\d{1,4})?|\.\d{1,4}|\d{1,3}(?:\.\d{1,4})?%)$/;

export const cssColor: ValueGrammar<Rgba> = {
  accepts: ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, ACCEPTS).trim().toLowerCase();
    const found = text.startsWith('#') ? fromHex(text.slice(1)) : text.startsWith('rgb') ? fromRgb(text) : parseCssColorName(text);
    return found ?? fail(key, raw, ACCEPTS);
  },
  format: ({ r, g, b, a }) => `rgba(${r},${g},${b},${a})`,
};

function fromHex(hex: string): Rgba | undefined {
  if (!/^([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.test(hex)) return undefined;
  const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
  const byte = (i: number) => parseInt(full.slice(2 * i, 2 * i + 2), 16);
  return { r: byte(0), g: byte(1), b: byte(2), a: full.length === 8 ? byte(3) : 255 };
}

function fromRgb(text: string): Rgba | undefined {
  const match = /^rgba?\((.*)\)$/.exec(text);
  if (!match) return undefined;
  // CSS4 writes `rgb(255 255 0 / 50%)`; the older form separates with commas.
  const parts = match[1]!.split(/\s*[,/]\s*|\s+/).filter(Boolean);
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  const [r, g, b] = parts.slice(0, 3).map((p) => (CHANNEL.test(p) && Number(p) <= 255 ? Number(p) : Number.NaN));
  if (![r, g, b].every(Number.isFinite)) return undefined;
  let a = 255;
  if (parts[3] !== undefined) {
    const alpha = parts[3];
    if (!ALPHA.test(alpha)) return undefined;
    const fraction = alpha.endsWith('%') ? Number(alpha.slice(0, -1)) / 100 : Number(alpha);
    if (!(fraction >= 0 && fraction <= 1)) return undefined;
    a = Math.round(fraction * 255);
  }
  return { r: r!, g: g!, b: b!, a };
}
