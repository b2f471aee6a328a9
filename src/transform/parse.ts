/**
 * ImageKit's transformation grammar: steps chained with ':', parameters within a step separated by ',',
 * key and value split at the first '-' (`e-<name>` keys split at the second). Every token goes through the
 * parameter table; anything the table does not know is a 400.
 */
import { ConditionalError, TransformationTooLarge, UnknownParam } from './errors';
import { type ConditionalBlock, formatCondition } from './conditional';
import { AUTO_WIDTH_STEP, isParamKey, MAX_PX, PARAM_KEYS, PARAMS, type ParamKey, type ParamValues } from './params';

export interface Transformation {
  /** Step-scoped parameters, one entry per chained step, in order. */
  steps: ParamValues[];
  /** Output-scoped parameters (q, f, pr, lo, md, orig, di): global, the last occurrence wins. */
  output: ParamValues;
}

export interface ClientHints {
  /** From `Sec-CH-DPR` or `DPR`, used by `dpr-auto`. */
  dpr?: number;
  /** From `Sec-CH-Width` or `Width` (device pixels), used by `w-auto`. */
  width?: number;
  /** Filled in while parsing: the hints an `auto` value asked for (the response varies on them, sent or not). */
  used?: Set<'dpr' | 'width'>;
}

const MAX_STEPS = 20;
const MAX_LENGTH = 2048;

export function parseTransformation(text: string, hints: ClientHints = {}): Transformation {
  const result: Transformation = { steps: [], output: {} };
  if (text.length > MAX_LENGTH) {
    throw new TransformationTooLarge(`is ${text.length} characters long`, `${MAX_LENGTH} characters`);
  }
  const stepTexts = text.split(':').filter((s) => s !== '');
  if (stepTexts.length > MAX_STEPS) {
    throw new TransformationTooLarge(`has ${stepTexts.length} chained steps`, `${MAX_STEPS} steps`);
  }
  const blocks = new BlockReader(result.steps);
  for (const stepText of stepTexts) {
    const step: ParamValues = {};
    for (const token of stepText.split(',')) {
      if (token === '') continue;
      const [key, raw] = splitToken(token);
      if (!isParamKey(key)) throw new UnknownParam(token, PARAM_KEYS);
      const spec = PARAMS[key];
      if (spec.scope === 'block') {
        blocks.mark(step, token, raw);
        continue;
      }
      if (spec.scope === 'output' && blocks.open) throw new ConditionalError(`"${token}" applies to the whole output and cannot be conditional`);
      let value: unknown = spec.grammar.parse(raw, key);
      if (key === 'dpr' && value === 'auto') {
        hints.used?.add('dpr');
        value = hints.dpr ?? 1;
      }
      if (key === 'w' && value === 'auto') {
        hints.used?.add('width');
        if (hints.width === undefined) continue;
        value = { kind: 'px', value: Math.min(MAX_PX, Math.ceil(hints.width / AUTO_WIDTH_STEP) * AUTO_WIDTH_STEP) };
      }
      (spec.scope === 'output' ? result.output : step)[key] = value as never;
    }
    blocks.flush(step);
  }
  blocks.finish();
  return result;
}

/**
 * Collects steps into the top-level list or the open block's branch. `if-`, `if-else` and `if-end` end the step
 * they are written in: what came before them in it is a step of its own. Blocks do not nest.
 */
class BlockReader {
  open: ConditionalBlock | undefined;
  private branch: ParamValues[];
  private inElse = false;

  constructor(private readonly top: ParamValues[]) {
    this.branch = top;
  }

  mark(step: ParamValues, token: string, raw: string | undefined): void {
    this.flush(step);
    if (raw === 'else' || raw === 'end') {
      if (!this.open) throw new ConditionalError(`"${token}" has no if-<condition> before it`);
      if (raw === 'else') {
        if (this.inElse) throw new ConditionalError('a block has two if-else');
        this.inElse = true;
        this.branch = this.open.else;
        return;
      }
      // A block whose branches are both empty changes nothing: the canonical form leaves it out.
      if (this.open.then.length || this.open.else.length) this.top.push({ if: this.open });
      this.open = undefined;
      this.inElse = false;
      this.branch = this.top;
      return;
    }
    if (this.open) throw new ConditionalError(`"${token}" is inside another if- block; blocks cannot be nested`);
    this.open = PARAMS.if.grammar.parse(raw, 'if');
    this.branch = this.open.then;
  }

  /** Ends a step: its parameters (if any) join the current branch, and it starts over empty. */
  flush(step: ParamValues): void {
    if (Object.keys(step).length > 0) this.branch.push({ ...step });
    for (const key of Object.keys(step)) delete step[key as ParamKey];
  }

  finish(): void {
    if (this.open) throw new ConditionalError(`the block "if-${formatCondition(this.open.condition)}" has no if-end`);
  }
}

function splitToken(token: string): [string, string | undefined] {
  const first = token.indexOf('-');
  if (first === -1) return [token, undefined];
  if (token.startsWith('e-')) {
    const second = token.indexOf('-', 2);
    return second === -1 ? [token, undefined] : [token.slice(0, second), token.slice(second + 1)];
  }
  return [token.slice(0, first), token.slice(first + 1)];
}

/** Concatenates two transformations (path `tr:` first, then `?tr=`), as chaining them would. */
export function chain(first: Transformation, second: Transformation): Transformation {
  return { steps: [...first.steps, ...second.steps], output: { ...first.output, ...second.output } };
}

/**
 * The canonical text of a transformation: parameters in table order with normalised values, values that
 * change nothing left out, output parameters in a trailing step. Equivalent requests (`w-300,h-200` and `h-200,w-300`) give the same text,
 * and the text parses back to the same transformation.
 */
export function canonicalize(t: Transformation): string {
  const parts = t.steps.map(formatStep).filter(Boolean);
  const output = formatParams(t.output);
  if (output) parts.push(output);
  return parts.join(':');
}

/** A block is written whole: `if-<condition>,<steps>,if-else,<steps>,if-end`, its steps joined by ':'. */
function formatStep(step: ParamValues): string {
  if (!step.if) return formatParams(step);
  const branch = (steps: ParamValues[]) => steps.map(formatStep).filter(Boolean).join(':');
  const then = branch(step.if.then);
  const otherwise = branch(step.if.else);
  return [`if-${formatValue('if', step.if)}`, then, otherwise && 'if-else', otherwise, 'if-end'].filter(Boolean).join(',');
}

function formatParams(values: ParamValues): string {
  const tokens: string[] = [];
  for (const key of PARAM_KEYS) {
    if (key === 'if') continue;
    const value = values[key];
    if (value === undefined || value === PARAMS[key].neutral) continue;
    const text = formatValue(key, value);
    tokens.push(text === '' ? key : `${key}-${text}`);
  }
  return tokens.join(',');
}

function formatValue(key: ParamKey, value: unknown): string {
  return (PARAMS[key].grammar.format as (v: unknown) => string)(value);
}

export function isIdentity(t: Transformation): boolean {
  return t.steps.length === 0 && Object.keys(t.output).length === 0;
}

/**
 * Asks for no change to the image: no steps and no output option but a negotiated or original format (and a
 * default image). Such a URL may be answered with the original's own bytes.
 */
export function isUntransformed(t: Transformation): boolean {
  const { steps, output } = t;
  const outputKeys = Object.keys(output).filter((k) => k !== 'f' && k !== 'di');
  return steps.length === 0 && outputKeys.length === 0 && (output.f === undefined || output.f === 'auto' || output.f === 'orig');
}
