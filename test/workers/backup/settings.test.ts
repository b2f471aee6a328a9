/**
 * The backup settings routes: validation naming the field, the SSRF guard on the endpoint, keys encrypted and
 * never shown, permissions and audit, and "test connection" naming the step that failed.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { parseBackupBody } from '../../../src/backup/settings';
import { HttpError } from '../../../src/http/errors';
import { addKey, callApi, newTenantWithKey } from '../api-helpers';
import { backupBody, backupStatus, bucket, keysUnder, putBackup } from '../backup-helpers';
import { auditTrail } from '../library-helpers';
import { prodPolicy } from '../origin-servers';

const libraryStub = (tenantId: string) => env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(tenantId));

async function refusal(t: { auth: Record<string, string> }, body: unknown): Promise<string> {
  const response = await callApi(t.auth, 'PUT', '/v1/accounts/backup', body);
  expect(response.status).toBe(400);
  return ((await response.json()) as { message: string }).message;
}

describe('backup settings', () => {
  it('refuses bad bodies with a 400 naming the field', async () => {
    const t = await newTenantWithKey();
    expect(await refusal(t, { ...backupBody(), endpoint: undefined })).toContain('"endpoint"');
    expect(await refusal(t, { ...backupBody(), endpoint: 'ftp://example.com' })).toContain('"endpoint"');
    expect(await refusal(t, { ...backupBody(), bucket: 'x' })).toContain('"bucket"');
    expect(await refusal(t, { ...backupBody(), deletes: 'sometimes' })).toContain('"deletes"');
    expect(await refusal(t, { ...backupBody(), prefix: 'a/../b' })).toContain('"prefix"');
    expect(await refusal(t, { ...backupBody(), region: 'Not A Region' })).toContain('"region"');
    expect(await refusal(t, { ...backupBody(), secretAccessKey: undefined })).toContain('"secretAccessKey"');
    // Cloud metadata addresses are refused even where private addresses are allowed (these tests allow them).
    expect(await refusal(t, { ...backupBody(), endpoint: 'http://169.254.169.254' })).toMatch(/"endpoint".*link-local/);
    expect((await backupStatus(t)).enabled).toBe(false);
  });

  it('refuses a loopback endpoint unless ALLOW_PRIVATE_ORIGINS is "true"', () => {
    const body = backupBody();
    expect(() => parseBackupBody(body, prodPolicy(), false)).toThrow(HttpError);
    expect(() => parseBackupBody(body, prodPolicy(), false)).toThrow(/"endpoint".*loopback/);
    expect(parseBackupBody({ ...body, endpoint: 'https://s3.eu-west-3.amazonaws.com' }, prodPolicy(), false)).toMatchObject({
      region: 'eu-west-3',
      deletes: 'mirror',
      forcePathStyle: true,
    });
  });

  it('stores the keys encrypted, never shows them, keeps them when left out, and audits every change', async () => {
    const t = await newTenantWithKey();
    const body = backupBody({ deletes: 'keep', secretAccessKey: bucket.secretKey });
    const saved = await putBackup(t, body);
    expect(saved).toMatchObject({ enabled: true, endpoint: bucket.url, bucket: bucket.bucket, prefix: body.prefix, deletes: 'keep', region: 'us-east-1' });
    const shown = await (await callApi(t.auth, 'GET', '/v1/accounts/backup')).text();
    expect(shown).not.toContain('accessKey');
    expect(shown).not.toContain('secret');
    const stored = await runInDurableObject(libraryStub(t.tenantId), (_, state) =>
      String(state.storage.sql.exec('SELECT config FROM backup_settings').one().config),
    );
    expect(stored).not.toContain(bucket.secretKey);
    expect(stored).not.toContain(`"${bucket.accessKey}"`);
    expect(JSON.parse(stored)).toHaveProperty('secretKeyCiphertext');

    // Without keys, the stored ones stay: the connection still works.
    await putBackup(t, { ...body, accessKeyId: undefined, secretAccessKey: undefined, deletes: 'mirror' });
    const test = await callApi(t.auth, 'POST', '/v1/accounts/backup/test');
    expect(await test.json()).toMatchObject({ ok: true, steps: { put: 'ok', get: 'ok', delete: 'ok' } });
    // The probe is gone again.
    expect(await keysUnder(body.prefix)).toEqual([]);

    expect((await callApi(t.auth, 'DELETE', '/v1/accounts/backup')).status).toBe(204);
    expect(await (await callApi(t.auth, 'GET', '/v1/accounts/backup')).json()).toEqual({ enabled: false });
    expect((await callApi(t.auth, 'POST', '/v1/accounts/backup/test')).status).toBe(409);
    expect((await callApi(t.auth, 'POST', '/v1/accounts/backup/backfill')).status).toBe(409);
    expect(await auditTrail(t)).toEqual(['backup.update backup', 'backup.update backup', 'backup.test backup', 'backup.delete backup']);
  });

  it('needs settings read to read and settings read_write to change', async () => {
    const t = await newTenantWithKey();
    const reader = await addKey(t.tenantId, { files: 'read_write', settings: 'read', audit: 'none', users: 'none' });
    expect((await callApi(reader.auth, 'PUT', '/v1/accounts/backup', backupBody())).status).toBe(403);
    expect((await callApi(reader.auth, 'POST', '/v1/accounts/backup/backfill')).status).toBe(403);
    expect((await callApi(reader.auth, 'POST', '/v1/accounts/backup/test')).status).toBe(403);
    expect((await callApi(reader.auth, 'GET', '/v1/accounts/backup')).status).toBe(200);
    expect((await callApi(reader.auth, 'GET', '/v1/accounts/backup/status')).status).toBe(200);
    const other = await newTenantWithKey();
    await putBackup(other, backupBody());
    // One tenant's settings are not another's.
    expect(await (await callApi(t.auth, 'GET', '/v1/accounts/backup')).json()).toEqual({ enabled: false });
  });

  it('test connection names the step that failed: wrong keys, a missing bucket', async () => {
    const t = await newTenantWithKey();
    await putBackup(t, backupBody({ secretAccessKey: 'not-the-secret' }));
    const wrongSecret = (await (await callApi(t.auth, 'POST', '/v1/accounts/backup/test')).json()) as Record<string, unknown>;
    expect(wrongSecret).toMatchObject({ ok: false, failedStep: 'put', steps: {} });
    expect(wrongSecret.reason).toContain('SignatureDoesNotMatch');

    await putBackup(t, backupBody({ accessKeyId: 'NOBODY', secretAccessKey: 'x' }));
    const wrongKey = (await (await callApi(t.auth, 'POST', '/v1/accounts/backup/test')).json()) as Record<string, unknown>;
    expect(wrongKey.reason).toContain('InvalidAccessKeyId');

    await putBackup(t, backupBody({ bucket: 'no-such-bucket' }));
    const missing = (await (await callApi(t.auth, 'POST', '/v1/accounts/backup/test')).json()) as Record<string, unknown>;
    expect(missing).toMatchObject({ ok: false, failedStep: 'put' });
    expect(missing.reason).toContain('NoSuchBucket');

    await putBackup(t, backupBody({ endpoint: 'http://127.0.0.1:1' }));
    const closed = (await (await callApi(t.auth, 'POST', '/v1/accounts/backup/test')).json()) as Record<string, unknown>;
    expect(closed).toMatchObject({ ok: false, failedStep: 'put' });
    expect(closed.reason).toMatch(/could not be read|connect/i);
  });
});
