import type { AuditLog } from './durable/audit-log';
import type { MediaLibrary } from './durable/media-library';
import type { RateLimiter } from './durable/rate-limiter';
import type { TenantLock } from './durable/tenant-lock';
import type { VideoBinding } from './video-worker/client';

/** Bindings, vars and secrets of the Worker (wrangler.toml, `.dev.vars`, `wrangler secret put`). */
export interface Env {
  MEDIA: R2Bucket;
  CONFIG: KVNamespace;
  AUDIT_LOG: DurableObjectNamespace<AuditLog>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  MEDIA_LIBRARY: DurableObjectNamespace<MediaLibrary>;
  TENANT_LOCK: DurableObjectNamespace<TenantLock>;
  /** The video Worker (video.wrangler.toml): ffmpeg in WASM for thumbnails, probing and cuts. */
  VIDEO?: VideoBinding;
  /** Operator bearer token (secret). */
  PLATFORM_ADMIN_TOKEN: string;
  /** base64 of 32 random bytes; encrypts tenant private keys and origin credentials at rest (secret). */
  MASTER_KEY: string;
  /** "true" only in local development and tests: lets web origins reach private addresses. */
  ALLOW_PRIVATE_ORIGINS: string;
  /** Milliseconds an isolate sums delivered bytes before writing them to the tenant's usage ("10000"). */
  USAGE_FLUSH_MS: string;
  /** Optional: a token with Cache Purge permission, so purges reach every location (src/cache/zone-purge.ts; secret). */
  CLOUDFLARE_API_TOKEN?: string;
  /** Optional: the zone the Worker's routes are in. */
  CLOUDFLARE_ZONE_ID?: string;
  /** Optional: another address for Cloudflare's API (tests use a stand-in). */
  CLOUDFLARE_API_BASE?: string;
  /** Optional: the DNS-over-HTTPS JSON endpoint domain verification reads TXT records from (Cloudflare's by default). */
  DNS_OVER_HTTPS_URL?: string;
}
