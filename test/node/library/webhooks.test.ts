/**
 * Webhook signatures: the headers edgepix sends must verify with the standardwebhooks library as the current SDK
 * uses it, with @imagekit/nodejs `webhooks.unwrap()`, and with imagekit@6 `verifyWebhookEvent` (x-ik-signature).
 */
import { createHmac } from 'node:crypto';
import ImageKit from '@imagekit/nodejs';
import LegacyImageKit from 'imagekit';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { deliverWebhook, signWebhook, webhookEvent, type OutboxRow } from '../../../src/library/webhooks';

const SECRET = 'whsec_EvCLlGyctj2WyIMW2r62m3JnyN4SXMsY';
const now = () => Math.floor(Date.now() / 1000);

function eventBody(): { id: string; body: string } {
  const event = webhookEvent('file.created', { fileId: 'f1', name: 'ünïcode.jpg' }, Date.now());
  return { id: event.id, body: JSON.stringify(event) };
}

describe('webhookEvent', () => {
  it('has the SDK event shape', () => {
    const event = webhookEvent('file-version.deleted', { fileId: 'f', versionId: 'v' }, Date.UTC(2024, 4, 1, 10, 0, 0, 5));
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'file-version.deleted',
      created_at: '2024-05-01T10:00:00.005Z',
      data: { fileId: 'f', versionId: 'v' },
    });
    expect(webhookEvent('file.created', {}, 0).id).not.toBe(event.id);
  });
});

