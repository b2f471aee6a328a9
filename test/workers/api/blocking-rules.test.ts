/**
 * The blocking-rule APIs: the tenant's `/v1/accounts/blocking-rules` (settings permission, audited, isolated
 * per tenant) and the operator's `/admin/v1/blocking-rules` (operator token, audited in the platform log and in
 * the tenant's when it names one). Bad patterns are 400s naming the field.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { PLATFORM_LOG } from '../../../src/api/operator';
import { auditLog } from '../../../src/audit/record';
import { ADMIN } from '../admin-helpers';
import { addKey, callApi, newTenantWithKey } from '../api-helpers';

type Json = Record<string, unknown>;
const PATH = '/v1/accounts/blocking-rules';
const ADMIN_PATH = '/admin/v1/blocking-rules';

async function body(response: Response, status: number): Promise<Json> {
  if (response.status !== status) expect.fail(`expected ${status}, got ${response.status} ${await response.text()}`);
  return (await response.json()) as Json;
}

describe('tenant blocking rules', () => {
  it('are added, listed, read, changed and deleted', async () => {
    const t = await newTenantWithKey();
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const rule = await body(
      await callApi(t.auth, 'POST', PATH, { path: 'private/**', transformation: { param: 'f', equals: 'jpg' }, note: 'x', expiresAt }),
      201,
    );
    expect(rule).toEqual({
      id: expect.stringMatching(/^br_/),
      path: 'private/**',
      // Stored in canonical form: `jpg` is `jpeg`.
      transformation: { param: 'f', equals: 'jpeg' },
      note: 'x',
      expiresAt,
      createdAt: expect.any(String),
      active: true,
    });
    expect(await body(await callApi(t.auth, 'GET', PATH), 200)).toEqual([rule]);
    expect(await body(await callApi(t.auth, 'GET', `${PATH}/${rule.id}`), 200)).toEqual(rule);
    const changed = await body(await callApi(t.auth, 'PATCH', `${PATH}/${rule.id}`, { note: 'y', expiresAt: null }), 200);
    expect(changed).toEqual({ ...rule, note: 'y', expiresAt: null });
    expect((await callApi(t.auth, 'DELETE', `${PATH}/${rule.id}`)).status).toBe(204);
    expect(await body(await callApi(t.auth, 'GET', PATH), 200)).toEqual([]);
    await body(await callApi(t.auth, 'DELETE', `${PATH}/${rule.id}`), 404);
  });

  it('bad patterns and fields are 400s naming the field, and nothing is stored', async () => {
    const t = await newTenantWithKey();
    const cases: [Json, string][] = [
      [{ path: '/leading.jpg' }, '"path"'],
      [{ path: 'a**b' }, '"path"'],
      [{ path: 'x'.repeat(201) }, '"path"'],
      [{ path: 42 }, '"path"'],
      [{ transformation: { param: 'width', above: 10 } }, '"transformation.param"'],
      [{ transformation: { param: 'w', above: 'big' } }, '"transformation.above"'],
      [{ transformation: { param: 'f', equals: 'bmp' } }, '"transformation.equals"'],
      [{ transformation: { param: 'q', above: 1, below: 9 } }, '"transformation"'],
      [{ ip: '300.1.1.1' }, '"ip"'],
      [{ country: 'Narnia' }, '"country"'],
      [{ path: 'a/*', expiresAt: '2001-01-01T00:00:00Z' }, '"expiresAt"'],
      [{ path: 'a/*', note: 'n'.repeat(501) }, '"note"'],
      [{ path: 'a/*', tenant: 'other' }, '"tenant"'],
      [{ note: 'no condition' }, 'at least one condition'],
    ];
    for (const [rule, named] of cases) {
      const error = await body(await callApi(t.auth, 'POST', PATH, rule), 400);
      expect(error.message, JSON.stringify(rule)).toContain(named);
    }
    await body(await callApi(t.auth, 'POST', PATH, '{not json'), 400);
    const stored = await body(await callApi(t.auth, 'POST', PATH, { path: 'a/*' }), 201);
    await body(await callApi(t.auth, 'PATCH', `${PATH}/${stored.id}`, { path: 'b/*' }), 400);
    expect(await body(await callApi(t.auth, 'GET', PATH), 200)).toEqual([stored]);
  });

  it('need settings read to list and read_write to change', async () => {
    const t = await newTenantWithKey();
    const rule = await body(await callApi(t.auth, 'POST', PATH, { path: 'a/*' }), 201);
    const reader = await addKey(t.tenantId, { files: 'read_write', settings: 'read', audit: 'none' });
    const none = await addKey(t.tenantId, { files: 'read_write', settings: 'none', audit: 'none' });
    expect((await callApi(reader.auth, 'GET', PATH)).status).toBe(200);
    expect((await callApi(reader.auth, 'POST', PATH, { path: 'b/*' })).status).toBe(403);
    expect((await callApi(reader.auth, 'DELETE', `${PATH}/${rule.id}`)).status).toBe(403);
    expect((await callApi(none.auth, 'GET', PATH)).status).toBe(403);
    expect((await callApi({}, 'GET', PATH)).status).toBe(401);
  });

  it('are one tenant\'s own: another tenant can neither see nor delete them', async () => {
    const a = await newTenantWithKey();
    const b = await newTenantWithKey();
    const rule = await body(await callApi(a.auth, 'POST', PATH, { path: '**' }), 201);
    expect(await body(await callApi(b.auth, 'GET', PATH), 200)).toEqual([]);
    await body(await callApi(b.auth, 'GET', `${PATH}/${rule.id}`), 404);
    await body(await callApi(b.auth, 'DELETE', `${PATH}/${rule.id}`), 404);
    expect(await body(await callApi(a.auth, 'GET', PATH), 200)).toHaveLength(1);
  });

  it('every write is in the tenant\'s audit log, with the key that made it; a refused write is not', async () => {
    const t = await newTenantWithKey();
    const rule = await body(await callApi(t.auth, 'POST', PATH, { country: 'XX' }), 201);
    await callApi(t.auth, 'PATCH', `${PATH}/${rule.id}`, { note: 'why' });
    await callApi(t.auth, 'DELETE', `${PATH}/${rule.id}`);
    await callApi(t.auth, 'POST', PATH, { path: '/bad' });
    const { entries } = await auditLog(env, t.tenantId).list({ limit: 50 });
    expect(entries.map((e) => [e.action, e.target, e.actor])).toEqual([
      ['blocking-rule.create', `blocking-rule:${rule.id}`, `key:${t.keyId}`],
      ['blocking-rule.update', `blocking-rule:${rule.id}`, `key:${t.keyId}`],
      ['blocking-rule.delete', `blocking-rule:${rule.id}`, `key:${t.keyId}`],
    ]);
  });
});

describe('operator blocking rules', () => {
  it('need the operator token', async () => {
    expect((await callApi({}, 'GET', ADMIN_PATH)).status).toBe(401);
    const t = await newTenantWithKey();
    expect((await callApi(t.auth, 'POST', ADMIN_PATH, { path: '**' })).status).toBe(401);
  });

  it('over one tenant are listed with it, written in the platform log and the tenant\'s, and deleted', async () => {
    const t = await newTenantWithKey();
    const other = await newTenantWithKey();
    const rule = await body(await callApi(ADMIN, 'POST', ADMIN_PATH, { tenant: t.tenantId, ip: '203.0.113.0/24', note: 'scraper' }), 201);
    expect(rule).toMatchObject({ id: expect.stringMatching(/^obr_/), tenant: t.tenantId, ip: '203.0.113.0/24', note: 'scraper', expiresAt: null, active: true });
    const listed = (await body(await callApi(ADMIN, 'GET', `${ADMIN_PATH}?tenant=${t.tenantId}`), 200)) as unknown as Json[];
    expect(listed.map((r) => r.id)).toContain(rule.id);
    const forOther = (await body(await callApi(ADMIN, 'GET', `${ADMIN_PATH}?tenant=${other.tenantId}`), 200)) as unknown as Json[];
    expect(forOther.map((r) => r.id)).not.toContain(rule.id);
    // The tenant's own list holds its own rules only.
    expect(await body(await callApi(t.auth, 'GET', PATH), 200)).toEqual([]);

    const until = new Date(Date.now() + 60_000).toISOString();
    expect(await body(await callApi(ADMIN, 'PATCH', `${ADMIN_PATH}/${rule.id}`, { expiresAt: until }), 200)).toMatchObject({ expiresAt: until });
    expect((await callApi(ADMIN, 'DELETE', `${ADMIN_PATH}/${rule.id}`)).status).toBe(204);
    await body(await callApi(ADMIN, 'DELETE', `${ADMIN_PATH}/${rule.id}`), 404);

    const actions = ['blocking-rule.create', 'blocking-rule.update', 'blocking-rule.delete'];
    const platform = (await auditLog(env, PLATFORM_LOG).list({ limit: 1000 })).entries.filter((e) => e.target === `blocking-rule:${rule.id}`);
    expect(platform.map((e) => [e.action, e.actor])).toEqual(actions.map((a) => [a, 'operator']));
    const tenant = (await auditLog(env, t.tenantId).list({ limit: 50 })).entries;
    expect(tenant.map((e) => [e.action, e.target])).toEqual(actions.map((a) => [a, `blocking-rule:${rule.id}`]));
  });

  it('name an existing tenant or none, and refuse bad patterns', async () => {
    const missing = await body(await callApi(ADMIN, 'POST', ADMIN_PATH, { tenant: 'no-such-tenant-here', path: '**' }), 400);
    expect(missing.message).toContain('"tenant"');
    const bad = await body(await callApi(ADMIN, 'POST', ADMIN_PATH, { transformation: { param: 'zz' } }), 400);
    expect(bad.message).toContain('"transformation.param"');
  });
});
