/** Grammars of the layer parameters: the layer kind (`l`), its input (`i`, `ie`), offsets (`lx`, `ly`) and timing. */
import { parseExpression, type Expression } from './expression';
import { decodeBase64Input } from './layers';
import { fail, INTEGER, required, type ValueGrammar } from './values';

/** `l-<kind>` opens a layer, `l-end` closes it; the parser collects what lies between (parse.ts). */
export const layerKindGrammar: ValueGrammar<string> = {
  accepts: 'a layer kind (image), then the layer\'s parameters and steps, then l-end',
  parse: (raw, key) => required(raw, key, layerKindGrammar.accepts),
  format: (value) => value,
};

const INPUT_ACCEPTS = 'a file path with @@ in place of / (at most 2000 characters)';

export const plainInput: ValueGrammar<string> = {
  accepts: INPUT_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, INPUT_ACCEPTS);
    if (text.length > 2000) fail(key, raw, INPUT_ACCEPTS);
    return text;
  },
  format: (value) => value,
};

const BASE64_ACCEPTS = 'base64 or base64url of the UTF-8 input (at most 2500 characters)';

export const base64Input: ValueGrammar<string> = {
  accepts: BASE64_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, BASE64_ACCEPTS);
    const decoded = text.length <= 2500 ? decodeBase64Input(text) : undefined;
    if (!decoded) fail(key, raw, BASE64_ACCEPTS);
    return decoded;
  },
  format: (value) => value,
};

/** An offset from the parent's left or top edge; negative (`N20`) measures from its right or bottom edge. */
export type Offset = { kind: 'px'; value: number } | { kind: 'expr'; expr: Expression };

const OFFSET_ACCEPTS =
  'an integer from 0 to 16383, N<integer> to measure from the right or bottom edge, or an expression such as bw_sub_lw_sub_10';

export const offset: ValueGrammar<Offset> = {
  accepts: OFFSET_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, OFFSET_ACCEPTS);
    const negative = text.startsWith('N');
    const digits = negative ? text.slice(1) : text;
    if (INTEGER.test(digits)) {
      const value = Number(digits);
      if (value > 16383) fail(key, raw, OFFSET_ACCEPTS);
      return { kind: 'px', value: negative ? -value : value };
    }
    const expr = parseExpression(text);
    if (!expr) fail(key, raw, OFFSET_ACCEPTS);
    return { kind: 'expr', expr };
  },
  format: (value) => (value.kind === 'expr' ? value.expr.source : isNegative(value.value) ? `N${-value.value}` : String(value.value)),
};

const SECONDS_ACCEPTS = 'seconds (video layers only)';

/** `lso`, `leo`, `ldu`: kept as written so that the refusal can name them. */
export const seconds: ValueGrammar<string> = {
  accepts: SECONDS_ACCEPTS,
  parse: (raw, key) => required(raw, key, SECONDS_ACCEPTS),
  format: (value) => value,
};

/** `N0` is a negative zero: flush with the right or bottom edge. */
export const isNegative = (value: number): boolean => value < 0 || Object.is(value, -0);
