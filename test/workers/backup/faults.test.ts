/**
 * Backup under faults, against s3rver: the bucket down for a while then back (every change arrives, in order per
 * file, nothing lost or duplicated), and wrong keys (failures with their reason in the status, one webhook event
 * and one mail per failing streak, then everything catches up once the keys are fixed).
 */
import { describe, expect, it } from 'vitest';
import { basicAuth, callApi } from '../api-helpers';
import { backupBody, backupStatus, bucket, bucketDown, keysUnder, mirrored, objectBytes, objectJson, putBackup, waitForStatus, writesUnder } from '../backup-helpers';
import { sdkFor, type LibraryTenant } from '../library-helpers';
import { servers, unique } from '../origin-servers';
import { mailsTo, tenantWithOwner } from '../people-helpers';

const text = (s: string) => new TextEncoder().encode(s);

async function upload(t: LibraryTenant, path: string, content: string) {
  const slash = path.lastIndexOf('/');
  const fileName = path.slice(slash + 1);
  const file = await t.client.files.upload({ file: new File([text(content)], fileName), fileName, folder: path.slice(0, slash) || '/', useUniqueFileName: false });
  return { fileId: file.fileId!, versionId: file.versionInfo!.id! };
}

const decoded = async (key: string) => {
  const bytes = await objectBytes(key);
  return bytes && new TextDecoder().decode(bytes);
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Hook {
  body: string;
}
const hookEvents = async (name: string) =>
  ((await (await fetch(`${servers.webFolder}/_hooks/${name}`)).json()) as Hook[]).map((h) => JSON.parse(h.body) as { type: string; data: Record<string, unknown> });

describe('backup faults', () => {
  it('loses nothing while the bucket is down, and mirrors every change in order once it is back', async () => {
    const t = await ownerTenant();
    const { prefix } = (await putBackup(t, backupBody({ deletes: 'mirror' }))) as { prefix: string };
    await bucketDown(prefix, true);
    const one = [await upload(t, '/f/one.txt', 'one 1'), await upload(t, '/f/one.txt', 'one 2'), await upload(t, '/f/one.txt', 'one 3')];
    const oldTwo = await upload(t, '/f/two.txt', 'two, the first file');
    await t.client.files.update(oldTwo.fileId, { tags: ['doomed'] });
    await t.client.files.rename({ filePath: '/f/one.txt', newFileName: 'uno.txt' });
    await t.client.files.delete(oldTwo.fileId);
    // Another file at the path the deleted one had: its copy must not be deleted by the older delete.
    const newTwo = await upload(t, '/f/two.txt', 'two, the second file');

    // Delivered, failed, retried, given up by the dead-letter queue and parked: all of it shows in the status.
    const failing = await waitForStatus(t, (s) => s.failures.some((f) => f.step === 'retries'), 30_000);
    expect(failing.pending).toBeGreaterThan(0);
    expect(failing.failingSince).not.toBeNull();
    expect(failing.failures.some((f) => f.step === 'put' && /could not be read|connection/i.test(f.reason))).toBe(true);
    expect(await writesUnder(prefix)).toEqual([]);

    await bucketDown(prefix, false);
    const done = await mirrored(t, 60_000);
    expect(done.failingSince).toBeNull();
    const O = one[0]!.fileId;
    expect(await keysUnder(prefix)).toEqual(
      [
        'files/f/two.txt',
        'files/f/uno.txt',
        'records/f/two.txt.json',
        'records/f/uno.txt.json',
        ...one.flatMap((v) => [`versions/${O}/${v.versionId}`, `versions/${O}/${v.versionId}.json`]),
        `versions/${newTwo.fileId}/${newTwo.versionId}`,
        `versions/${newTwo.fileId}/${newTwo.versionId}.json`,
      ].sort(),
    );
    expect(await decoded(`${prefix}/files/f/uno.txt`)).toBe('one 3');
    expect(await decoded(`${prefix}/files/f/two.txt`)).toBe('two, the second file');
    expect(await objectJson(`${prefix}/records/f/two.txt.json`)).toMatchObject({ id: newTwo.fileId });
    // In order per file: the versions of one.txt were written oldest first, and the current copy last held version 3.
    const writes = await writesUnder(prefix);
    const versionPuts = writes.filter((w) => w.startsWith(`PUT versions/${O}/`) && !w.endsWith('.json')).map((w) => w.split('/').pop());
    expect([...new Set(versionPuts)]).toEqual(one.map((v) => v.versionId));
    // The old two.txt was deleted from the bucket before the new one was written there.
    const lastDelete = writes.lastIndexOf('DELETE files/f/two.txt');
    expect(lastDelete).toBeGreaterThanOrEqual(0);
    expect(writes.lastIndexOf('PUT files/f/two.txt')).toBeGreaterThan(lastDelete);
  });

  it('wrong keys: failures with their reason, one alert per streak (webhook and mail), then catching up once fixed', async () => {
    const t = await ownerTenant();
    const hook = unique('backup-hook');
    expect((await callApi(t.auth, 'PUT', '/v1/accounts/webhook', { url: `${servers.webFolder}/hooks/${hook}` })).status).toBe(200);
    const body = backupBody({ secretAccessKey: 'wrong-secret' });
    await putBackup(t, body);
    const file = await upload(t, '/creds/a.txt', 'waiting for keys');
    await upload(t, '/creds/b.txt', 'waiting too');

    const failing = await waitForStatus(t, (s) => s.failures.some((f) => f.reason.includes('SignatureDoesNotMatch')));
    expect(failing.failingSince).not.toBeNull();
    expect(failing.pending).toBe(2);
    const failure = failing.failures.find((f) => f.reason.includes('SignatureDoesNotMatch'))!;
    expect(failure).toMatchObject({ step: 'put', op: 'put' });

    const mail = await until('the failure mail', async () => (await mailsTo(t.email)).find((m) => /backup/.test(m.subject)));
    expect(mail.text).toContain('SignatureDoesNotMatch');
    const failed = await until('the backup.failed event', async () => (await hookEvents(hook)).find((e) => e.type === 'backup.failed'));
    expect(failed.data).toMatchObject({ step: 'put' });
    expect(String(failed.data.reason)).toContain('SignatureDoesNotMatch');

    // The streak goes on through retries and the dead-letter queue without another alert.
    await waitForStatus(t, (s) => s.failures.some((f) => f.step === 'retries'), 30_000);
    expect((await mailsTo(t.email)).filter((m) => /backup/.test(m.subject))).toHaveLength(1);
    expect((await hookEvents(hook)).filter((e) => e.type === 'backup.failed')).toHaveLength(1);
    expect(await keysUnder(body.prefix)).toEqual([]);

    // Fixed keys: what waited goes at once.
    await putBackup(t, { ...body, secretAccessKey: bucket.secretKey });
    const caughtUp = await mirrored(t);
    expect(caughtUp.failingSince).toBeNull();
    expect(await decoded(`${body.prefix}/files/creds/a.txt`)).toBe('waiting for keys');
    expect(await decoded(`${body.prefix}/files/creds/b.txt`)).toBe('waiting too');
    expect(await objectJson(`${body.prefix}/records/creds/a.txt.json`)).toMatchObject({ id: file.fileId });
    await until('the backup.recovered event', async () => (await hookEvents(hook)).find((e) => e.type === 'backup.recovered'));
    expect((await backupStatus(t)).failures.length).toBeGreaterThan(0);
  });
});

/** A tenant made by the operator whose owner has accepted: the failure mail has someone to go to. */
async function ownerTenant(): Promise<LibraryTenant & { email: string }> {
  const owner = await tenantWithOwner();
  const auth = { Authorization: basicAuth(owner.privateKey) };
  return {
    tenantId: owner.tenantId,
    keyId: '',
    privateKey: owner.privateKey,
    publicKey: '',
    auth,
    client: sdkFor(owner.privateKey),
    endpoint: '',
    email: owner.email,
  };
}
