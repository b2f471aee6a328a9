/**
 * An export's edges: links that expire and belong to one tenant, a part whose bytes are missing (retried, then
 * given up), archives deleted when the retention ends, and ids that name nothing.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { ADMIN } from '../admin-helpers';
import { describe, expect, it } from 'vitest';
import { consumeExports } from '../../../src/exports/consumer';
import { exportPrefix } from '../../../src/exports/keys';
import { downloadLink } from '../../../src/exports/links';
import type { ExportMessage } from '../../../src/exports/types';
import { blobKey } from '../../../src/library/store/blobs';
import { fixtures } from '../../fixtures/registry';
import { addKey, callApi } from '../api-helpers';
import { fixtureBytes, ORIGIN, putOriginal } from '../helpers';
import { fileAt, type LibraryTenant, newLibraryTenant } from '../library-helpers';
import { download, exportStatus, startExport, waitForExport } from './export-helpers';

async function exportedTenant(): Promise<{ t: LibraryTenant; id: string; url: string }> {
  const t = await newLibraryTenant();
  await putOriginal(t.tenantId, 'a.jpg', await fixtureBytes(fixtures.jpegBaseline.path));
  const id = await startExport(t);
  const done = (await waitForExport(t, id)).pop()!;
  expect(done.status).toBe('done');
  return { t, id, url: done.url! };
}

const errorBody = async (res: Response) => {
  expect(res.headers.get('Content-Type')).toContain('application/json');
  return (await res.json()) as { message: string };
};

/** The blob behind the current version of `path`, moved aside so the export cannot read it. */
async function hideBlob(tenantId: string, path: string): Promise<() => Promise<void>> {
  const record = (await fileAt(tenantId, path))!;
  const object = (await env.MEDIA.get(record.blobKey))!;
  const bytes = await object.arrayBuffer();
  await env.MEDIA.delete(record.blobKey);
  return async () => void (await env.MEDIA.put(record.blobKey, bytes));
}

