/**
 * The upload API through `@imagekit/nodejs` (server-side, Basic auth) and through plain multipart requests for
 * client-side v1 tokens and v2 JWTs: the answer's shape, what is stored and delivered, the field rules, limits,
 * replay protection, and that a failed upload leaves nothing behind.
 */
import { env, SELF } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { servers, unique } from '../origin-servers';
import { callApi } from '../api-helpers';
import { decodeResponse, fixtureBytes, get, ORIGIN } from '../helpers';
import { failure, newLibraryTenant, type LibraryTenant } from '../library-helpers';

const jpegFile = async (name = 'photo.jpg') => new File([await fixtureBytes(fixtures.jpegBaseline.path)], name);

async function uploadForm(fields: Record<string, string | Blob>, version = 1): Promise<Response> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return SELF.fetch(`${ORIGIN}/api/v${version}/files/upload`, { method: 'POST', body: form });
}

async function libraryObjects(tenantId: string): Promise<string[]> {
  return (await env.MEDIA.list({ prefix: `library/${tenantId}/` })).objects.map((o) => o.key);
}

describe('upload API (server-side, through the SDK)', () => {
  it('stores a file and answers ImageKit\'s upload response; the url and thumbnailUrl deliver', async () => {
    const t = await newLibraryTenant();
    const result = await t.client.files.upload({
      file: await jpegFile(),
      fileName: 'photo.jpg',
      folder: '/products/shoes',
      tags: ['red', 'sale'],
      customCoordinates: '10,10,50,40',
      description: 'A test photo',
    });
    expect(result).toMatchObject({
      name: expect.stringMatching(/^photo_[A-Za-z0-9]{8}\.jpg$/),
      filePath: expect.stringMatching(/^\/products\/shoes\/photo_\w+\.jpg$/),
      fileType: 'image',
      width: fixtures.jpegBaseline.width,
      height: fixtures.jpegBaseline.height,
      size: (await fixtureBytes(fixtures.jpegBaseline.path)).length,
      tags: ['red', 'sale'],
      customCoordinates: '10,10,50,40',
      isPrivateFile: false,
      isPublished: true,
      AITags: null,
      customMetadata: {},
      description: 'A test photo',
    });
    expect(result.versionInfo).toEqual({ id: result.fileId, name: 'Version 1' });
    expect(result.url).toBe(`${t.endpoint}${result.filePath}`);
    expect(result.thumbnailUrl).toBe(`${t.endpoint}/tr:n-ik_ml_thumbnail${result.filePath}`);

    const original = await SELF.fetch(result.url!);
    expect(original.status).toBe(200);
    expect((await decodeResponse(original)).width).toBe(fixtures.jpegBaseline.width);
    const thumbnail = await SELF.fetch(result.thumbnailUrl!);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('Content-Type')).toMatch(/^image\//);

    const details = await t.client.files.get(result.fileId!);
    expect(details).toMatchObject({ type: 'file', fileId: result.fileId, filePath: result.filePath, mime: 'image/jpeg' });
    const folders = (await t.client.assets.list({ type: 'folder' })) as { folderPath?: string }[];
    expect(folders.map((f) => f.folderPath).sort()).toEqual(['/products', '/products/shoes']);
  });

  it('the v2 endpoint answers the same, through the SDK\'s beta.v2.files.upload', async () => {
    const t = await newLibraryTenant();
    const result = await t.client.beta.v2.files.upload({ file: await jpegFile(), fileName: 'v2.jpg', folder: '/v2', useUniqueFileName: false });
    expect(result).toMatchObject({ filePath: '/v2/v2.jpg', width: fixtures.jpegBaseline.width, versionInfo: { name: 'Version 1' } });
    expect((await get(`/${t.tenantId}/v2/v2.jpg`)).status).toBe(200);
  });

  it('sniffs the type from the bytes, not from the part\'s content type or the name', async () => {
    const t = await newLibraryTenant();
    const png = new File([await fixtureBytes(fixtures.basn6a08.path)], 'x.jpg', { type: 'application/octet-stream' });
    const result = await t.client.files.upload({ file: png, fileName: 'not-really.jpg', useUniqueFileName: false });
    const details = await t.client.files.get(result.fileId!);
    expect(details).toMatchObject({ mime: 'image/png', width: 32, height: 32, hasAlpha: true, name: 'not-really.jpg' });
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const doc = await t.client.files.upload({ file: new File([pdf], 'doc.pdf'), fileName: 'doc.pdf' });
    expect(doc.fileType).toBe('non-image');
    expect((await t.client.files.get(doc.fileId!)).mime).toBe('application/pdf');
  });

  it('accepts base64, data URIs and http(s) URLs (fetched through the guarded fetcher)', async () => {
    const t = await newLibraryTenant();
    const bytes = await fixtureBytes(fixtures.jpegBaseline.path);
    const base64 = btoa(String.fromCharCode(...bytes));
    const a = await t.client.files.upload({ file: base64, fileName: 'b64.jpg', useUniqueFileName: false });
    const b = await t.client.files.upload({ file: `data:image/jpeg;base64,${base64}`, fileName: 'uri.jpg', useUniqueFileName: false });
    const path = unique('upload-url');
    await fetch(`${servers.webFolder}/files/${path}/p.jpg`, { method: 'PUT', body: bytes, headers: { 'Content-Type': 'image/jpeg' } });
    const c = await t.client.files.upload({ file: `${servers.webFolder}/files/${path}/p.jpg`, fileName: 'url.jpg', useUniqueFileName: false });
    for (const r of [a, b, c]) expect(r).toMatchObject({ size: bytes.length, width: fixtures.jpegBaseline.width });
    const missing = await failure(t.client.files.upload({ file: `${servers.webFolder}/files/${path}/none.jpg`, fileName: 'x.jpg' }));
    expect(missing.status).toBe(400);
  });

  it('same path without a unique name makes a new version; overwriteFile=false refuses with 409', async () => {
    const t = await newLibraryTenant();
    const first = await t.client.files.upload({ file: await jpegFile(), fileName: 'same.jpg', useUniqueFileName: false, tags: ['old'] });
    const png = new File([await fixtureBytes(fixtures.basn6a08.path)], 'same.jpg');
    const second = await t.client.files.upload({ file: png, fileName: 'same.jpg', useUniqueFileName: false });
    expect(second.fileId).toBe(first.fileId);
    expect(second.versionInfo?.name).toBe('Version 2');
    expect(second.tags).toBeNull(); // overwriteTags defaults to true: tags not sent are removed
    expect((await decodeResponse(await get(`/${t.tenantId}/same.jpg`))).width).toBe(32);

    const kept = await t.client.files.upload({ file: png, fileName: 'same.jpg', useUniqueFileName: false, tags: ['new'], overwriteTags: false });
    expect(kept.tags).toEqual(['new']);
    const refused = await failure(t.client.files.upload({ file: png, fileName: 'same.jpg', useUniqueFileName: false, overwriteFile: false }));
    expect(refused.status).toBe(409);
    expect(refused.headers.get('x-should-retry')).toBe('false');
  });

  it('a new version is never answered from variants cached for the old one', async () => {
    const t = await newLibraryTenant();
    await t.client.files.upload({ file: await jpegFile(), fileName: 'v.jpg', useUniqueFileName: false });
    const before = await decodeResponse(await get(`/${t.tenantId}/tr:w-100/v.jpg`));
    expect(before.height).toBe(Math.round((100 * fixtures.jpegBaseline.height) / fixtures.jpegBaseline.width));
    await get(`/${t.tenantId}/tr:w-100/v.jpg`); // now cached
    const square = new File([await fixtureBytes(fixtures.basn6a08.path)], 'v.jpg');
    await t.client.files.upload({ file: square, fileName: 'v.jpg', useUniqueFileName: false });
    const after = await decodeResponse(await get(`/${t.tenantId}/tr:w-100/v.jpg`));
    expect([after.width, after.height]).toEqual([100, 100]);
  });

  it('answers the metadata object when responseFields asks for it', async () => {
    const t = await newLibraryTenant();
    const result = await t.client.files.upload({ file: await jpegFile(), fileName: 'm.jpg', responseFields: ['metadata'] });
    expect(result.metadata).toMatchObject({ width: fixtures.jpegBaseline.width, height: fixtures.jpegBaseline.height, format: 'jpg' });
    const plain = await t.client.files.upload({ file: await jpegFile(), fileName: 'm.jpg' });
    expect(plain.metadata).toBeUndefined();
  });

  it('checks custom metadata against the fields and fills in defaults', async () => {
    const t = await newLibraryTenant();
    await t.client.customMetadataFields.create({ name: 'brand', label: 'Brand', schema: { type: 'Text', maxLength: 10 } });
    await t.client.customMetadataFields.create({ name: 'stock', label: 'Stock', schema: { type: 'Number', defaultValue: 0, minValue: 0 } });
    const ok = await t.client.files.upload({ file: await jpegFile(), fileName: 'm.jpg', customMetadata: { brand: 'acme' } });
    expect(ok.customMetadata).toEqual({ brand: 'acme', stock: 0 });
    const tooLong = await failure(t.client.files.upload({ file: await jpegFile(), fileName: 'm.jpg', customMetadata: { brand: 'x'.repeat(11) } }));
    expect(tooLong.status).toBe(400);
    expect(String(tooLong.body.message)).toContain('customMetadata.brand');
    const unknown = await failure(t.client.files.upload({ file: await jpegFile(), fileName: 'm.jpg', customMetadata: { color: 'red' } }));
    expect(String(unknown.body.message)).toContain('customMetadata.color');
  });

  it('answers AI extensions as failed rather than dropping them', async () => {
    const t = await newLibraryTenant();
    const result = await t.client.files.upload({
      file: await jpegFile(),
      fileName: 'e.jpg',
      extensions: [{ name: 'google-auto-tagging', maxTags: 5, minConfidence: 90 }, { name: 'remove-bg' }],
    });
    expect(result.extensionStatus).toEqual({ 'google-auto-tagging': 'failed', 'remove-bg': 'failed' });
  });

  it('private files need a signed URL; named-only transformations do not', async () => {
    const t = await newLibraryTenant();
    const result = await t.client.files.upload({ file: await jpegFile(), fileName: 'secret.jpg', isPrivateFile: true, useUniqueFileName: false });
    expect(result.isPrivateFile).toBe(true);
    expect((await get(`/${t.tenantId}/secret.jpg`)).status).toBe(401);
    expect((await get(`/${t.tenantId}/tr:w-50/secret.jpg`)).status).toBe(401);
    expect((await get(`/${t.tenantId}/tr:n-ik_ml_thumbnail/secret.jpg`)).status).toBe(200);
    const signed = t.client.helper.buildSrc({ urlEndpoint: t.endpoint, src: '/secret.jpg', transformation: [{ width: 50 }], signed: true });
    expect((await SELF.fetch(signed)).status).toBe(200);
  });

  it('refuses bad fields with a 400 naming the field, and stores nothing', async () => {
    const t = await newLibraryTenant();
    const cases: [Record<string, unknown>, string][] = [
      [{ folder: '/a/../b' }, 'folder'],
      [{ tags: ['50%'] }, 'tags'],
      [{ customCoordinates: '1,2,3' }, 'customCoordinates'],
      [{ responseFields: ['everything'] }, 'responseFields'],
    ];
    for (const [extra, field] of cases) {
      const refused = await failure(t.client.files.upload({ file: await jpegFile(), fileName: 'x.jpg', ...extra } as never));
      expect(refused.status, field).toBe(400);
      expect(String(refused.body.message), field).toContain(field);
    }
    const corrupt = await failure(
      t.client.files.upload({ file: new File([(await fixtureBytes(fixtures.jpegBaseline.path)).slice(0, 40)], 'c.jpg'), fileName: 'c.jpg' }),
    );
    expect(corrupt.status).toBe(400);
    expect(await libraryObjects(t.tenantId)).toEqual([]);
    expect(await t.client.assets.list()).toEqual([]);
  });

  it('refuses a file over the tenant\'s upload limit with 413, storing nothing', async () => {
    const t = await newLibraryTenant(undefined, { limits: { maxUploadBytes: 2048 } });
    const refused = await failure(t.client.files.upload({ file: await jpegFile(), fileName: 'big.jpg' }));
    expect(refused.status).toBe(413);
    expect(String(refused.body.message)).toContain('2048');
    expect(await libraryObjects(t.tenantId)).toEqual([]);
  });

  it('needs files: read_write, and never shows one tenant another\'s files', async () => {
    const reader = await newLibraryTenant({ files: 'read', settings: 'none', audit: 'none' });
    expect((await failure(reader.client.files.upload({ file: await jpegFile(), fileName: 'r.jpg' }))).status).toBe(403);
    const a = await newLibraryTenant();
    const b = await newLibraryTenant();
    const file = await a.client.files.upload({ file: await jpegFile(), fileName: 'a.jpg' });
    expect((await failure(b.client.files.get(file.fileId!))).status).toBe(404);
    expect(await b.client.assets.list()).toEqual([]);
  });

  it('records each upload in the audit log', async () => {
    const t = await newLibraryTenant();
    const file = await t.client.files.upload({ file: await jpegFile(), fileName: 'audited.jpg' });
    const page = (await (await callApi(t.auth, 'GET', '/v1/accounts/audit-logs?action=file.upload')).json()) as { entries: { target: string }[] };
    expect(page.entries.map((e) => e.target)).toContain(`file:${file.fileId}`);
  });
});

