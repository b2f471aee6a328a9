/**
 * Blocking rules in the delivery pipeline: a blocked request is a 403 JSON error naming the rule, answered right
 * after the URL is read — no origin is asked and nothing is decoded; an operator's rule is named before the
 * tenant's; a rule stops applying when it expires, with no write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { ADMIN } from '../admin-helpers';
import { callApi, newTenantWithKey, type TenantWithKey } from '../api-helpers';
import { fixtureBytes, get, putOriginal } from '../helpers';
import { eventsOf } from '../insight/helpers';
import { putWeb, servers, unique, webLog } from '../origin-servers';

type Json = Record<string, unknown>;

let bytes: Uint8Array;
beforeAll(async () => {
  bytes = await fixtureBytes(fixtures.jpegBaseline.path);
});

async function post(auth: Record<string, string>, path: string, body: Json): Promise<Json> {
  const response = await callApi(auth, 'POST', path, body);
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Json;
}

const tenantRule = (t: TenantWithKey, body: Json) => post(t.auth, '/v1/accounts/blocking-rules', body);
const operatorRule = (body: Json) => post(ADMIN, '/admin/v1/blocking-rules', body);

/** A tenant with `a.jpg` and `private/b.jpg` in its library. */
async function tenantWithFiles(): Promise<TenantWithKey> {
  const t = await newTenantWithKey();
  await putOriginal(t.tenantId, 'a.jpg', bytes);
  await putOriginal(t.tenantId, 'private/b.jpg', bytes);
  return t;
}

async function expectServed(response: Response) {
  if (response.status !== 200) expect.fail(`${response.status} ${await response.text()}`);
  expect(response.headers.get('Content-Type')).toBe('image/jpeg');
  await response.arrayBuffer();
}

async function expectBlocked(response: Response, ruleId: unknown) {
  expect(response.status).toBe(403);
  expect(response.headers.get('Content-Type')).toContain('application/json');
  const body = (await response.json()) as Json;
  expect(body.rule).toBe(ruleId);
  expect(body.message).toContain(String(ruleId));
  return body;
}

describe('path globs', () => {
  it('block the files under a folder and nothing else', async () => {
    const t = await tenantWithFiles();
    const rule = await tenantRule(t, { path: 'private/**', note: 'leaked folder' });
    const body = await expectBlocked(await get(`/${t.tenantId}/private/b.jpg`), rule.id);
    // The note is the owner's: the client sees the rule's id only.
    expect(JSON.stringify(body)).not.toContain('leaked');
    await expectBlocked(await get(`/${t.tenantId}/tr:w-20/private/b.jpg`), rule.id);
    await expectServed(await get(`/${t.tenantId}/a.jpg`));
  });

  it('match a file name pattern at any depth', async () => {
    const t = await tenantWithFiles();
    const rule = await tenantRule(t, { path: '**/b.*' });
    await expectBlocked(await get(`/${t.tenantId}/private/b.jpg`), rule.id);
    await expectServed(await get(`/${t.tenantId}/a.jpg`));
  });
});

describe('transformation patterns', () => {
  it('block a width above a threshold in the path, the query or a named transformation', async () => {
    const t = await tenantWithFiles();
    const rule = await tenantRule(t, { transformation: { param: 'w', above: 150 } });
    await expectBlocked(await get(`/${t.tenantId}/tr:w-151/a.jpg`), rule.id);
    await expectBlocked(await get(`/${t.tenantId}/a.jpg?tr=h-20:w-200`), rule.id);
    await post(t.auth, '/v1/named-transformations', { name: 'wide', transformation: 'w-180' });
    await expectBlocked(await get(`/${t.tenantId}/tr:n-wide/a.jpg`), rule.id);
    await expectServed(await get(`/${t.tenantId}/tr:w-150/a.jpg`));
    await expectServed(await get(`/${t.tenantId}/a.jpg`));
  });

  it('block a parameter value together with a path', async () => {
    const t = await tenantWithFiles();
    const rule = await tenantRule(t, { path: 'private/*', transformation: { param: 'f', equals: 'png' } });
    await expectBlocked(await get(`/${t.tenantId}/tr:f-png/private/b.jpg`), rule.id);
    const png = await get(`/${t.tenantId}/tr:f-png/a.jpg`);
    expect(png.status).toBe(200);
    expect(png.headers.get('Content-Type')).toBe('image/png');
    await png.arrayBuffer();
    await expectServed(await get(`/${t.tenantId}/tr:f-jpg/private/b.jpg`));
  });
});

