/**
 * Durable Objects started without the name they are addressed by, as production starts them after an eviction:
 * an alarm, or a stub made from `idFromString`, reaches an instance whose `ctx.id.name` is undefined. Each test
 * ends the live instance first, so the next contact constructs a fresh one.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { MediaLibrary } from '../../../src/durable/media-library';
import { fixtures } from '../../fixtures/registry';
import { callApi } from '../api-helpers';
import { decodeResponse, fixtureBytes, get } from '../helpers';
import { fileAt, newLibraryTenant, type LibraryTenant } from '../library-helpers';
import { servers, unique } from '../origin-servers';

/** Ends the object's live instance; its storage stays. The stub is spent afterwards. */
async function evict(stub: DurableObjectStub): Promise<void> {
  await runInDurableObject(stub, (_instance, state) => state.abort('evicted by the test')).catch(() => undefined);
}

/** A stub that reaches the same object as `idFromName(name)` but carries no name, like an alarm. */
function namelessStub<T extends Rpc.DurableObjectBranded>(namespace: DurableObjectNamespace<T>, name: string) {
  return namespace.get(namespace.idFromString(namespace.idFromName(name).toString()));
}

const upload = async (t: LibraryTenant, fileName: string, fixture = fixtures.jpegBaseline.path) =>
  t.client.files.upload({ file: new File([await fixtureBytes(fixture)], fileName), fileName, useUniqueFileName: false });

const hooksReceived = async (name: string) => (await (await fetch(`${servers.webFolder}/_hooks/${name}`)).json()) as { body: string }[];

describe('a MediaLibrary woken by its alarm, without a name', () => {
  it('runs the alarm (sweep and webhooks) and then serves delivery and the API from that same instance', async () => {
    const t = await newLibraryTenant();
    const hook = unique('hook');
    expect((await callApi(t.auth, 'PUT', '/v1/accounts/webhook', { url: `${servers.webFolder}/hooks/${hook}` })).status).toBe(200);
    await upload(t, 'kept.jpg');
    const dropped = await upload(t, 'dropped.png', fixtures.basn6a08.path);
    const droppedBlob = (await fileAt(t.tenantId, '/dropped.png'))!.blobKey;
    await t.client.files.delete(dropped.fileId!);

    const named = env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(t.tenantId));
    // Let the uploads' reservations run out, so the sweep may take the deleted file's bytes.
    await runInDurableObject(named, (_instance, state) => state.storage.sql.exec('UPDATE blobs SET reserved_until = 0'));
    await evict(env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(t.tenantId)));
    const nameless = namelessStub(env.MEDIA_LIBRARY, t.tenantId);
    expect(await runDurableObjectAlarm(nameless)).toBe(true);

    // The alarm knew its tenant: the orphaned blob's bytes are gone and the queued events reached the webhook.
    expect(await env.MEDIA.head(droppedBlob)).toBeNull();
    const types = (await hooksReceived(hook)).map((h) => (JSON.parse(h.body) as { type: string }).type);
    expect(types).toEqual(['file.created', 'file.created', 'file.deleted']);

    // The instance the alarm started is the one that now serves, and it still has no name.
    const renamed = env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(t.tenantId));
    expect(await runInDurableObject(renamed, (_instance, state) => state.id.name)).toBeUndefined();
    const delivered = await get(`/${t.tenantId}/tr:w-40/kept.jpg`);
    expect(delivered.status).toBe(200);
    expect((await decodeResponse(delivered)).width).toBe(40);
    const listed = await t.client.assets.list({});
    expect(listed.map((a) => (a as { name: string }).name)).toEqual(['kept.jpg']);
  });

  it('finds its tenant among the stored tenants when it never stored its name (objects from before)', async () => {
    const t = await newLibraryTenant();
    await upload(t, 'old.jpg');
    const named = env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(t.tenantId));
    await runInDurableObject(named, (_instance, state) => state.storage.kv.delete('identity:name'));
    await evict(env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(t.tenantId)));

    const nameless = namelessStub(env.MEDIA_LIBRARY, t.tenantId);
    expect(await runDurableObjectAlarm(nameless)).toBe(true);
    expect(await runInDurableObject(nameless, (_instance, state) => state.storage.kv.get('identity:name'))).toBe(t.tenantId);
    expect((await get(`/${t.tenantId}/old.jpg`)).status).toBe(200);
  });

  it('answers as an empty library after an erase, on the same instance', async () => {
    const t = await newLibraryTenant();
    await upload(t, 'gone.jpg');
    const named = env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(t.tenantId));
    await runInDurableObject(named, (library) => (library as MediaLibrary).erase());
    expect(await t.client.assets.list({})).toEqual([]);
    expect((await get(`/${t.tenantId}/gone.jpg`)).status).toBe(404);
  });
});

describe('a TenantLock restarted while it is held', () => {
  it('keeps the lease: a new instance makes the next holder wait until the first releases', async () => {
    const name = unique('lock');
    const first = await env.TENANT_LOCK.get(env.TENANT_LOCK.idFromName(name)).acquire();
    await evict(env.TENANT_LOCK.get(env.TENANT_LOCK.idFromName(name)));
    // A stub that reached the ended instance is broken; callers after a restart come with new ones.
    const lock = env.TENANT_LOCK.get(env.TENANT_LOCK.idFromName(name));

    let second: string | null = null;
    const waiting = lock.acquire().then((token) => (second = token));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second).toBeNull();
    await lock.release(first);
    await waiting;
    expect(second).toMatch(/^[0-9a-f-]{36}$/);
    await lock.release(second!);
  });
});
