/**
 * ImageKit's layers (`l-<kind>,…,l-end`): the kinds are a small table, so another kind is one more entry with its
 * own parameters (the layer-scope entries of params.ts it takes) and its own source (src/delivery/layers/sources.ts).
 * A layer holds its input (`i-`/`ie-`), its layer parameters (position, kind options) and its own chained steps,
 * which the same step runner applies; steps may hold layers again, up to MAX_LAYER_DEPTH.
 */
import { HttpError } from '../http/errors';
import type { ParamKey, ParamValues } from './params';

export interface Layer {
  /** A key of LAYER_KINDS. */
  kind: string;
  /** What `i-`/`ie-` gave, decoded: a file path (`/` for `@@`, no leading slash) for image layers. */
  input?: string;
  /** Layer-scope parameters: position and the kind's own options. */
  params: ParamValues;
  /** The layer's own chained steps, run by the same step runner as the base image. */
  steps: ParamValues[];
}

export interface LayerKind {
  /** The name after `l-` in URLs. */
  urlKind: string;
  /** A fixed `i-` value that picks this kind among those of the same urlKind (`i-ik_canvas` for solid blocks). */
  fixedInput?: string;
  /** What the input names: a file path, text, or nothing (the fixed input). */
  input: 'path' | 'text' | 'none';
  /** Layer-scope parameters this kind takes besides the position ones every kind takes. */
  params: readonly ParamKey[];
}

/** Position parameters every kind takes. */
export const POSITION_PARAMS: readonly ParamKey[] = ['lx', 'ly', 'lxc', 'lyc', 'lfo'];
/** Timing parameters: parsed so that they can be refused by name (they apply to video only). */
export const TIMING_PARAMS: readonly ParamKey[] = ['lso', 'leo', 'ldu'];

export const LAYER_KINDS: Record<string, LayerKind> = {
  image: { urlKind: 'image', input: 'path', params: [] },
  // The SDKs' solid colour block: `l-image,i-ik_canvas,bg-<colour>,w-…,h-…`.
  solid: { urlKind: 'image', fixedInput: 'ik_canvas', input: 'none', params: ['al'] },
  // Text, laid out and drawn by src/text (transform/text-layer.ts); w (wrap width) and bg (box colour) of its first
  // step belong to the text, its other steps (r, rt, fl, …) run on the drawn box.
  text: { urlKind: 'text', input: 'text', params: ['fs', 'ff', 'co', 'ia', 'pa', 'lh', 'lsp', 'tg', 'al'] },
};

/** Kinds ImageKit has that edgepix answers with a clear 400 instead. */
const REFUSED_KINDS: Record<string, string> = {
  video: 'Video layers (l-video) apply to video bases only; edgepix delivers images',
  subtitles: 'Subtitle layers (l-subtitles) apply to video bases only; edgepix delivers images',
};

/** ImageKit allows three levels of nesting. */
export const MAX_LAYER_DEPTH = 3;
/** Layers one transformation may hold, nested ones included. */
export const MAX_LAYERS = 10;

const LAYER_HELP = 'Write a layer as l-image,i-<path with @@ for />,<position and steps>,l-end (see Layers in the README).';

export class LayerError extends HttpError {
  constructor(message: string, help = LAYER_HELP) {
    super(400, message, help);
    this.name = 'LayerError';
  }
}

/** Refuses an `l-<urlKind>` no kind has, as soon as it is read. */
export function assertLayerKind(urlKind: string | undefined): void {
  if (urlKind && Object.hasOwn(REFUSED_KINDS, urlKind) && !Object.values(LAYER_KINDS).some((k) => k.urlKind === urlKind)) {
    throw new LayerError(REFUSED_KINDS[urlKind]!, 'Image layers (l-image), solid blocks (l-image,i-ik_canvas) and text layers (l-text) are available.');
  }
  const kinds = Object.entries(LAYER_KINDS).filter(([, k]) => k.urlKind === urlKind);
  if (kinds.length === 0) {
    const names = [...new Set(Object.values(LAYER_KINDS).map((k) => k.urlKind))].join(', ');
    throw new LayerError(`Unknown layer kind "l-${urlKind ?? ''}": expected one of ${names}`);
  }
}