describe('signWebhook', () => {
  it('verifies with standardwebhooks keyed the way the SDK keys it', async () => {
    const { id, body } = eventBody();
    const headers = await signWebhook(SECRET, id, now(), body);
    expect(new Webhook(Buffer.from(SECRET).toString('base64')).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(Buffer.from(SECRET), { format: 'raw' }).verify(body, headers)).toEqual(JSON.parse(body));
    // A different secret or a changed body fails.
    expect(() => new Webhook(Buffer.from(`${SECRET}x`).toString('base64')).verify(body, headers)).toThrow();
    expect(() => new Webhook(Buffer.from(SECRET).toString('base64')).verify(body.replace('f1', 'f2'), headers)).toThrow();
  });

  it('verifies with @imagekit/nodejs webhooks.unwrap (secret from the client or passed as key)', async () => {
    const { id, body } = eventBody();
    const headers = await signWebhook(SECRET, id, now(), body);
    const client = new ImageKit({ privateKey: 'private_test', webhookSecret: SECRET });
    expect(client.webhooks.unwrap(body, { headers })).toEqual(JSON.parse(body));
    const other = new ImageKit({ privateKey: 'private_test' });
    expect(other.webhooks.unwrap(body, { headers, key: SECRET })).toMatchObject({ id, type: 'file.created' });
    expect(() => other.webhooks.unwrap(body, { headers, key: 'whsec_wrong' })).toThrow();
  });

  it('uses UTF-8 bytes for a secret that is not ASCII, like the SDK', async () => {
    const secret = 'sécret-ü';
    const { id, body } = eventBody();
    const headers = await signWebhook(secret, id, now(), body);
    const client = new ImageKit({ privateKey: 'private_test', webhookSecret: secret });
    expect(client.webhooks.unwrap(body, { headers })).toMatchObject({ id });
  });

  it('timestamps in seconds; a stale one is refused by the verifier', async () => {
    const { id, body } = eventBody();
    const headers = await signWebhook(SECRET, id, now() - 3600, body);
    expect(headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    const client = new ImageKit({ privateKey: 'private_test', webhookSecret: SECRET });
    expect(() => client.webhooks.unwrap(body, { headers })).toThrow(/too old/);
  });

  it('matches a fixed vector for both header sets', async () => {
    const body = '{"id":"evt_1","type":"file.deleted","created_at":"2024-05-01T10:00:00.000Z","data":{"fileId":"f1"}}';
    const headers = await signWebhook(SECRET, 'evt_1', 1714557600, body);
    const v1 = createHmac('sha256', SECRET).update(`evt_1.1714557600.${body}`).digest('base64');
    const legacy = createHmac('sha256', SECRET).update(`1714557600000.${body}`).digest('hex');
    expect(headers).toEqual({
      'webhook-id': 'evt_1',
      'webhook-timestamp': '1714557600',
      'webhook-signature': `v1,${v1}`,
      'x-ik-signature': `t=1714557600000,v1=${legacy}`,
    });
  });

  it('x-ik-signature verifies with imagekit@6 verifyWebhookEvent', async () => {
    const { id, body } = eventBody();
    const ts = now();
    const headers = await signWebhook(SECRET, id, ts, body);
    const legacy = new LegacyImageKit({ publicKey: 'public_test', privateKey: 'private_test', urlEndpoint: 'https://ik.test/x' });
    const verified = legacy.verifyWebhookEvent(body, headers['x-ik-signature']!, SECRET);
    expect(verified.timestamp).toBe(ts * 1000);
    expect(verified.event).toMatchObject({ id, type: 'file.created' });
    expect(() => legacy.verifyWebhookEvent(body, headers['x-ik-signature']!, 'whsec_other')).toThrow();
  });
});

describe('deliverWebhook', () => {
  const row = (): OutboxRow => {
    const { id, body } = eventBody();
    return { id, type: 'file.created', body, attempts: 0, next_attempt_at: 0, last_error: null, created_at: 0 };
  };

  it('POSTs the signed body and reports a 2xx as delivered', async () => {
    const outbox = row();
    let seen: Request | undefined;
    let seenBody = '';
    const result = await deliverWebhook({ url: 'https://hooks.example.com/ik', secret: SECRET }, outbox, {
      fetcher: async (request) => {
        seen = request;
        seenBody = await request.text();
        return new Response(null, { status: 204 });
      },
    });
    expect(result).toEqual({ ok: true, status: 204 });
    expect(seen!.method).toBe('POST');
    expect(seen!.redirect).toBe('manual');
    expect(seen!.headers.get('content-type')).toBe('application/json');
    expect(seenBody).toBe(outbox.body);
    const headers = Object.fromEntries(seen!.headers);
    const client = new ImageKit({ privateKey: 'private_test', webhookSecret: SECRET });
    expect(client.webhooks.unwrap(seenBody, { headers })).toMatchObject({ id: outbox.id });
  });

  it('reports other statuses, redirects and network errors as errors', async () => {
    const target = { url: 'https://hooks.example.com/ik', secret: SECRET };
    expect(await deliverWebhook(target, row(), { fetcher: async () => new Response('no', { status: 500 }) })).toEqual({
      ok: false,
      error: 'the endpoint answered 500',
    });
    const redirect = await deliverWebhook(target, row(), {
      fetcher: async () => new Response(null, { status: 302, headers: { Location: 'https://elsewhere.example.com/' } }),
    });
    expect(redirect).toMatchObject({ ok: false, error: expect.stringContaining('redirect') });
    const down = await deliverWebhook(target, row(), {
      fetcher: async () => {
        throw new TypeError('connection refused');
      },
    });
    expect(down).toMatchObject({ ok: false, error: expect.stringContaining('connection refused') });
  });

  it('refuses private addresses unless ALLOW_PRIVATE_ORIGINS is "true"', async () => {
    const target = { url: 'http://127.0.0.1:8787/hook', secret: SECRET };
    let calls = 0;
    const fetcher = async () => {
      calls++;
      return new Response(null, { status: 200 });
    };
    const refused = await deliverWebhook(target, row(), { fetcher });
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('Refused to fetch http://127.0.0.1:8787') });
    expect(calls).toBe(0);
    expect(await deliverWebhook({ ...target, url: 'http://169.254.169.254/' }, row(), { fetcher, env: { ALLOW_PRIVATE_ORIGINS: 'true' } })).toMatchObject({
      ok: false,
    });
    expect(await deliverWebhook(target, row(), { fetcher, env: { ALLOW_PRIVATE_ORIGINS: 'true' } })).toEqual({ ok: true, status: 200 });
    expect(calls).toBe(1);
  });

  it('gives up after the time cap', async () => {
    const hang = (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    const result = await deliverWebhook({ url: 'https://hooks.example.com/', secret: SECRET }, row(), { fetcher: hang, timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('did not answer within 0.05 s') });
  });
});
