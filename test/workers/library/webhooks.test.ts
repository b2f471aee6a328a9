/**
 * Library events reach the tenant's webhook, signed so the SDK's `webhooks.unwrap` accepts them, and are retried
 * with backoff when the receiver fails. The receiver is the web-folder test server's /hooks route.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { MediaLibrary } from '../../../src/durable/media-library';
import { fixtures } from '../../fixtures/registry';
import { callApi } from '../api-helpers';
import { fixtureBytes } from '../helpers';
import { newLibraryTenant, type LibraryTenant } from '../library-helpers';
import { servers, unique } from '../origin-servers';

interface Received {
  headers: Record<string, string>;
  body: string;
  status: number;
}

const received = async (name: string) => (await (await fetch(`${servers.webFolder}/_hooks/${name}`)).json()) as Received[];
const libraryStub = (tenantId: string) => env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(tenantId));

async function withWebhook(t: LibraryTenant, query = ''): Promise<{ name: string; secret: string }> {
  const name = unique('hook');
  const response = await callApi(t.auth, 'PUT', '/v1/accounts/webhook', { url: `${servers.webFolder}/hooks/${name}${query}` });
  expect(response.status).toBe(200);
  const { secret } = (await response.json()) as { secret: string };
  expect(secret).toMatch(/^whsec_/);
  return { name, secret };
}

const upload = async (t: LibraryTenant, fileName: string) =>
  t.client.files.upload({ file: new File([await fixtureBytes(fixtures.jpegBaseline.path)], fileName), fileName, useUniqueFileName: false });

describe('webhooks', () => {
  it('sends file.created, file-version.created, file.updated and file.deleted, each verifiable with the SDK', async () => {
    const t = await newLibraryTenant();
    const { name, secret } = await withWebhook(t);
    const file = await upload(t, 'a.jpg');
    await upload(t, 'a.jpg');
    await t.client.files.update(file.fileId!, { tags: ['x'] });
    await t.client.files.delete(file.fileId!);
    await runDurableObjectAlarm(libraryStub(t.tenantId));

    const hooks = await received(name);
    const events = hooks.map((hook) => t.client.webhooks.unwrap(hook.body, { headers: hook.headers, key: secret }) as unknown as { type: string; data: Record<string, unknown> });
    expect(events.map((e) => e.type)).toEqual(['file.created', 'file-version.created', 'file.updated', 'file.updated', 'file.deleted']);
    expect(events[0]!.data).toMatchObject({ fileId: file.fileId, filePath: '/a.jpg', url: `${t.endpoint}/a.jpg` });
    expect(events[1]!.data).toMatchObject({ fileId: file.fileId, versionInfo: { name: 'Version 2' } });
    expect(events[4]!.data).toEqual({ fileId: file.fileId });
    expect(hooks[0]!.headers['x-ik-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    // A body altered in transit no longer verifies.
    expect(() => t.client.webhooks.unwrap(hooks[0]!.body.replace('a.jpg', 'b.jpg'), { headers: hooks[0]!.headers, key: secret })).toThrow();
  });

  it('retries a failed delivery with the same event id after the backoff', async () => {
    const t = await newLibraryTenant();
    const { name } = await withWebhook(t, '?fail=1');
    await upload(t, 'r.jpg');
    const stub = libraryStub(t.tenantId);
    await runDurableObjectAlarm(stub);
    expect((await received(name)).map((h) => h.status)).toEqual([500]);
    // Not due again before the first delay has passed.
    expect(await runInDurableObject(stub, (library) => (library as MediaLibrary).sendWebhooks(Date.now() + 1_000))).toBe(0);
    expect(await runInDurableObject(stub, (library) => (library as MediaLibrary).sendWebhooks(Date.now() + 11_000))).toBe(1);
    const hooks = await received(name);
    expect(hooks.map((h) => h.status)).toEqual([500, 204]);
    expect(hooks[1]!.headers['webhook-id']).toBe(hooks[0]!.headers['webhook-id']);
  });

  it('drops events when no webhook is configured, and shows the secret only when it is made', async () => {
    const t = await newLibraryTenant();
    await upload(t, 'n.jpg');
    const stub = libraryStub(t.tenantId);
    await runDurableObjectAlarm(stub);
    const queued = await runInDurableObject(stub, (_, state) => state.storage.sql.exec('SELECT COUNT(*) AS n FROM webhook_outbox').one().n);
    expect(queued).toBe(0);

    await withWebhook(t);
    const again = await callApi(t.auth, 'PUT', '/v1/accounts/webhook', { url: 'https://hooks.example/edgepix' });
    expect(await again.json()).toEqual({ url: 'https://hooks.example/edgepix' });
    expect(await (await callApi(t.auth, 'GET', '/v1/accounts/webhook')).json()).toEqual({ url: 'https://hooks.example/edgepix' });
    expect((await callApi(t.auth, 'PUT', '/v1/accounts/webhook', { url: 'ftp://x' })).status).toBe(400);
    expect((await callApi(t.auth, 'DELETE', '/v1/accounts/webhook')).status).toBe(204);
    expect(await (await callApi(t.auth, 'GET', '/v1/accounts/webhook')).json()).toEqual({ url: null });
  });
});