/** The kind a layer's `l-<urlKind>` and input name. */
export function kindOf(urlKind: string | undefined, input: string | undefined): string {
  assertLayerKind(urlKind);
  const kinds = Object.entries(LAYER_KINDS).filter(([, k]) => k.urlKind === urlKind);
  const fixed = kinds.find(([, k]) => k.fixedInput !== undefined && k.fixedInput === input);
  return (fixed ?? kinds.find(([, k]) => k.fixedInput === undefined)!)[0];
}

/** Checks a finished layer: its input and which layer parameters its kind takes. */
export function checkLayer(layer: Layer): void {
  const kind = LAYER_KINDS[layer.kind]!;
  for (const [corner, centre] of [['lx', 'lxc'], ['ly', 'lyc']] as const) {
    if (layer.params[corner] !== undefined && layer.params[centre] !== undefined) {
      throw new LayerError(`A layer takes ${corner} or ${centre}, not both`, 'lx/ly place the layer\'s top-left corner, lxc/lyc its centre.');
    }
  }
  const timing = TIMING_PARAMS.filter((key) => layer.params[key] !== undefined);
  if (timing.length) {
    throw new LayerError(
      `${timing.join(', ')} ${timing.length > 1 ? 'are' : 'is'} for video only: an image layer is shown whole`,
      'Remove lso, leo and ldu; position image layers with lx, ly or lfo.',
    );
  }
  for (const key of Object.keys(layer.params) as ParamKey[]) {
    if (!POSITION_PARAMS.includes(key) && !kind.params.includes(key)) {
      throw new LayerError(`"${key}" does not apply to l-${kind.urlKind}${kind.fixedInput ? `,i-${kind.fixedInput}` : ''} layers`);
    }
  }
  if (kind.input === 'path') layer.input = layerPath(layer.input);
  if (kind.input === 'text' && !layer.input) throw new LayerError(`An l-${kind.urlKind} layer needs its text in i- or ie-`);
}

/** A layer's file path: `@@` for `/`, no dot segments. */
function layerPath(input: string | undefined): string {
  const path = (input ?? '').replaceAll('@@', '/').replace(/^\/+/, '');
  const segments = path.split('/');
  if (!path || path.length > 1024 || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new LayerError(`An image layer needs a file path in i- (with @@ for /) or ie- (base64), without ".." segments; got "${input ?? ''}"`);
  }
  return path;
}

/** Every layer of these steps, nested ones and those in conditional branches included, with their depth (1 = on the base). */
export function everyLayer(steps: ParamValues[], depth = 1): Array<{ layer: Layer; depth: number }> {
  const found: Array<{ layer: Layer; depth: number }> = [];
  for (const step of steps) {
    if (step.if) found.push(...everyLayer([...step.if.then, ...step.if.else], depth));
    for (const layer of step.l ?? []) {
      found.push({ layer, depth }, ...everyLayer(layer.steps, depth + 1));
    }
  }
  return found;
}

/** `i-<value>` when the value can be written plainly, else `ie-<base64>` (UTF-8), as the SDKs choose. */
export function formatInput(layer: Layer): string {
  const kind = LAYER_KINDS[layer.kind]!;
  if (kind.fixedInput) return `i-${kind.fixedInput}`;
  const value = layer.input ?? '';
  if (/^[A-Za-z0-9._\- /]+$/.test(value)) return `i-${kind.input === 'path' ? value.replaceAll('/', '@@') : value}`;
  return `ie-${btoa(String.fromCharCode(...new TextEncoder().encode(value)))}`;
}

/** `ie-` values: base64 or base64url, padding optional, as text (UTF-8). */
export function decodeBase64Input(raw: string): string | undefined {
  // In a query `+` may arrive as a space.
  const text = raw.replaceAll(' ', '+').replaceAll('-', '+').replaceAll('_', '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    const binary = atob(text.padEnd(Math.ceil(text.length / 4) * 4, '='));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
