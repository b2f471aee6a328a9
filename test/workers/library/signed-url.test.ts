/** Signed URLs made by the server for holders of no private key: they verify like any SDK-signed URL. */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { callApi } from '../api-helpers';
import { fixtureBytes } from '../helpers';
import { newLibraryTenant } from '../library-helpers';

describe('POST /v1/files/signed-url', () => {
  it('signs a private file URL that then delivers, and expires as asked', async () => {
    const owner = await newLibraryTenant();
    const file = await owner.client.files.upload({
      file: new File([await fixtureBytes(fixtures.jpegBaseline.path)], 'secret.jpg'),
      fileName: 'secret.jpg',
      isPrivateFile: true,
      useUniqueFileName: false,
    });
    const url = `${file.url}?tr=w-40`;
    expect((await SELF.fetch(url)).status).toBe(401);

    const before = Math.floor(Date.now() / 1000);
    const res = await callApi(owner.auth, 'POST', '/v1/files/signed-url', { url, expireSeconds: 120 });
    expect(res.status).toBe(200);
    const signed = (await res.json()) as { url: string; expiresAt: string };
    const expiry = Number(new URL(signed.url).searchParams.get('ik-t'));
    expect(expiry).toBeGreaterThanOrEqual(before + 120);
    expect(expiry).toBeLessThanOrEqual(before + 122);
    expect(new Date(signed.expiresAt).getTime()).toBe(expiry * 1000);
    const delivered = await SELF.fetch(signed.url);
    expect(delivered.status).toBe(200);
    expect(delivered.headers.get('Content-Type')).toMatch(/^image\//);
    // The signature covers the transformation: changing it breaks the URL.
    expect((await SELF.fetch(signed.url.replace('w-40', 'w-41'))).status).toBe(401);
  });

  it('signs only unsigned URLs of its own account, for read access or more', async () => {
    const t = await newLibraryTenant({ files: 'read', settings: 'none', audit: 'none' });
    const other = await newLibraryTenant();
    const refuse = async (body: unknown, status = 400) => {
      const res = await callApi(t.auth, 'POST', '/v1/files/signed-url', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
    };
    await refuse({ url: `${other.endpoint}/a.jpg` });
    await refuse({ url: `${t.endpoint}evil/a.jpg` });
    await refuse({ url: `${t.endpoint}/a.jpg?ik-s=${'0'.repeat(40)}` });
    await refuse({ url: `${t.endpoint}/a.jpg`, expireSeconds: 0 });
    await refuse({ url: `${t.endpoint}/a.jpg`, expireSeconds: 'soon' });
    await refuse({});
    const ok = await callApi(t.auth, 'POST', '/v1/files/signed-url', { url: `${t.endpoint}/a.jpg` });
    expect(ok.status).toBe(200);
    const none = await newLibraryTenant({ files: 'none', settings: 'read', audit: 'none' });
    expect((await callApi(none.auth, 'POST', '/v1/files/signed-url', { url: `${none.endpoint}/a.jpg` })).status).toBe(403);
  });
});
