import type { DecodeHint, ImageInfo, OutputFormat } from '../codecs/types';
import type { Dimensions, Region } from '../transform/planned-ops';
import type { Env } from '../env';
import type { Original } from '../origins/types';
import type { TenantConfig } from '../tenants/config';
import type { Transformation } from '../transform/parse';
import type { MediaPath } from '../video/suffix';
import type { AcceptClass } from './format';
import type { MemoryHold } from './memory-gate';
import type { Timing } from './timing';
import type { DeliveryUrl } from './url';

/**
 * What delivery knows about one request, phase by phase: each interface adds what one stage learned, so a stage
 * that takes a phase finds all of it set. The stage list in pipeline.ts runs them in this order.
 */
export interface RequestContext {
  request: Request;
  env: Env;
  exec: ExecutionContext;
  timing: Timing;
  tenantId: string;
  /** The URL as read before the tenant is known, with its first segment taken as part of the file path. */
  url: DeliveryUrl;
  attachment: boolean;
  acceptClass: AcceptClass;
  /** The URL carried a valid `ik-s` signature: false until verifySignature has checked one. */
  signed: boolean;
  /** The isolate memory this request holds (memory-gate.ts); given back when the delivery ends. */
  memory: MemoryHold;
}

/** After findTenant. */
export interface TenantContext extends RequestContext {
  tenant: TenantConfig;
}

/** After parseRequest: which URL endpoint the request came through, the file path and the transformation. */
export interface ParsedContext extends TenantContext {
  /** Id of the URL endpoint the request came through. */
  urlEndpoint: string;
  /**
   * That endpoint's prefix, '' for the default endpoint. Signatures are computed against the endpoint's URL:
   * `<origin>/<tenant>`, plus `/<urlPrefix>` for an endpoint with a prefix.
   */
  urlPrefix: string;
  /** File path inside the tenant, percent-decoded, without leading slash (and without a virtual file suffix). */
  path: string;
  /** What the URL asks of the file: an image, a video, a thumbnail or a streaming manifest (src/video/suffix.ts). */
  media: MediaPath;
  /** Transformation text as written in the path (`tr:`) and the query (`?tr=`), before named expansion. */
  transformationText: { path: string; query: string };
  /** The parsed transformation, named transformations expanded. */
  transformation: Transformation;
  /** Canonical text of the transformation: equal for equivalent requests. */
  canonical: string;
  /** The transformation is made of named transformations only (private files then need no signature). */
  namedOnly: boolean;
  /** Request headers the transformation depends on (client hints of `w-auto`, `dpr-auto`): they go in Vary. */
  hintHeaders: string[];
}

/** After recallOriginal: the original as the last published or fetched record of it says, when there is one. */
export interface RecalledContext extends ParsedContext {
  recalled?: Original;
  /** An origin's answer too old to reuse, but kept for when the origin fails (stale-if-error). */
  staleIfError?: Original;
}

/** After resolveOriginal: the original's metadata, no body yet. */
export interface ResolvedContext extends ParsedContext {
  original: Original;
  /**
   * False while `original` is only what a record says (recallOriginal): enough to name the variant and serve a
   * cache hit; confirmOriginal asks the origin once the cache missed.
   */
  confirmed: boolean;
}

/** After lookupCache: the variant has a name, and no cache held it. */
export interface KeyedContext extends ResolvedContext {
  /** Hash of everything the output depends on; names the variant in every cache and is the ETag. */
  variantKey: string;
}

/** After readOriginal. */
export interface ReadContext extends KeyedContext {
  bytes: Uint8Array;
}

/** After probeAndLimit: the original's header, within the tenant's limits. */
export interface ProbedContext extends ReadContext {
  info: ImageInfo;
  /** The original's size once upright: what `iw`/`ih` mean, and what the decoder may shrink from. */
  upright: Dimensions;
  /** How small the decoder may make the image (the memory estimate counts on the same decode). */
  decodeHint: DecodeHint;
  /** Bytes the transformation may hold at its peak: the decode and the largest planned frame (memory-gate.ts). */
  memoryEstimate: number;
  /** The format the variant is encoded as, chosen from the planned output size (format.ts). */
  outputFormat: OutputFormat;
  /** The file's stored focus area (`fo-custom`), which the plan was made with. */
  focus: Region | undefined;
}

/** After transformImage. */
export interface TransformedContext extends ProbedContext {
  output: EncodedVariant;
}

export interface EncodedVariant {
  body: Uint8Array;
  contentType: string;
  format: OutputFormat;
  width: number;
  height: number;
  /** Set when the original's own bytes are the answer (transform-image.ts): its ETag, not the variant key. */
  etag?: string;
}

/**
 * A stage does one job on the phase it needs. Returning a Response ends the request; a stage that learns
 * something returns the same context with it added (`Out`), the phase the stages after it need.
 */
export type Stage<In, Out = void> = (ctx: In) => Promise<Response | Out>;
