/** A text layer's spec with the defaults the tests start from (black Open Sans 48 px, left-aligned). */
import type { TextSpec } from '../../src/text/render-text';

export const BLACK = { r: 0, g: 0, b: 0, a: 255 };

export function textSpec(text: string, extra: Partial<TextSpec> = {}): TextSpec {
  return {
    text,
    font: { family: 'Open Sans' },
    size: 48,
    bold: false,
    italic: false,
    strikethrough: false,
    color: BLACK,
    padding: [0, 0, 0, 0],
    align: 'left',
    letterSpacing: 0,
    ...extra,
  };
}