describe('export links', () => {
  it('expire: a link signed for a past time is 410, a changed signature or expiry 403', async () => {
    const { t, id, url } = await exportedTenant();
    expect((await download(url)).status).toBe(200);
    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = await downloadLink(env, ORIGIN, t.tenantId, id, 'part-0001.zip', past);
    const gone = await download(expired);
    expect(gone.status).toBe(410);
    expect((await errorBody(gone)).message).toMatch(/expired/);
    // Moving the expiry forward breaks the signature.
    expect((await download(expired.replace(`expires=${past}`, `expires=${past + 7200}`))).status).toBe(403);
    const flipped = url.replace(/signature=([0-9a-f])/, (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`);
    expect((await download(flipped)).status).toBe(403);
    expect((await download(url.replace(/[?&]signature=[0-9a-f]+/, ''))).status).toBe(403);
  });

  it('belong to one tenant and one archive', async () => {
    const a = await exportedTenant();
    const b = await exportedTenant();
    // A's signature on B's path (same name), and on another archive name of A.
    const swapped = a.url.replace(`/v1/exports/${a.t.tenantId}/${a.id}/`, `/v1/exports/${b.t.tenantId}/${b.id}/`);
    expect((await download(swapped)).status).toBe(403);
    expect((await download(a.url.replace(`/v1/exports/${a.t.tenantId}/`, `/v1/exports/${b.t.tenantId}/`))).status).toBe(403);
    expect((await download(a.url.replace('part-0001.zip', 'manifest.json'))).status).toBe(403);
    // Neither tenant sees the other's export.
    expect((await callApi(b.t.auth, 'GET', `/v1/accounts/exports/${a.id}`)).status).toBe(404);
  });

  it('serve the archive as an attachment that no browser renders', async () => {
    const { url } = await exportedTenant();
    const res = await download(url);
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('Content-Type')).toBe('application/zip');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Content-Security-Policy')).toContain('sandbox');
    expect(res.headers.get('Cache-Control')).toContain('no-store');
  });
});

describe('export failures', () => {
  it('a part that fails is retried alone, and the export completes once it succeeds', async () => {
    const t = await newLibraryTenant();
    await putOriginal(t.tenantId, 'a.jpg', await fixtureBytes(fixtures.jpegBaseline.path));
    const restore = await hideBlob(t.tenantId, '/a.jpg');
    const id = await startExport(t);
    // The first attempt fails on the missing bytes; the status says why, and nothing is done yet.
    const failing = (await waitForExport(t, id, (s) => s.parts[0]?.error !== undefined)).pop()!;
    expect(failing.status).toBe('running');
    expect(failing.parts[0]!.error).toMatch(/missing from storage/);
    expect(failing.progress).toBeLessThan(1);
    expect(failing.url).toBeUndefined();
    await restore();
    const done = (await waitForExport(t, id)).pop()!;
    expect(done.status).toBe('done');
    expect(done.parts[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(done.parts[0]!.error).toBeUndefined();
    expect((await download(done.url!)).status).toBe(200);
  });

  it('after the last retry the dead-letter consumer marks the export failed, with the reason', async () => {
    const t = await newLibraryTenant();
    await putOriginal(t.tenantId, 'a.jpg', await fixtureBytes(fixtures.jpegBaseline.path));
    await hideBlob(t.tenantId, '/a.jpg');
    const id = await startExport(t);
    await waitForExport(t, id, (s) => s.parts[0]?.error !== undefined);
    // What the queue does after max_retries: the message arrives on the dead-letter queue.
    const message: ExportMessage = { kind: 'part', tenantId: t.tenantId, exportId: id, part: 1 };
    const batch = createMessageBatch<ExportMessage>('edgepix-exports-dlq', [{ id: 'm1', timestamp: new Date(), attempts: 4, body: message }]);
    const ctx = createExecutionContext();
    await consumeExports(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['m1']);
    const failed = await exportStatus(t, id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/part 1: gave up after the last retry: .*missing from storage/);
    expect(failed.url).toBeUndefined();
    expect(failed.expiresAt).not.toBeNull();
    // A failed export no longer blocks a new one.
    expect((await callApi(t.auth, 'POST', '/v1/accounts/exports', {})).status).toBe(202);
  });

  it('a message for a part already written is acknowledged without writing it again', async () => {
    const { t, id } = await exportedTenant();
    const key = exportPrefix(t.tenantId, id) + 'part-0001.zip';
    const before = (await env.MEDIA.head(key))!.uploaded.getTime();
    const batch = createMessageBatch<ExportMessage>('edgepix-exports', [{ id: 'dup', timestamp: new Date(), attempts: 1, body: { kind: 'part', tenantId: t.tenantId, exportId: id, part: 1 } }]);
    await consumeExports(batch, env);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(['dup']);
    expect((await env.MEDIA.head(key))!.uploaded.getTime()).toBe(before);
  });
});

describe('a lost job', () => {
  it('an export that has not moved for an hour stops blocking new ones and is marked failed', async () => {
    const t = await newLibraryTenant();
    await putOriginal(t.tenantId, 'a.jpg', await fixtureBytes(fixtures.jpegBaseline.path));
    await hideBlob(t.tenantId, '/a.jpg');
    const stuck = await startExport(t);
    await waitForExport(t, stuck, (s) => s.parts[0]?.error !== undefined);
    expect((await callApi(t.auth, 'POST', '/v1/accounts/exports', {})).status).toBe(409);
    const stub = env.EXPORT_JOBS.get(env.EXPORT_JOBS.idFromName(t.tenantId));
    await runInDurableObject(stub, (_o, state) => {
      state.storage.sql.exec('UPDATE exports SET touched_at = ? WHERE id = ?', Date.now() - 61 * 60 * 1000, stuck);
    });
    expect((await callApi(t.auth, 'POST', '/v1/accounts/exports', {})).status).toBe(202);
    expect(await exportStatus(t, stuck)).toMatchObject({ status: 'failed', error: expect.stringMatching(/no progress/) });
  });
});

describe('export retention and ids', () => {
  it('the alarm deletes the archives once the retention ends; the export then reads as expired', async () => {
    const { t, id, url } = await exportedTenant();
    const stub = env.EXPORT_JOBS.get(env.EXPORT_JOBS.idFromName(t.tenantId));
    await runInDurableObject(stub, (_o, state) => {
      state.storage.sql.exec('UPDATE exports SET expires_at = ? WHERE id = ?', new Date(Date.now() - 1000).toISOString(), id);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const listed = await env.MEDIA.list({ prefix: exportPrefix(t.tenantId, id) });
    expect(listed.objects).toEqual([]);
    const status = await exportStatus(t, id);
    expect(status.status).toBe('expired');
    expect(status.url).toBeUndefined();
    expect((await download(url)).status).toBe(410);
  });

  it('erasing the tenant deletes its archives and its exports', async () => {
    const { t, url } = await exportedTenant();
    const del = await SELF.fetch(`${ORIGIN}/admin/v1/tenants/${t.tenantId}`, { method: 'DELETE', headers: ADMIN });
    expect(del.status).toBe(204);
    expect((await env.MEDIA.list({ prefix: `exports/${t.tenantId}/` })).objects).toEqual([]);
    expect((await download(url)).status).toBe(410);
    expect(await env.EXPORT_JOBS.get(env.EXPORT_JOBS.idFromName(t.tenantId)).list(10)).toEqual([]);
  });

  it('unknown or malformed ids are 404 JSON; the routes need every read permission and settings write', async () => {
    const t = await newLibraryTenant();
    for (const path of ['/v1/accounts/exports/nope', '/v1/accounts/exports/exp_AAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await callApi(t.auth, 'GET', path);
      expect(res.status).toBe(404);
      expect((await errorBody(res)).message).toMatch(/not found/);
    }
    for (const path of [`/v1/exports/${t.tenantId}/exp_AAAAAAAAAAAAAAAAAAAAAA/secrets.txt`, `/v1/exports/UPPER/exp_AAAAAAAAAAAAAAAAAAAAAA/part-0001.zip`]) {
      const res = await download(`${ORIGIN}${path}?expires=9999999999&signature=${'0'.repeat(64)}`);
      expect(res.status).toBe(404);
      await errorBody(res);
    }
    const reader = await addKey(t.tenantId, { files: 'read', settings: 'read', audit: 'read', users: 'read' });
    expect((await callApi(reader.auth, 'POST', '/v1/accounts/exports', {})).status).toBe(403);
    const noUsers = await addKey(t.tenantId, { files: 'read', settings: 'read_write', audit: 'read' });
    expect((await callApi(noUsers.auth, 'GET', '/v1/accounts/exports')).status).toBe(403);
    const id = await startExport(t);
    const audit = (await (await callApi(t.auth, 'GET', '/v1/accounts/audit-logs?action=export.create')).json()) as { entries: { target: string }[] };
    expect(audit.entries.map((e) => e.target)).toEqual([`export:${id}`]);
    await waitForExport(t, id);
  });
});