describe('expiry', () => {
  it('an expired rule stops blocking without any write', async () => {
    const t = await tenantWithFiles();
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const rule = await tenantRule(t, { path: 'a.jpg', expiresAt });
    expect(rule.active).toBe(true);
    await expectBlocked(await get(`/${t.tenantId}/a.jpg`), rule.id);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    await expectServed(await get(`/${t.tenantId}/a.jpg`));
    const [listed] = (await (await callApi(t.auth, 'GET', '/v1/accounts/blocking-rules')).json()) as Json[];
    expect(listed).toMatchObject({ id: rule.id, active: false, expiresAt });
  });
});

describe('operator rules', () => {
  const made: unknown[] = [];
  afterAll(async () => {
    for (const id of made) await callApi(ADMIN, 'DELETE', `/admin/v1/blocking-rules/${id}`);
  });

  it('are named before a tenant rule that blocks the same request', async () => {
    const t = await tenantWithFiles();
    const mine = await tenantRule(t, { path: 'private/**' });
    const operator = await operatorRule({ tenant: t.tenantId, path: 'private/b.jpg', note: 'abuse report 42' });
    made.push(operator.id);
    const body = await expectBlocked(await get(`/${t.tenantId}/private/b.jpg`), operator.id);
    expect(body.message).toContain("platform's");
    await callApi(ADMIN, 'DELETE', `/admin/v1/blocking-rules/${operator.id}`);
    await expectBlocked(await get(`/${t.tenantId}/private/b.jpg`), mine.id);
  });

  it('over one tenant leave other tenants alone; over every tenant block them all', async () => {
    const a = await tenantWithFiles();
    const b = await tenantWithFiles();
    const one = await operatorRule({ tenant: a.tenantId, path: 'a.jpg', transformation: { param: 'e-grayscale' } });
    made.push(one.id);
    await expectBlocked(await get(`/${a.tenantId}/tr:e-grayscale/a.jpg`), one.id);
    await expectServed(await get(`/${a.tenantId}/a.jpg`));
    await expectServed(await get(`/${b.tenantId}/tr:e-grayscale/a.jpg`));
    // A file name no other test uses, so a rule over every tenant touches only this test.
    const name = `${unique('everyone')}.jpg`;
    await putOriginal(a.tenantId, name, bytes);
    await putOriginal(b.tenantId, name, bytes);
    const all = await operatorRule({ path: name });
    made.push(all.id);
    await expectBlocked(await get(`/${a.tenantId}/${name}`), all.id);
    await expectBlocked(await get(`/${b.tenantId}/${name}`), all.id);
  });
});

describe('what a blocked request does not do', () => {
  it('asks no origin and decodes nothing', async () => {
    const namespace = unique('blocked');
    // Header fine, data cut: decoding it fails, so a 403 (and not that failure) shows no decode was tried.
    const broken = await fixtureBytes(fixtures.jpegTruncated.path);
    await putWeb(`${namespace}/blocked/broken.jpg`, broken, { contentType: 'image/jpeg' });
    await putWeb(`${namespace}/open/broken.jpg`, broken, { contentType: 'image/jpeg' });
    const t = await newTenantWithKey();
    const origin = await post(t.auth, '/v1/accounts/origins', { type: 'WEB_FOLDER', name: 'web', baseUrl: `${servers.webFolder}/files/${namespace}/` });
    await post(t.auth, '/v1/accounts/url-endpoints', { description: 'web', urlPrefix: 'web', origins: [origin.id] });
    const rule = await tenantRule(t, { path: 'blocked/**' });

    for (let i = 0; i < 3; i++) await expectBlocked(await get(`/${t.tenantId}/web/tr:w-100/blocked/broken.jpg`), rule.id);
    expect(await webLog(namespace)).toEqual([]);

    // The same bytes where no rule applies: the origin is asked and the decode fails.
    const open = await get(`/${t.tenantId}/web/tr:w-100/open/broken.jpg`);
    expect(open.status).not.toBe(200);
    expect(open.status).not.toBe(403);
    await open.arrayBuffer();
    const log = await webLog(namespace);
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((line) => line.includes('/open/'))).toBe(true);
  });
});

describe('analytics', () => {
  it('count a blocked request as a refusal, blocked', async () => {
    const t = await tenantWithFiles();
    const rule = await tenantRule(t, { path: 'private/**' });
    await expectBlocked(await get(`/${t.tenantId}/private/b.jpg`), rule.id);
    await expectServed(await get(`/${t.tenantId}/a.jpg`));
    const events = await eventsOf(t.tenantId, 2);
    expect(events.map((e) => [e.path, e.status, e.refusal])).toEqual([
      ['private/b.jpg', 403, 'blocked'],
      ['a.jpg', 200, ''],
    ]);
  });
});
