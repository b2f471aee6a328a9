/**
 * Signed URLs through the Worker: URLs signed by `@imagekit/nodejs` 7 and the legacy `imagekit` 6 (made in Node by
 * test/sdk/global-setup.ts for fixed tenants and keys), in query and path form, with non-ASCII paths; expired,
 * tampered and missing signatures; several keys and a key deleted with a delay; `restrictUnsignedUrls`; private
 * files, which need a signature unless served through a named transformation.
 */
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { signUrl } from '../../../src/security/signature';
import type { TenantConfig } from '../../../src/tenants/config';
import { readTenantFresh, saveTenant } from '../../../src/tenants/store';
import { fixtures } from '../../fixtures/registry';
import {
  SDK_FILES,
  SDK_PREFIX_KEY,
  SDK_PREFIX_TENANT,
  SDK_PRIVATE_KEY,
  SDK_SECOND_KEY,
  SDK_TENANT,
  SDK_URL_PREFIX,
  type SdkUrl,
} from '../../sdk/provided';
import { addKey, newTenantWithKey } from '../api-helpers';
import { decodeResponse, fixtureBytes, json, ORIGIN, putOriginal } from '../helpers';

const urls = inject('sdkUrls');
const pick = (kind: SdkUrl['kind'], file?: SdkUrl['file']) => urls.filter((u) => u.kind === kind && (!file || u.file === file));
const label = (u: SdkUrl) => `${u.sdk} ${u.position} ${u.file}`;

let secondKeyId: string;

async function putFile(tenantId: string, path: string, isPrivate = false) {
  await putOriginal(tenantId, path, await fixtureBytes(fixtures.jpegBaseline.path), 'image/jpeg', { isPrivate });
}

async function editTenant(id: string, change: (config: TenantConfig) => void) {
  const config = (await readTenantFresh(env, id))!;
  change(config);
  await saveTenant(env, config);
}

/** A 200, or a failure that shows the JSON error. */
async function expectServed(url: string): Promise<Response> {
  const res = await SELF.fetch(url);
  if (res.status !== 200) expect.fail(`${res.status} ${await res.text()} for ${url}`);
  return res;
}

async function expect401(res: Response, fragment: string) {
  expect(res.status).toBe(401);
  expect(res.headers.get('Content-Type')).toContain('application/json');
  const body = await json(res);
  expect(body.message).toContain(fragment);
  expect(body.help).toContain('signed');
}

beforeAll(async () => {
  await newTenantWithKey(undefined, {}, { tenantId: SDK_TENANT, privateKey: SDK_PRIVATE_KEY });
  secondKeyId = (await addKey(SDK_TENANT, undefined, SDK_SECOND_KEY)).keyId;
  for (const [file, path] of Object.entries(SDK_FILES)) await putFile(SDK_TENANT, path, file === 'private');

  await newTenantWithKey(undefined, {}, { tenantId: SDK_PREFIX_TENANT, privateKey: SDK_PREFIX_KEY });
  await editTenant(SDK_PREFIX_TENANT, (c) => {
    c.urlEndpoints.push({ id: 'ep_shop', description: 'shop', urlPrefix: SDK_URL_PREFIX, origins: [] });
  });
  await putFile(SDK_PREFIX_TENANT, SDK_FILES.ascii);
});

describe('what workerd gives as request.url', () => {
  it('percent-encodes non-ASCII (UTF-8, upper-case hex), space and ^ in the path, keeps escapes as sent', () => {
    expect(new Request(`${ORIGIN}/t/a^b é 日.jpg?tr=w-1,h-2:rt-90&x=é'`).url).toBe(
      `${ORIGIN}/t/a%5Eb%20%C3%A9%20%E6%97%A5.jpg?tr=w-1,h-2:rt-90&x=%C3%A9%27`,
    );
    expect(new Request(`${ORIGIN}/t/%7e%41.jpg?tr=w-300%2Ch-200`).url).toBe(`${ORIGIN}/t/%7e%41.jpg?tr=w-300%2Ch-200`);
  });

  it('the SDK URLs under test include raw ^ (Node) that workerd sends as %5E', () => {
    const caret = pick('forever', 'caret').find((u) => u.sdk === 'nodejs7')!;
    expect(caret.url).toContain('^');
    expect(new Request(caret.url).url).toContain('%5E');
  });
});

