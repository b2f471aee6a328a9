import type { Freshness } from '../cache/freshness';
import type { ByteRange } from '../http/byte-range';

/**
 * Where originals come from. Every origin (the media library, S3-compatible buckets, web folders and web
 * proxies) implements this one interface and passes the same conformance suite (test/workers/conformance/).
 */
export interface Original {
  /** The path the origin resolved, without the tenant. */
  path: string;
  /** Identity of this version of the file: a new upload gets a new etag, so variants never go stale. */
  etag: string;
  size: number;
  contentType?: string;
  lastModified?: Date;
  /** Private files need a signed URL (enforced by the security stages). */
  isPrivate: boolean;
  /** The library file's stored focus area, "x,y,width,height" in the upright original's pixels (`fo-custom`). */
  customCoordinates?: string;
  /**
   * How long this answer may be reused without asking the origin again: set by the origins reached over the
   * network (from their caching headers), absent for the library, whose changes are published instead.
   */
  freshness?: Freshness;
  /** The whole file. Called at most once per request, after the cache missed and the size was checked. */
  bytes(): Promise<Uint8Array>;
  /**
   * The file as a stream, for serving it untouched without buffering; with `range`, only those bytes (read from
   * storage where it can seek, so a video player's ranges never read the whole file).
   */
  stream(range?: ByteRange): Promise<ReadableStream>;
}

export interface Origin {
  readonly name: string;
  /** Metadata of the file at `path`, or null when this origin does not have it. Reads no body. */
  get(path: string): Promise<Original | null>;
}
