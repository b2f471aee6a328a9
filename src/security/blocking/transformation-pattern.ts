/**
 * The transformation half of a blocking rule: a parameter of the URL grammar, by its canonical key in the
 * parameter table (src/transform/params.ts), and what its value must be for the rule to apply:
 *
 *   {"param": "e-grayscale"}                 the parameter appears at all
 *   {"param": "f", "equals": "avif"}         it has this value (read by the parameter's own grammar)
 *   {"param": "w", "above": 4000}            its value is a number greater than this (`below`: smaller)
 *
 * The parameter is found wherever the transformation uses it: any chained step, a conditional branch, a layer, the
 * output options; named transformations are already expanded. A value is what the URL says (`w-2000,dpr-2` is
 * 2000 for `w`), in its canonical form. The pattern is checked with the parameter's grammar when it is written,
 * so a key the table does not know, or a value the parameter cannot take, is a 400 then and never a surprise later.
 */
import { occurrences } from '../../transform/occurrences';
import { isParamKey, PARAMS, type ParamKey } from '../../transform/params';
import { badField, isObject } from '../../validate/fields';

export interface TransformationPattern {
  param: ParamKey;
  /** The canonical text of the value. */
  equals?: string;
  above?: number;
  below?: number;
}

/** Parameters that hold steps rather than a value: only their presence can be asked about. */
const PRESENCE_ONLY: readonly ParamKey[] = ['if', 'l'];

export function checkTransformationPattern(value: unknown, field: string): TransformationPattern {
  if (!isObject(value)) throw badField(field, 'an object {"param", and at most one of "equals", "above", "below"}');
  const unknownKey = Object.keys(value).find((k) => !['param', 'equals', 'above', 'below'].includes(k));
  if (unknownKey) throw badField(`${field}.${unknownKey}`, 'no such field: param, equals, above or below');
  const { param } = value;
  if (typeof param !== 'string' || !isParamKey(param)) {
    throw badField(`${field}.param`, 'a parameter key of the transformation grammar (w, h, f, q, e-grayscale, …: the README lists them)');
  }
  const tests = (['equals', 'above', 'below'] as const).filter((k) => value[k] !== undefined);
  if (tests.length > 1) throw badField(field, 'at most one of "equals", "above", "below"');
  const test = tests[0];
  if (test && PRESENCE_ONLY.includes(param)) throw badField(`${field}.${test}`, `nothing: "${param}" holds steps, so only its presence can be matched`);
  const grammar = PARAMS[param].grammar as AnyGrammar;
  if (test === 'equals') {
    const raw = value.equals;
    if (typeof raw !== 'string' || raw.length > 200) throw badField(`${field}.equals`, `a value "${param}" takes: ${grammar.accepts}`);
    return { param, equals: canonicalValue(grammar, param, raw, `${field}.equals`) };
  }
  if (test) {
    const limit = value[test];
    // A threshold is a value the parameter takes, written as a plain number: `w` above 2000, `q` below 50.
    const written = typeof limit === 'number' && Number.isFinite(limit) ? formatNumber(limit) : '';
    const canonical = written && safeCanonical(grammar, param, written);
    if (!written || numericValue(canonical ?? '') !== limit) {
      throw badField(`${field}.${test}`, `a number "${param}" takes (${grammar.accepts})`);
    }
    return { param, [test]: limit };
  }
  return { param };
}

/** Whether the pattern applies to a parsed transformation. */
export function transformationMatches(pattern: TransformationPattern, transformation: Parameters<typeof occurrences>[0]): boolean {
  const values = occurrences(transformation, pattern.param);
  if (pattern.equals !== undefined) return values.includes(pattern.equals);
  if (pattern.above !== undefined) return values.some((v) => numericValue(v) > pattern.above!);
  if (pattern.below !== undefined) return values.some((v) => numericValue(v) < pattern.below!);
  return values.length > 0;
}

type AnyGrammar = { accepts: string; parse(raw: string | undefined, key: string): unknown; format(v: unknown): string };

function canonicalValue(grammar: AnyGrammar, key: string, raw: string, field: string): string {
  const canonical = safeCanonical(grammar, key, raw === '' ? undefined : raw);
  if (canonical === null) throw badField(field, `a value "${key}" takes: ${grammar.accepts}`);
  return canonical;
}

function safeCanonical(grammar: AnyGrammar, key: string, raw: string | undefined): string | null {
  try {
    return grammar.format(grammar.parse(raw, key));
  } catch {
    return null;
  }
}

/** The grammar's numbers: decimals, `N` before a negative one (`rt-N90`); anything else is not a number. */
function numericValue(text: string): number {
  const match = /^(N?)(\d+(?:\.\d+)?)$/.exec(text);
  if (!match) return Number.NaN;
  return (match[1] ? -1 : 1) * Number(match[2]);
}

const formatNumber = (n: number) => (n < 0 ? `N${-n}` : String(n));
