/**
 * The webhook outbox on a real Durable Object SQLite database (the AuditLog object's storage is borrowed: only a
 * webhook_outbox table, created from the MediaLibrary schema, is added to it), with injected clocks; and a delivery
 * signed inside workerd.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { MIGRATIONS } from '../../../src/library/schema';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, WebhookOutbox, deliverWebhook, webhookEvent } from '../../../src/library/webhooks';

const OUTBOX_DDL = /CREATE TABLE webhook_outbox \([\s\S]*?\);/.exec(MIGRATIONS.join('\n'))![0];
let counter = 0;

/** Runs `body` with an outbox on a fresh Durable Object's SQLite. */
async function withOutbox<T>(body: (outbox: WebhookOutbox, sql: SqlStorage) => T | Promise<T>): Promise<T> {
  const stub = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(`outbox-${Date.now()}-${counter++}`));
  return runInDurableObject(stub, async (_instance, state) => {
    state.storage.sql.exec(OUTBOX_DDL);
    return body(new WebhookOutbox(state.storage.sql), state.storage.sql);
  });
}

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

describe('WebhookOutbox', () => {
  it('queues events due at once, in order, and forgets delivered ones', async () => {
    await withOutbox((outbox) => {
      expect(outbox.nextAttemptAt()).toBeNull();
      const a = webhookEvent('file.created', { fileId: 'a' }, T0);
      const b = webhookEvent('file.updated', { fileId: 'a' }, T0 + 5);
      outbox.enqueue(a, T0);
      outbox.enqueue(b, T0 + 5);
      expect(outbox.nextAttemptAt()).toBe(T0);
      expect(outbox.due(T0 - 1, 10)).toEqual([]);
      expect(outbox.due(T0, 10).map((r) => r.id)).toEqual([a.id]);
      const rows = outbox.due(T0 + 5, 10);
      expect(rows.map((r) => r.id)).toEqual([a.id, b.id]);
      expect(rows[0]).toEqual({
        id: a.id,
        type: 'file.created',
        body: JSON.stringify(a),
        attempts: 0,
        next_attempt_at: T0,
        last_error: null,
        created_at: T0,
      });
      expect(outbox.due(T0 + 5, 1)).toHaveLength(1);
      outbox.delivered(a.id);
      expect(outbox.due(T0 + 5, 10).map((r) => r.id)).toEqual([b.id]);
      outbox.delivered(b.id);
      expect(outbox.nextAttemptAt()).toBeNull();
    });
  });

  it('retries after 10 s, 30 s, 2 min, 10 min, 1 h and 6 h, then drops the event with a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await withOutbox((outbox) => {
        const event = webhookEvent('file.deleted', { fileId: 'gone' }, T0);
        outbox.enqueue(event, T0);
        let now = T0;
        const expected = [10_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000];
        expect(RETRY_DELAYS_MS).toEqual(expected);
        expect(MAX_ATTEMPTS).toBe(7);
        for (const [i, delay] of expected.entries()) {
          expect(outbox.due(now, 10).map((r) => r.id)).toEqual([event.id]);
          expect(outbox.failed(event.id, `attempt ${i + 1}: 503`, now)).toBe('retry');
          expect(outbox.nextAttemptAt()).toBe(now + delay);
          expect(outbox.due(now + delay - 1, 10)).toEqual([]);
          const [row] = outbox.due(now + delay, 10);
          expect(row).toMatchObject({ attempts: i + 1, last_error: `attempt ${i + 1}: 503`, next_attempt_at: now + delay });
          now += delay;
        }
        expect(warn).not.toHaveBeenCalled();
        expect(outbox.failed(event.id, 'attempt 7: 503', now)).toBe('dropped');
        expect(outbox.nextAttemptAt()).toBeNull();
        expect(outbox.due(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
        expect(outbox.failed(event.id, 'late', now)).toBe('gone');
      });
      expect(warn).toHaveBeenCalledOnce();
      expect(String(warn.mock.calls[0]![0])).toContain('dropped after 7 failed attempts: attempt 7: 503');
    } finally {
      warn.mockRestore();
    }
  });

  it('orders due events by their next attempt, so a retried event waits behind newer ones', async () => {
    await withOutbox((outbox) => {
      const first = webhookEvent('file.created', { n: 1 }, T0);
      const second = webhookEvent('file.created', { n: 2 }, T0 + 1000);
      outbox.enqueue(first, T0);
      outbox.enqueue(second, T0 + 1000);
      outbox.failed(first.id, 'timeout', T0 + 1000); // next at T0 + 11 s
      expect(outbox.nextAttemptAt()).toBe(T0 + 1000);
      expect(outbox.due(T0 + 5000, 10).map((r) => r.id)).toEqual([second.id]);
      expect(outbox.due(T0 + 11_000, 10).map((r) => r.id)).toEqual([second.id, first.id]);
    });
  });

  it('keeps error text short', async () => {
    await withOutbox((outbox) => {
      const event = webhookEvent('file.created', {}, T0);
      outbox.enqueue(event, T0);
      outbox.failed(event.id, 'x'.repeat(5000), T0);
      expect(outbox.due(T0 + 10_000, 1)[0]!.last_error).toHaveLength(500);
    });
  });
});

describe('deliverWebhook in workerd', () => {
  it('delivers a queued row with headers that verify, then the row is removed', async () => {
    const secret = 'whsec_dGVzdC1zZWNyZXQ';
    await withOutbox(async (outbox) => {
      const event = webhookEvent('file-version.created', { fileId: 'f', versionInfo: { id: 'v2', name: 'Version 2' } }, T0);
      outbox.enqueue(event, T0);
      const [row] = outbox.due(T0, 1);
      const received: { headers: Record<string, string>; body: string }[] = [];
      // ALLOW_PRIVATE_ORIGINS is "true" in the test config, so a loopback receiver is allowed.
      expect(env.ALLOW_PRIVATE_ORIGINS).toBe('true');
      const result = await deliverWebhook({ url: 'http://127.0.0.1:9/hooks', secret }, row!, {
        env,
        fetcher: async (request) => {
          received.push({ headers: Object.fromEntries(request.headers), body: await request.text() });
          return new Response('ok');
        },
      });
      expect(result).toEqual({ ok: true, status: 200 });
      outbox.delivered(row!.id);
      expect(outbox.nextAttemptAt()).toBeNull();

      const [{ headers, body }] = received as [(typeof received)[0]];
      expect(body).toBe(JSON.stringify(event));
      expect(headers['webhook-id']).toBe(event.id);
      const verifier = new Webhook(btoa(secret));
      expect(verifier.verify(body, headers)).toEqual(event);
      expect(headers['x-ik-signature']).toMatch(/^t=\d{13},v1=[0-9a-f]{64}$/);
    });
  });

  it('records a failed delivery for a retry', async () => {
    await withOutbox(async (outbox) => {
      const event = webhookEvent('file.created', {}, T0);
      outbox.enqueue(event, T0);
      const [row] = outbox.due(T0, 1);
      const result = await deliverWebhook({ url: 'https://hooks.example.com/', secret: 's' }, row!, {
        fetcher: async () => new Response('busy', { status: 503 }),
      });
      expect(result).toEqual({ ok: false, error: 'the endpoint answered 503' });
      if (!result.ok) expect(outbox.failed(row!.id, result.error, T0)).toBe('retry');
      expect(outbox.due(T0 + 10_000, 1)[0]).toMatchObject({ attempts: 1, last_error: 'the endpoint answered 503' });
    });
  });
});
