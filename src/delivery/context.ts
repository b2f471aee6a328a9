import type { ImageInfo, OutputFormat } from '../codecs/types';
import type { Env } from '../env';
import type { Original, Origin } from '../origins/types';
import type { TenantConfig } from '../tenants/config';
import type { Transformation } from '../transform/parse';
import type { AcceptClass } from './format';
import type { Timing } from './timing';

/** What the delivery stages know about one request; each stage fills in its part. */
export interface DeliveryContext {
  request: Request;
  env: Env;
  exec: ExecutionContext;
  timing: Timing;
  tenantId: string;
  /** File path inside the tenant, percent-decoded, without leading slash. */
  path: string;
  /** Transformation text as written in the path (`tr:`) and the query (`?tr=`). */
  transformationText: { path: string; query: string };
  transformation: Transformation;
  /** Canonical text of the transformation: equal for equivalent requests. */
  canonical: string;
  attachment: boolean;
  acceptClass: AcceptClass;
  tenant?: TenantConfig;
  /**
   * Id of the URL endpoint the request came through (loadTenant). Signatures are computed against that
   * endpoint's URL: `<origin>/<tenant>`, plus `/<urlPrefix>` for an endpoint with a prefix.
   */
  urlEndpoint?: string;
  /** The transformation uses `n-<name>`: parsing waits for the tenant's named transformations (resolveNamed). */
  pendingNamed?: boolean;
  /** The transformation is made of named transformations only (private files then need no signature). */
  namedOnly?: boolean;
  /** The URL carried a valid `ik-s` signature. */
  signed?: boolean;
  origins?: Origin[];
  original?: Original;
  /** Hash of everything the output depends on; names the variant in every cache and is the ETag. */
  variantKey?: string;
  bytes?: Uint8Array;
  info?: ImageInfo;
  output?: RenderedVariant;
}

export interface RenderedVariant {
  body: Uint8Array;
  contentType: string;
  format: OutputFormat;
  width: number;
  height: number;
}

/** A stage does one job; returning a Response ends the request. */
export type Stage = (ctx: DeliveryContext) => Promise<Response | void>;