describe('upload API (client-side)', () => {
  async function v1Fields(t: LibraryTenant, token = crypto.randomUUID()) {
    const { signature, expire } = t.client.helper.getAuthenticationParameters(token, Math.floor(Date.now() / 1000) + 600);
    return { publicKey: t.publicKey, token, expire: String(expire), signature };
  }

  it('v1: a signed token uploads once; the same token again is refused even after a failure', async () => {
    const t = await newLibraryTenant();
    const auth = await v1Fields(t);
    const ok = await uploadForm({ ...auth, file: await jpegFile(), fileName: 'client.jpg' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ik-requestId')).toMatch(/\S/);
    const again = await uploadForm({ ...auth, file: await jpegFile(), fileName: 'client.jpg' });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { message: string }).message).toContain('has been used before');

    const failing = await v1Fields(t);
    expect((await uploadForm({ ...failing, file: await jpegFile(), fileName: 'x.jpg', folder: '/bad..' })).status).toBe(400);
    expect((await uploadForm({ ...failing, file: await jpegFile(), fileName: 'x.jpg' })).status).toBe(400);
  });

  it('v1: a wrong signature, an expired token or an unknown public key is refused', async () => {
    const t = await newLibraryTenant();
    const auth = await v1Fields(t);
    expect((await uploadForm({ ...auth, signature: '0'.repeat(40), file: await jpegFile(), fileName: 'x.jpg' })).status).toBe(400);
    const expired = { ...auth, token: crypto.randomUUID(), expire: String(Math.floor(Date.now() / 1000) - 10) };
    expect((await uploadForm({ ...expired, file: await jpegFile(), fileName: 'x.jpg' })).status).toBe(400);
    expect((await uploadForm({ ...(await v1Fields(t)), publicKey: 'public_nobody', file: await jpegFile(), fileName: 'x.jpg' })).status).toBe(403);
    expect(await t.client.assets.list()).toEqual([]);
  });

  it('v2: a JWT signed with the private key whose payload matches the fields', async () => {
    const t = await newLibraryTenant();
    const sign = (payload: Record<string, string>) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: t.publicKey })
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(t.privateKey));
    const fields = { fileName: 'jwt.jpg', folder: '/client', useUniqueFileName: 'false' };
    const token = await sign(fields);
    const ok = await uploadForm({ ...fields, token, file: await jpegFile() }, 2);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { filePath: string }).filePath).toBe('/client/jwt.jpg');
    expect((await uploadForm({ ...fields, token, file: await jpegFile() }, 2)).status).toBe(400);
    const mismatch = await sign(fields);
    const refused = await uploadForm({ ...fields, folder: '/elsewhere', token: mismatch, file: await jpegFile() }, 2);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('folder');
  });
});
