/**
 * ImageKit's transformation grammar: steps chained with ':', parameters within a step separated by ',',
 * key and value split at the first '-' (`e-<name>` keys split at the second). Every token goes through the
 * parameter table; anything the table does not know is a 400.
 */
import { BadParam, ConditionalError, TransformationTooLarge, UnknownParam } from './errors';
import { type ConditionalBlock, formatCondition } from './conditional';
import { AUTO_WIDTH_STEP, isParamKey, MAX_PX, PARAM_KEYS, PARAMS, type ParamKey, type ParamValues } from './params';
import { assertLayerKind, checkLayer, formatInput, kindOf, LAYER_KINDS, type Layer, LayerError, MAX_LAYER_DEPTH, MAX_LAYERS } from './layers';

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
  const reader = new TokenReader(tokenize(text), hints);
  const blocks = new BlockReader(result.steps);
  const step: ParamValues = {};
  for (let token = reader.next(); token; token = reader.next()) {
    const [key, raw] = splitToken(token.text);
    if (key === 'l') {
      if (raw === 'end') throw new LayerError('"l-end" has no l-<kind> before it');
      (step.l ??= []).push(reader.layer(raw, 1));
    } else {
      if (!isParamKey(key)) throw new UnknownParam(token.text, PARAM_KEYS);
      const spec = PARAMS[key];
      if (spec.scope === 'block') blocks.mark(step, token.text, raw);
      else if (spec.scope === 'layer') throw new LayerError(`"${token.text}" belongs inside a layer (l-<kind>,…,l-end)`);
      else {
        if (spec.scope === 'output' && blocks.open) throw new ConditionalError(`"${token.text}" applies to the whole output and cannot be conditional`);
        const value = reader.value(key, raw);
        if (usesLayerVariables(value)) throw new BadParam(key, raw, `${spec.grammar.accepts}; bw bh bar lw lh lar only inside a layer`);
        if (value !== undefined) (spec.scope === 'output' ? result.output : step)[key] = value as never;
      }
    }
    if (reader.chained()) blocks.flush(step);
  }
  blocks.flush(step);
  blocks.finish();
  return result;
}

/** Whether a parsed value holds an expression that reads a layer's variables (which only a layer has). */
function usesLayerVariables(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { tokens } = value as { tokens?: unknown };
  if (Array.isArray(tokens)) return tokens.some((t) => typeof t === 'string' && LAYER_VARIABLES.has(t));
  return Object.values(value).some(usesLayerVariables);
}
const LAYER_VARIABLES = new Set(['bw', 'bh', 'bar', 'lw', 'lh', 'lar']);

interface Token {
  text: string;
  /** The token is followed by `:` (it ends a step), not by `,` or the end. */
  chained: boolean;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c !== ',' && c !== ':' && i < text.length) continue;
    const token = text.slice(start, i);
    if (token !== '') tokens.push({ text: token, chained: c === ':' });
    else if (c === ':' && tokens.length) tokens[tokens.length - 1]!.chained = true;
    start = i + 1;
  }
  return tokens;
}

/** Reads tokens in order; a layer reads its own up to its `l-end`, layers inside it included. */
class TokenReader {
  private at = 0;
  private layers = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly hints: ClientHints,
  ) {}

  next(): Token | undefined {
    return this.tokens[this.at++];
  }

  /** Whether the token just read ended its step. */
  chained(): boolean {
    return this.tokens[this.at - 1]?.chained ?? false;
  }

  /** A step parameter's value; undefined when it asks for nothing (`w-auto` without the client hint). */
  value(key: ParamKey, raw: string | undefined): unknown {
    let value: unknown = PARAMS[key].grammar.parse(raw, key);
    if (key === 'dpr' && value === 'auto') {
      this.hints.used?.add('dpr');
      value = this.hints.dpr ?? 1;
    }
    if (key === 'w' && value === 'auto') {
      this.hints.used?.add('width');
      if (this.hints.width === undefined) return undefined;
      value = { kind: 'px', value: Math.min(MAX_PX, Math.ceil(this.hints.width / AUTO_WIDTH_STEP) * AUTO_WIDTH_STEP) };
    }
    return value;
  }

  /** The layer opened by `l-<urlKind>` (just read), up to and including its `l-end`. */
  layer(urlKind: string | undefined, depth: number): Layer {
    PARAMS.l.grammar.parse(urlKind, 'l');
    assertLayerKind(urlKind);
    if (depth > MAX_LAYER_DEPTH) throw new LayerError(`Layers nest at most ${MAX_LAYER_DEPTH} levels deep`);
    if (++this.layers > MAX_LAYERS) throw new LayerError(`A transformation may hold at most ${MAX_LAYERS} layers`);
    const params: ParamValues = {};
    const steps: ParamValues[] = [];
    let step: ParamValues = {};
    const flush = () => {
      if (Object.keys(step).length) steps.push(step);
      step = {};
    };
    for (let token = this.next(); token; token = this.next()) {
      const [key, raw] = splitToken(token.text);
      if (key === 'l' && raw === 'end') {
        flush();
        const input = params.ie ?? params.i;
        delete params.i;
        delete params.ie;
        const layer: Layer = { kind: kindOf(urlKind, input), input, params, steps };
        checkLayer(layer);
        return layer;
      }
      if (key === 'l') (step.l ??= []).push(this.layer(raw, depth + 1));
      else {
        if (!isParamKey(key)) throw new UnknownParam(token.text, PARAM_KEYS);
        const scope = PARAMS[key].scope;
        if (scope === 'output') throw new LayerError(`"${token.text}" applies to the whole output and cannot be inside a layer`);
        if (scope === 'block') throw new LayerError(`"${token.text}" cannot be inside a layer`);
        const value = this.value(key, raw);
        if (value !== undefined) (scope === 'layer' ? params : step)[key] = value as never;
      }
      if (this.chained()) flush();
    }
    throw new LayerError(`The layer "l-${urlKind ?? ''}" has no l-end`);
  }
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
  if (!step.if) return [formatParams(step), ...(step.l ?? []).map(formatLayer)].filter(Boolean).join(',');
  const branch = (steps: ParamValues[]) => steps.map(formatStep).filter(Boolean).join(':');
  const then = branch(step.if.then);
  const otherwise = branch(step.if.else);
  return [`if-${formatValue('if', step.if)}`, then, otherwise && 'if-else', otherwise, 'if-end'].filter(Boolean).join(',');
}

/** `l-<kind>,<input>,<layer parameters>,<steps joined by ':'>,l-end`. */
function formatLayer(layer: Layer): string {
  const kind = LAYER_KINDS[layer.kind]!;
  const steps = layer.steps.map(formatStep).filter(Boolean).join(':');
  return [`l-${kind.urlKind}`, formatInput(layer), formatParams(layer.params), steps, 'l-end'].filter(Boolean).join(',');
}

function formatParams(values: ParamValues): string {
  const tokens: string[] = [];
  for (const key of PARAM_KEYS) {
    if (key === 'if' || key === 'l') continue;
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
