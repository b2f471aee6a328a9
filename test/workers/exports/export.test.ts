/**
 * A tenant export end to end: the job runs on the real local queue, writes zip archives into the tenant's
 * bucket, and the archives are downloaded through their signed links and unpacked here, byte for byte.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, entryFault, GENESIS } from '../../../src/audit/chain';
import { CHUNK_BYTES } from '../../../src/exports/archive-writer';
import { fixtures } from '../../fixtures/registry';
import { callApi } from '../api-helpers';
import { fixtureBytes, putOriginal } from '../helpers';
import { fileAt, newLibraryTenant } from '../library-helpers';
import { forgetTenant, readTenantFresh, saveTenant } from '../../../src/tenants/store';
import { servers, unique } from '../origin-servers';
import { download, exportStatus, jsonOf, startExport, text, unpack, waitForExport } from './export-helpers';

const FIRST = fixtures.jpegBaseline;
const SECOND = fixtures.photo1000x800;
const THIRD = fixtures.landscape1;

async function sha256(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('tenant export', () => {
  it('holds every version of every file, the records, schema, tags, named transformations and audit log — and no secret', async () => {
    const t = await newLibraryTenant();
    // A file with two versions, tagged and with custom metadata; another file in a folder.
    expect((await callApi(t.auth, 'POST', '/v1/customMetadataFields', { name: 'price', label: 'Price', schema: { type: 'Number' } })).status).toBe(201);
    await putOriginal(t.tenantId, 'a/b.jpg', await fixtureBytes(FIRST.path));
    const first = (await fileAt(t.tenantId, '/a/b.jpg'))!;
    await putOriginal(t.tenantId, 'a/b.jpg', await fixtureBytes(SECOND.path));
    await putOriginal(t.tenantId, 'c.jpg', await fixtureBytes(THIRD.path));
    const other = (await fileAt(t.tenantId, '/c.jpg'))!;
    const patched = await callApi(t.auth, 'PATCH', `/v1/files/${first.fileId}/details`, { tags: ['cat', 'tabby'], customMetadata: { price: 12 } });
    expect(patched.status).toBe(200);
    expect((await callApi(t.auth, 'POST', '/v1/named-transformations', { name: 'thumb', transformation: 'w-100,h-100' })).status).toBeLessThan(300);

    // Secrets of every kind the account keeps, and some planted where a later feature might put one.
    const hookUrl = `${servers.webFolder}/hooks/${unique('export')}`;
    const webhook = (await (await callApi(t.auth, 'PUT', '/v1/accounts/webhook', { url: hookUrl })).json()) as { secret: string };
    expect(webhook.secret).toMatch(/^whsec_/);
    const origin = await callApi(t.auth, 'POST', '/v1/accounts/origins', {
      type: 'S3', name: 'bucket', bucket: 'photos', prefix: '', accessKey: 'AKIAPLANTEDACCESS', secretKey: 'planted-origin-secret-key',
    });
    expect(origin.status).toBe(201);
    const config = (await readTenantFresh(env, t.tenantId))!;
    config.sso = { issuer: 'https://idp.example.com', clientId: 'client-1', clientSecretCiphertext: 'planted-sso-ciphertext', allowedDomains: [], defaultRole: 'viewer', required: false, updatedAt: new Date().toISOString() };
    Object.assign(config, { backup: { endpoint: 'https://s3.example.com', accessKeyId: 'AKIAPLANTEDBACKUP', secretAccessKey: 'planted-backup-secret' } });
    Object.assign(config.settings, { backup: { bucket: 'b', secretAccessKey: 'planted-settings-secret', nested: [{ password: 'planted-password' }] } });
    await saveTenant(env, config);
    forgetTenant(t.tenantId);

    const id = await startExport(t);
    const seen = await waitForExport(t, id);
    const done = seen[seen.length - 1]!;
    expect(done).toMatchObject({ status: 'done', progress: 1 });
    expect(done.parts).toHaveLength(1);
    expect(done.url).toBe(done.parts[0]!.url);

    const res = await download(done.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/zip');
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename=".*part-0001\.zip"$/);
    const zipBytes = new Uint8Array(await res.arrayBuffer());
    expect(zipBytes.byteLength).toBe(done.parts[0]!.size);
    expect(await sha256(zipBytes)).toBe(done.parts[0]!.sha256);
    const entries = await unpack(done.url!);

    // Bytes of every version, exactly.
    expect(entries[`library/${first.fileId}/v1/b.jpg`]).toEqual(await fixtureBytes(FIRST.path));
    expect(entries[`library/${first.fileId}/v2/b.jpg`]).toEqual(await fixtureBytes(SECOND.path));
    expect(entries[`library/${other.fileId}/v1/c.jpg`]).toEqual(await fixtureBytes(THIRD.path));
    // Records: tags, custom metadata, every version's record.
    const record = jsonOf<{ file: { path: string; tags: string[]; customMetadata: Record<string, unknown> }; versions: { number: number }[] }>(entries[`library/${first.fileId}/file.json`]);
    expect(record.file).toMatchObject({ path: '/a/b.jpg', tags: ['cat', 'tabby'], customMetadata: { price: 12 } });
    expect(record.versions.map((v) => v.number)).toEqual([1, 2]);
    const index = jsonOf<{ files: { fileId: string }[] }>(entries['part.json']);
    expect(index.files.map((f) => f.fileId).sort()).toEqual([first.fileId, other.fileId].sort());
    // Account: schema, named transformations, origins without credentials, users, folders.
    expect(jsonOf<{ name: string }[]>(entries['account/custom-metadata-fields.json']).map((f) => f.name)).toEqual(['price']);
    const account = jsonOf<Record<string, any>>(entries['account/config.json']);
    expect(account.namedTransformations.map((n: { name: string }) => n.name)).toEqual(['thumb']);
    expect(account.origins).toEqual([expect.objectContaining({ type: 'S3', bucket: 'photos' })]);
    expect(account.webhook).toMatchObject({ url: hookUrl });
    expect(account.sso).toMatchObject({ clientId: 'client-1' });
    expect(account.apiKeys.map((k: { id: string }) => k.id)).toEqual([t.keyId]);
    expect(account.settings.backup).toEqual({ bucket: 'b', nested: [{}] });
    expect(jsonOf<{ path: string }[]>(entries['account/folders.json']).map((f) => f.path)).toContain('/a/');

    // No secret anywhere, in any entry.
    const everything = Object.values(entries).map((bytes) => new TextDecoder('latin1').decode(bytes)).join('\n');
    for (const secret of [webhook.secret, 'AKIAPLANTEDACCESS', 'planted-origin-secret-key', 'planted-sso-ciphertext', 'AKIAPLANTEDBACKUP', 'planted-backup-secret', 'planted-settings-secret', 'planted-password', t.privateKey, 'Ciphertext', 'privateKeyHash', 'passwordHash']) {
      expect(everything, secret).not.toContain(secret);
    }

    // The audit log with its chain: it verifies offline, and its head is one the live log passed through.
    const lines = text(entries['account/audit-log.jsonl']).trim().split('\n');
    const audit = lines.map((line) => JSON.parse(line) as AuditEntry);
    expect(audit.map((e) => e.action)).toContain('export.create');
    let prev = GENESIS;
    for (const entry of audit) {
      expect(await entryFault(entry, prev)).toBeNull();
      prev = entry.hash;
    }
    const live = (await (await callApi(t.auth, 'GET', '/v1/accounts/audit-logs?limit=200')).json()) as { entries: { hash: string }[] };
    expect(live.entries.map((e) => e.hash)).toContain(prev);
    expect(text(entries['account/verify-audit.mjs'])).toContain("createHash('sha256')");
  });

  it('splits a large library into parts with a manifest, and reports progress as parts are written', async () => {
    const t = await newLibraryTenant();
    const sources = [FIRST, SECOND, THIRD, fixtures.landscape2, fixtures.landscape3];
    for (const [i, fixture] of sources.entries()) await putOriginal(t.tenantId, `f${i}.jpg`, await fixtureBytes(fixture.path));
    const id = await startExport(t, { partMaxFiles: 2 });
    const seen = await waitForExport(t, id);
    const done = seen[seen.length - 1]!;
    expect(done.status).toBe('done');
    expect(done.parts.map((p) => [p.name, p.files])).toEqual([['part-0001.zip', 2], ['part-0002.zip', 2], ['part-0003.zip', 1]]);
    // Progress only grows, stays within [0, 1], and is 1 only when done.
    const progress = seen.map((s) => s.progress);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    for (const s of seen) expect(s.progress === 1).toBe(s.status === 'done');
    expect(progress[0]!).toBeGreaterThanOrEqual(0);

    // With several parts the url is the manifest; it lists every part, whose bytes match their digests.
    expect(done.url).toBe(done.manifestUrl);
    const manifestRes = await download(done.url!);
    expect(manifestRes.headers.get('Content-Type')).toBe('application/json');
    expect(manifestRes.headers.get('Content-Disposition')).toMatch(/^attachment;/);
    const manifest = (await manifestRes.json()) as { parts: { name: string; size: number; sha256: string }[] };
    expect(manifest.parts.map((p) => p.name)).toEqual(done.parts.map((p) => p.name));
    const seenFiles: string[] = [];
    for (const [i, part] of done.parts.entries()) {
      const bytes = new Uint8Array(await (await download(part.url!)).arrayBuffer());
      expect(await sha256(bytes)).toBe(manifest.parts[i]!.sha256);
      const entries = await unpack(part.url!);
      expect('account/config.json' in entries).toBe(i === 0);
      seenFiles.push(...jsonOf<{ files: { path: string }[] }>(entries['part.json']).files.map((f) => f.path));
    }
    expect(seenFiles.sort()).toEqual(sources.map((_, i) => `/f${i}.jpg`));
  });

  it('streams an archive bigger than one upload chunk: the bytes come back whole', async () => {
    const t = await newLibraryTenant();
    // Incompressible bytes, so the archive spans three multipart chunks of CHUNK_BYTES.
    const big = new Uint8Array(CHUNK_BYTES * 2 + 123_457);
    for (let offset = 0; offset < big.length; offset += 65_536) crypto.getRandomValues(big.subarray(offset, Math.min(offset + 65_536, big.length)));
    await putOriginal(t.tenantId, 'data/big.bin', big, 'application/octet-stream');
    const file = (await fileAt(t.tenantId, '/data/big.bin'))!;
    const id = await startExport(t);
    const done = (await waitForExport(t, id)).pop()!;
    expect(done.status).toBe('done');
    expect(done.parts[0]!.size!).toBeGreaterThan(CHUNK_BYTES * 2);
    const entries = await unpack(done.url!);
    const back = entries[`library/${file.fileId}/v1/big.bin`]!;
    // Digests, not the arrays: a failing toEqual would print ten million numbers.
    expect(back.length).toBe(big.length);
    expect(await sha256(back)).toBe(await sha256(big));
  });

  it('refuses a second export while one runs, and bad part bounds', async () => {
    const t = await newLibraryTenant();
    const id = await startExport(t);
    const second = await callApi(t.auth, 'POST', '/v1/accounts/exports', {});
    // The first may have finished already on a fast machine; then the second simply starts.
    if ((await exportStatus(t, id)).status !== 'done') expect([409, 202]).toContain(second.status);
    const bad = await callApi(t.auth, 'POST', '/v1/accounts/exports', { partMaxFiles: 0 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('partMaxFiles');
    await waitForExport(t, id);
  });
});
