/**
 * Cache hits of library files make no call to the tenant's MediaLibrary object: delivery runs here with an env
 * whose MEDIA_LIBRARY namespace counts every call made through its stubs. What the library publishes on each
 * change (KV) is what the hits rely on: a new version, a file made private and a deleted file take effect at once.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deliver } from '../../../src/delivery/pipeline';
import { parseDeliveryUrl } from '../../../src/delivery/url';
import type { Env } from '../../../src/env';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, ORIGIN } from '../helpers';
import { newLibraryTenant, type LibraryTenant } from '../library-helpers';

/**
 * The Worker's env, with every call into a MediaLibrary object counted but the usage meter's: an isolate writes
 * delivered bytes at most every USAGE_FLUSH_MS (10 s in production, at once in these tests), not once per hit.
 */
function countingEnv(): { env: Env; calls: string[] } {
  const calls: string[] = [];
  const namespace = new Proxy(env.MEDIA_LIBRARY, {
    get(target, property) {
      if (property !== 'get') {
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (id: DurableObjectId) => {
        const stub = target.get(id);
        return new Proxy(stub, {
          get: (s, method) => (...args: unknown[]) => {
            if (method !== 'addUsage') calls.push(String(method));
            return (s as unknown as Record<string, (...a: unknown[]) => unknown>)[method as string]!(...args);
          },
        });
      };
    },
  });
  return { env: { ...(env as unknown as Env), MEDIA_LIBRARY: namespace }, calls };
}

async function deliverWith(target: Env, path: string): Promise<Response> {
  const request = new Request(`${ORIGIN}${path}`);
  const exec = createExecutionContext();
  const response = await deliver(request, target, exec, parseDeliveryUrl(new URL(request.url))!);
  const body = new Uint8Array(await response.arrayBuffer());
  // The variant is stored after the response, in waitUntil.
  await waitOnExecutionContext(exec);
  return new Response(body, response);
}

const upload = async (t: LibraryTenant, fixture: string, isPrivateFile = false) =>
  t.client.files.upload({ file: new File([await fixtureBytes(fixture)], 'photo.jpg'), fileName: 'photo.jpg', useUniqueFileName: false, isPrivateFile });

const cacheStatus = (response: Response) => /cache;desc=([a-z-]+)/.exec(response.headers.get('Server-Timing') ?? '')?.[1];

describe('cache hits of library files', () => {
  it('call the tenant object not once, and follow every change the library publishes', async () => {
    const t = await newLibraryTenant();
    await upload(t, fixtures.photo1000x800.path);
    const path = `/${t.tenantId}/tr:w-100/photo.jpg`;
    const { env: counted, calls } = countingEnv();

    const first = await deliverWith(counted, path);
    expect(cacheStatus(first)).toBe('miss');
    expect((await decodeResponse(first)).height).toBe(80);
    // The miss asked the library once, to confirm what it had published.
    expect(calls).toEqual(['lookup']);

    calls.length = 0;
    for (let i = 0; i < 20; i++) {
      const hit = await deliverWith(counted, path);
      expect(cacheStatus(hit)).toMatch(/^hit-/);
      expect((await decodeResponse(hit)).height).toBe(80);
    }
    expect(calls).toEqual([]);

    // A new version: the next request renders it, and hits again from then on.
    await upload(t, fixtures.pngAlphaGradient.path);
    expect((await decodeResponse(await deliverWith(counted, path))).height).toBe(75);
    calls.length = 0;
    expect(cacheStatus(await deliverWith(counted, path))).toMatch(/^hit-/);
    expect(calls).toEqual([]);

    // Made private: refused without a signature, still without a call.
    await upload(t, fixtures.pngAlphaGradient.path, true);
    expect((await deliverWith(counted, path)).status).toBe(401);
    expect(calls).toEqual([]);

    // Deleted: gone for delivery at once.
    const [file] = await t.client.assets.list({});
    await t.client.files.delete((file as { fileId: string }).fileId);
    expect((await deliverWith(counted, path)).status).toBe(404);
  });

  it('answer URLs that pin a version, or carry an updatedAt newer than what was published, from the library', async () => {
    const t = await newLibraryTenant();
    const v1 = await upload(t, fixtures.photo1000x800.path);
    await upload(t, fixtures.pngAlphaGradient.path);
    const { env: counted, calls } = countingEnv();

    const pinned = await deliverWith(counted, `/${t.tenantId}/tr:w-100/photo.jpg?ik-obj-version=${v1.versionInfo!.id}`);
    expect((await decodeResponse(pinned)).height).toBe(80);
    expect(calls).toContain('lookup');

    calls.length = 0;
    const future = Date.now() + 60_000;
    expect((await deliverWith(counted, `/${t.tenantId}/tr:w-100/photo.jpg?updatedAt=${future}`)).status).toBe(200);
    expect(calls).toContain('lookup');
  });
});
