import type { Accounts } from './durable/accounts';
import type { Analytics } from './durable/analytics';
import type { AuditLog } from './durable/audit-log';
import type { MediaLibrary } from './durable/media-library';
import type { RateLimiter } from './durable/rate-limiter';
import type { TenantLock } from './durable/tenant-lock';
import type { VideoBinding } from './video-worker/client';
import type { VideoJobs } from './durable/video-jobs';
import type { StatusBoard } from './durable/status-board';
import type { Exports } from './durable/exports';
import type { ExportMessage } from './exports/types';
import type { JobMessage } from './video/jobs/types';
import type { BackupMessage } from './backup/message';

/** Bindings, vars and secrets of the Worker (wrangler.toml, `.dev.vars`, `wrangler secret put`). */
export interface Env {
  MEDIA: R2Bucket;
  CONFIG: KVNamespace;
  AUDIT_LOG: DurableObjectNamespace<AuditLog>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  MEDIA_LIBRARY: DurableObjectNamespace<MediaLibrary>;
  TENANT_LOCK: DurableObjectNamespace<TenantLock>;
  /** The dashboard's built files (web/dist), served under /app/ by src/dashboard/serve.ts. */
  ASSETS: Fetcher;
  /** A tenant's users, sessions, sign-in codes and tokens (src/durable/accounts.ts). */
  ACCOUNTS: DurableObjectNamespace<Accounts>;
  /** Production mail: a `[[send_email]]` binding (src/mail/mailer.ts). */
  EMAIL?: SendEmailBuilder;
  /** Another mail path: an HTTP mail API taking `{from,to,subject,text,html}` as JSON (locally scripts/mail-outbox.mjs). */
  MAIL_API_URL?: string;
  /** The sender of invitations, sign-in codes and notices ("edgepix <no-reply@…>"). */
  MAIL_FROM?: string;
  /** The video Worker (video.wrangler.toml): ffmpeg in WASM for thumbnails, probing and cuts. */
  VIDEO?: VideoBinding;
  /** Transcoding jobs per tenant (src/durable/video-jobs.ts), and the queue they run from (src/video/jobs/consumer.ts). */
  VIDEO_JOBS: DurableObjectNamespace<VideoJobs>;
  JOBS: Queue<JobMessage>;
  /** Library changes to mirror into the tenant's own bucket (src/backup/); consumed by src/backup/consumer.ts. */
  BACKUP: Queue<BackupMessage>;
  /** Seconds before the first retry of a failed mirror; each later one waits twice as long ("5"). */
  BACKUP_RETRY_BASE_SECONDS?: string;
  /** Seconds a change the dead-letter queue gave up on waits before it is sent again, doubling each time ("60"). */
  BACKUP_PARK_SECONDS?: string;
  /** The transcoder service's base URL (locally the Node process, transcoder/); see the README's Video section. */
  TRANSCODER_URL: string;
  /** Production: the transcoder containers (transcoder/wrangler.containers.toml), used when TRANSCODER_URL is empty. */
  TRANSCODER?: DurableObjectNamespace;
  /** Optional: where the transcoder reaches this Worker's /v1/transcoder routes (default: the requesting URL's origin). */
  TRANSCODER_CALLBACK_URL?: string;
  /** Optional: the bearer token the transcoder requires (its TRANSCODER_TOKEN). */
  TRANSCODER_TOKEN?: string;
  /** How a video transform that is not ready waits before the 302 to the original: "<attempts>x<ms>", e.g. "3x5000". */
  VIDEO_POLL: string;
  /** Seconds before the first retry of a failed attempt; each later one waits twice as long ("10"). */
  VIDEO_RETRY_BASE_SECONDS: string;
  /** Tenant exports per tenant (src/durable/exports.ts), and the queue their steps run from (src/exports/consumer.ts). */
  EXPORT_JOBS: DurableObjectNamespace<Exports>;
  EXPORTS: Queue<ExportMessage>;
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
  /** The status page's probe results, uptime and incidents (src/durable/status-board.ts). */
  STATUS_BOARD: DurableObjectNamespace<StatusBoard>;
  /** Optional: the tenant id of the status prober's canary ("status-canary"); the prober creates it on its first run. */
  STATUS_CANARY_TENANT?: string;
  /** Delivery analytics per tenant (src/durable/analytics.ts). */
  ANALYTICS: DurableObjectNamespace<Analytics>;
  /** "off" records no delivery analytics (the bench's reference run); anything else, or unset, records them. */
  ANALYTICS_MODE?: string;
  /** Milliseconds an isolate holds delivery events before sending them to the tenant's Analytics object ("10000"). */
  ANALYTICS_FLUSH_MS?: string;
}

/** The builder form of the `send_email` binding (the one form that also crosses RPC to a stand-in). */
export interface SendEmailBuilder {
  send(message: { from: string; to: string; subject: string; text: string; html: string }): Promise<unknown>;
}