describe('URLs signed by the SDKs are served', () => {
  it('were all generated', () => {
    // 2 SDKs × 2 positions × (4 files × 3 kinds + second-key + prefix)
    expect(urls).toHaveLength(56);
    expect(pick('forever', 'unicode').every((u) => u.url.includes('%C3%B6'))).toBe(true);
    expect(pick('forever').some((u) => u.position === 'query' && u.url.includes('tr=w-100,h-80:rt-90&ik-s='))).toBe(true);
    expect(pick('forever').some((u) => u.url.includes('tr=w-100%2Ch-80%3Art-90&ik-s='))).toBe(true); // imagekit 6 query form
  });

  it.each([...pick('forever'), ...pick('expiring')].map((u) => [`${u.kind} ${label(u)}`, u] as const))('%s', async (_name, u) => {
    const res = await expectServed(u.url);
    const image = await decodeResponse(res);
    expect([image.width, image.height]).toEqual([80, 100]);
  });

  it.each(pick('prefix').map((u) => [label(u), u] as const))('through a URL endpoint with a prefix: %s', async (_name, u) => {
    expect(u.url).toContain(`/${SDK_PREFIX_TENANT}/${SDK_URL_PREFIX}/`);
    const res = await expectServed(u.url);
    expect(res.headers.get('Content-Type')).toBe('image/jpeg');
    const tampered = await SELF.fetch(u.url.replace('w-100', 'w-101'));
    await expect401(tampered, 'does not match');
  });
});

describe('refused signatures are 401 with a JSON message', () => {
  it.each(pick('expired').map((u) => [label(u), u] as const))('expired: %s', async (_name, u) => {
    expect(u.url).toMatch(/ik-t=\d+&ik-s=[0-9a-f]{40}$/);
    await expect401(await SELF.fetch(u.url), 'expired');
  });

  it.each([...pick('forever', 'ascii'), ...pick('expiring', 'unicode')].map((u) => [`${u.kind} ${label(u)}`, u] as const))(
    'tampered: %s',
    async (_name, u) => {
      await expect401(await SELF.fetch(u.url.replace('w-100', 'w-200')), 'does not match');
      await expect401(await SELF.fetch(u.url.replace(/ik-s=([0-9a-f])/, (_m, c: string) => `ik-s=${c === 'a' ? 'b' : 'a'}`)), 'does not match');
      await expect401(await SELF.fetch(u.url.replace('?', '?v=2&')), 'does not match');
      // The same file path under another tenant (another key).
      await expect401(await SELF.fetch(u.url.replace(`/${SDK_TENANT}/`, `/${SDK_PREFIX_TENANT}/`)), 'does not match');
      if (u.kind === 'expiring') {
        await expect401(await SELF.fetch(u.url.replace(/ik-t=(\d+)/, (_m, t: string) => `ik-t=${Number(t) + 86400}`)), 'does not match');
      }
    },
  );

  it('a malformed ik-s or ik-t', async () => {
    const base = `${ORIGIN}/${SDK_TENANT}/${SDK_FILES.ascii}`;
    await expect401(await SELF.fetch(`${base}?ik-s=xyz`), 'malformed');
    await expect401(await SELF.fetch(`${base}?ik-t=tomorrow&ik-s=${'0'.repeat(40)}`), 'malformed');
  });

  it('an unsigned URL still works while the tenant does not restrict them, and a present ik-s is always checked', async () => {
    const res = await SELF.fetch(`${ORIGIN}/${SDK_TENANT}/tr:w-50/${SDK_FILES.ascii}`);
    expect(res.status).toBe(200);
    await expect401(await SELF.fetch(`${ORIGIN}/${SDK_TENANT}/tr:w-50/${SDK_FILES.ascii}?ik-s=${'a'.repeat(40)}`), 'does not match');
  });
});

describe('several keys, and a key deleted with a delay', () => {
  const secondKeyUrls = () => pick('second-key');

  it('a URL signed by any active key is valid; after a delayed delete until the key expires, not after', async () => {
    for (const u of secondKeyUrls()) expect((await SELF.fetch(u.url)).status, label(u)).toBe(200);

    const del = await SELF.fetch(`${ORIGIN}/v1/accounts/api-keys/${secondKeyId}?delaySeconds=3600`, {
      method: 'DELETE',
      headers: { Authorization: `Basic ${btoa(`${SDK_PRIVATE_KEY}:`)}` },
    });
    expect(del.status).toBe(204);
    const record = (await readTenantFresh(env, SDK_TENANT))!.keys.find((k) => k.id === secondKeyId)!;
    expect(Date.parse(record.expiresAt!)).toBeGreaterThan(Date.now());
    for (const u of secondKeyUrls()) expect((await SELF.fetch(u.url)).status, label(u)).toBe(200);

    // The delay runs out.
    await editTenant(SDK_TENANT, (c) => {
      c.keys.find((k) => k.id === secondKeyId)!.expiresAt = new Date(Date.now() - 1000).toISOString();
    });
    for (const u of secondKeyUrls()) await expect401(await SELF.fetch(u.url), 'does not match');
    // The first key is unaffected.
    expect((await SELF.fetch(pick('forever', 'ascii')[0]!.url)).status).toBe(200);
  });
});

