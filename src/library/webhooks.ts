/**
 * Outgoing webhooks for media library events, in the format current ImageKit SDKs verify:
 * - body `{id, type, created_at, data}`;
 * - Standard Webhooks headers `webhook-id`, `webhook-timestamp` (seconds) and `webhook-signature`
 *   (`v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`). The key is the UTF-8 bytes of the whole secret
 *   string, `whsec_` prefix included: @imagekit/nodejs `webhooks.unwrap()` base64-encodes the secret before handing
 *   it to the standardwebhooks library, which decodes it back to exactly those bytes;
 * - the older `x-ik-signature: t=<ms>,v1=<hex HMAC-SHA256(secret, "<ms>.<body>")>` that imagekit@6
 *   `verifyWebhookEvent` checks, so receivers written against either SDK work.
 *
 * Events wait in the Durable Object's `webhook_outbox` table and are retried with backoff from its alarm; the
 * event id stays the same on every attempt (receivers de-duplicate on `webhook-id`), the timestamp is the attempt's.
 */
import { Webhook } from 'standardwebhooks';
import { HttpError } from '../http/errors';
import { hex } from '../security/crypto';
import { discard, safeFetch, type Fetcher } from '../security/safe-fetch';
import { policyFor } from '../security/ssrf';

export const WEBHOOK_EVENT_TYPES = [
  'file.created',
  'file.updated',
  'file.deleted',
  'file-version.created',
  'file-version.deleted',
  'video.transformation.accepted',
  'video.transformation.ready',
  'video.transformation.error',
  'backup.failed',
  'backup.recovered',
  'alert.traffic_anomaly',
  'alert.usage_threshold',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent<T = unknown> {
  id: string;
  type: WebhookEventType;
  /** ISO 8601 with milliseconds, `Z`. */
  created_at: string;
  data: T;
}

/** A new event; `now` is milliseconds since the epoch. */
export function webhookEvent<T>(type: WebhookEventType, data: T, now: number): WebhookEvent<T> {
  return { id: crypto.randomUUID(), type, created_at: new Date(now).toISOString(), data };
}

const encoder = new TextEncoder();

/**
 * The signature headers for one delivery attempt: the Standard Webhooks set and the legacy `x-ik-signature`,
 * both for the same instant. Async because the legacy HMAC goes through WebCrypto.
 */
export async function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<Record<string, string>> {
  // format 'raw' takes the key bytes as given; encoding them ourselves keeps non-ASCII secrets UTF-8 like the SDK.
  const signer = new Webhook(encoder.encode(secret), { format: 'raw' });
  const timestampMs = timestampSeconds * 1000;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signer.sign(id, new Date(timestampMs), body),
    'x-ik-signature': `t=${timestampMs},v1=${await hmacSha256Hex(secret, `${timestampMs}.${body}`)}`,
  };
}

async function hmacSha256Hex(key: string, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message)));
}

// --- outbox ---------------------------------------------------------------------------------------------------

/** A row of the `webhook_outbox` table. */
export interface OutboxRow {
  id: string;
  type: string;
  /** The event as JSON: the exact bytes that are signed and sent. */
  body: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
}

/** Wait after the 1st, 2nd, … failed attempt; after the last one fails the event is dropped. */
export const RETRY_DELAYS_MS: readonly number[] = [10_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000];
/** 1 first attempt + one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
const MAX_ERROR_LENGTH = 500;

/** The outbox over a Durable Object's SQLite (`ctx.storage.sql`); times are milliseconds since the epoch. */
export class WebhookOutbox {
  constructor(private readonly sql: SqlStorage) {}

  /** Queues an event for its first attempt at `now`. */
  enqueue(event: WebhookEvent, now: number): void {
    this.sql.exec(
      'INSERT INTO webhook_outbox (id, type, body, attempts, next_attempt_at, last_error, created_at) VALUES (?, ?, ?, 0, ?, NULL, ?)',
      event.id,
      event.type,
      JSON.stringify(event),
      now,
      now,
    );
  }

  /** Events whose attempt is due, longest waiting first (then in the order they were queued). */
  due(now: number, limit: number): OutboxRow[] {
    return this.sql
      .exec<OutboxRow & Record<string, SqlStorageValue>>(
        'SELECT * FROM webhook_outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at, created_at, rowid LIMIT ?',
        now,
        limit,
      )
      .toArray();
  }

  delivered(id: string): void {
    this.sql.exec('DELETE FROM webhook_outbox WHERE id = ?', id);
  }

  /**
   * Records a failed attempt: the event is retried after the next delay, or dropped (with a warning) once
   * MAX_ATTEMPTS attempts failed. Returns which happened; 'gone' when the row no longer exists.
   */
  failed(id: string, error: string, now: number): 'retry' | 'dropped' | 'gone' {
    const row = this.sql.exec<{ attempts: number; type: string }>('SELECT attempts, type FROM webhook_outbox WHERE id = ?', id).toArray()[0];
    if (!row) return 'gone';
    const attempts = row.attempts + 1;
    const lastError = error.slice(0, MAX_ERROR_LENGTH);
    const delay = RETRY_DELAYS_MS[attempts - 1];
    if (delay === undefined) {
      console.warn(`webhook ${row.type} ${id} dropped after ${attempts} failed attempts: ${lastError}`);
      this.sql.exec('DELETE FROM webhook_outbox WHERE id = ?', id);
      return 'dropped';
    }
    this.sql.exec(
      'UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
      attempts,
      now + delay,
      lastError,
      id,
    );
    return 'retry';
  }

  /** When the alarm should next fire, or null when nothing is queued. */
  nextAttemptAt(): number | null {
    const row = this.sql.exec<{ next: number | null }>('SELECT MIN(next_attempt_at) AS next FROM webhook_outbox').one();
    return row.next ?? null;
  }
}

// --- delivery -------------------------------------------------------------------------------------------------

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface DeliverOptions {
  /** ALLOW_PRIVATE_ORIGINS decides whether private addresses may be reached (policyFor). */
  env?: { ALLOW_PRIVATE_ORIGINS?: string };
  /** The network; tests replace it. */
  fetcher?: Fetcher;
  /** Milliseconds since the epoch of this attempt (the signature's timestamp). */
  now?: number;
  timeoutMs?: number;
}

export type DeliveryResult = { ok: true; status: number } | { ok: false; error: string };

export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * POSTs one outbox row to `target`. 2xx means delivered; anything else (another status, a redirect, a refused
 * address, a timeout, a network error) comes back as the error text to record with `failed`.
 */
export async function deliverWebhook(target: WebhookTarget, row: OutboxRow, options: DeliverOptions = {}): Promise<DeliveryResult> {
  const timestampSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  try {
    const headers = await signWebhook(target.secret, row.id, timestampSeconds, row.body);
    // safeFetch issues GET/HEAD itself; its sign hook runs after the URL passed the SSRF guard and turns off
    // redirects, which is the place to attach the signed body. Redirects are not followed: a receiver answers itself.
    const { response } = await safeFetch(target.url, {
      // The tenant configured this URL, so its port is allowed like a configured origin's.
      policy: policyFor(options.env ?? {}, [target.url]),
      label: 'webhook endpoint',
      timeoutMs: options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
      fetcher: options.fetcher,
      sign: async (request) =>
        new Request(request, {
          method: 'POST',
          body: row.body,
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'edgepix-webhooks/1', ...headers },
        }),
    });
    await discard(response);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, error: `the endpoint answered ${response.status}` };
  } catch (error) {
    if (error instanceof HttpError) return { ok: false, error: error.message };
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