describe('restrictUnsignedUrls', () => {
  it('on: unsigned URLs are 401, signed ones served; off again: unsigned served', async () => {
    const { tenantId, privateKey } = await newTenantWithKey(undefined, { restrictUnsignedUrls: true });
    await putFile(tenantId, 'a.jpg');
    const plain = `${ORIGIN}/${tenantId}/tr:w-40/a.jpg`;
    await expect401(await SELF.fetch(plain), 'must be signed');
    await expect401(await SELF.fetch(`${ORIGIN}/${tenantId}/a.jpg`), 'must be signed');

    const endpoint = `${ORIGIN}/${tenantId}`;
    const signed = await signUrl(plain, endpoint, privateKey);
    expect((await SELF.fetch(signed)).status).toBe(200);
    const expiring = await signUrl(`${endpoint}/a.jpg?tr=w-30&ik-attachment=true`, endpoint, privateKey, Math.floor(Date.now() / 1000) + 60);
    const res = await SELF.fetch(expiring);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toContain('attachment');
    const expired = await signUrl(plain, endpoint, privateKey, Math.floor(Date.now() / 1000) - 1);
    await expect401(await SELF.fetch(expired), 'expired');

    await editTenant(tenantId, (c) => {
      c.settings.restrictUnsignedUrls = false;
    });
    expect((await SELF.fetch(plain)).status).toBe(200);
  });
});

describe('private files', () => {
  const privatePath = `${ORIGIN}/${SDK_TENANT}/${SDK_FILES.private}`;

  beforeAll(async () => {
    await editTenant(SDK_TENANT, (c) => {
      c.namedTransformations.push({
        id: 'nt_small',
        name: 'small',
        description: '',
        transformation: 'w-60',
        enabled: true,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      });
    });
  });

  it('need a signature for the original and for unnamed transformations', async () => {
    await expect401(await SELF.fetch(privatePath), 'private');
    await expect401(await SELF.fetch(`${ORIGIN}/${SDK_TENANT}/tr:w-50/${SDK_FILES.private}`), 'private');
    await expect401(await SELF.fetch(`${privatePath}?tr=orig-true`), 'private');
    await expect401(await SELF.fetch(`${ORIGIN}/${SDK_TENANT}/tr:n-small,w-50/${SDK_FILES.private}`), 'private');
    await expect401(await SELF.fetch(`${ORIGIN}/${SDK_TENANT}/tr:n-small/${SDK_FILES.private}?tr=w-10`), 'private');
  });

  it('are served with a valid SDK signature, cacheable only privately', async () => {
    for (const u of [...pick('forever', 'private'), ...pick('expiring', 'private')]) {
      const res = await SELF.fetch(u.url);
      expect(res.status, label(u)).toBe(200);
      expect(res.headers.get('Cache-Control'), label(u)).toBe('private, max-age=3600');
    }
    for (const u of pick('expired', 'private')) await expect401(await SELF.fetch(u.url), 'expired');
  });

  it('are served without a signature through named transformations only', async () => {
    const small = await SELF.fetch(`${ORIGIN}/${SDK_TENANT}/tr:n-small/${SDK_FILES.private}`);
    expect(small.status).toBe(200);
    expect((await decodeResponse(small)).width).toBe(60);
    const query = await SELF.fetch(`${privatePath}?tr=n-small`);
    expect(query.status).toBe(200);
    const thumbnail = await SELF.fetch(`${ORIGIN}/${SDK_TENANT}/tr:n-ik_ml_thumbnail/${SDK_FILES.private}`);
    expect(thumbnail.status).toBe(200);
    const image = await decodeResponse(thumbnail);
    expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(200);
  });

  it('a public file needs nothing', async () => {
    const res = await SELF.fetch(`${ORIGIN}/${SDK_TENANT}/${SDK_FILES.ascii}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+$/);
  });
});
