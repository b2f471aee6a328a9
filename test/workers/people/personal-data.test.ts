/**
 * A person's data (GDPR access and erasure): everything stored about a user, then erased — the account goes,
 * the audit log keeps a stable pseudonym instead of their id and no longer their address, and the chain still
 * verifies.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS } from '../../../src/audit/chain';
import { auditLog } from '../../../src/audit/record';
import type { Accounts } from '../../../src/durable/accounts';
import type { AuditLog } from '../../../src/durable/audit-log';
import { pseudonymOf } from '../../../src/people/personal-data';
import { api } from '../admin-helpers';
import { newTenant } from '../helpers';
import { app, lastMail, PASSWORD, signIn, type SignedIn, tenantWithOwner, tokenIn, uniqueEmail } from '../people-helpers';

interface AuditPage {
  entries: Record<string, unknown>[];
  nextCursor: string | null;
}

const IP = '203.0.113.77';

/** A developer with a name of their own, who changed a setting from IP. */
async function activeDeveloper(owner: SignedIn): Promise<{ id: string; email: string; name: string; cookie: string }> {
  const email = uniqueEmail('erasable');
  const name = `Zelda Quux ${Math.random().toString(36).slice(2, 8)}`;
  const invited = await app('/v1/accounts/users', { method: 'POST', cookie: owner.cookie, csrf: owner.csrf, json: { email, name, role: 'developer' } });
  expect(invited.status).toBe(201);
  const token = tokenIn(await lastMail(email, /invited/));
  expect((await app('/auth/accept-invite', { method: 'POST', json: { token, name, password: PASSWORD } })).status).toBe(200);
  const session = await signIn(owner.tenantId, email);
  const patch = await app('/v1/accounts/settings', { method: 'PATCH', cookie: session.cookie, csrf: session.csrf, json: { defaultQuality: 71 }, headers: { 'CF-Connecting-IP': IP } });
  expect(patch.status).toBe(200);
  return { id: session.userId, email, name, cookie: session.cookie };
}

async function wholeAuditLog(privateKey: string): Promise<Record<string, unknown>[]> {
  const entries: Record<string, unknown>[] = [];
  let cursor = '';
  do {
    const page = (await (await api(privateKey, `/v1/accounts/audit-logs?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json()) as AuditPage;
    entries.push(...page.entries);
    cursor = page.nextCursor ?? '';
  } while (cursor);
  return entries;
}

/** Every row of every table of a SQLite-backed object, as text. */
async function storedText(ns: DurableObjectNamespace<AuditLog> | DurableObjectNamespace<Accounts>, name: string): Promise<string> {
  return runInDurableObject(ns.get(ns.idFromName(name)), (_o, state) => {
    const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").toArray();
    return JSON.stringify(tables.map((t) => state.storage.sql.exec(`SELECT * FROM "${t.name}"`).toArray()));
  });
}

describe('personal data', () => {
  it('export: the account record, sessions and the audit entries the user made or was the target of', async () => {
    const owner = await tenantWithOwner();
    const dev = await activeDeveloper(owner);
    const res = await api(owner.privateKey, `/v1/accounts/users/${dev.id}/personal-data`);
    expect(res.status).toBe(200);
    const data = (await res.json()) as { user: Record<string, unknown>; sessions: unknown[]; auditEntries: { action: string; actor: string; ip: string; target: string }[] };
    expect(data.user).toMatchObject({ id: dev.id, email: dev.email, name: dev.name, role: 'developer', status: 'active' });
    expect(data.user).not.toHaveProperty('passwordHash');
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.auditEntries.find((e) => e.action === 'settings.update')).toMatchObject({ actor: `user:${dev.id}`, ip: IP });
    expect(data.auditEntries.find((e) => e.action === 'user.invite')).toMatchObject({ target: `user:${dev.id}` });
    expect(data.auditEntries.every((e) => e.actor === `user:${dev.id}` || e.target === `user:${dev.id}`)).toBe(true);
    // Reading someone's data is itself recorded.
    const log = await wholeAuditLog(owner.privateKey);
    expect(log.at(-1)).toMatchObject({ action: 'user.personal-data.export', target: `user:${dev.id}` });
    // An id nothing is stored about is a 404; a key without the users area is refused.
    expect((await api(owner.privateKey, '/v1/accounts/users/nobody/personal-data')).status).toBe(404);
    const key = (await (await api(owner.privateKey, '/v1/accounts/api-keys', { method: 'POST', json: { name: 'files only', permissions: { files: 'read' } } })).json()) as { privateKey: string };
    expect((await api(key.privateKey, `/v1/accounts/users/${dev.id}/personal-data`)).status).toBe(403);
  });

  it('erase: the account goes, the audit log keeps a stable pseudonym, the chain still verifies', async () => {
    const owner = await tenantWithOwner();
    const dev = await activeDeveloper(owner);
    const before = await wholeAuditLog(owner.privateKey);
    const mentions = before.filter((e) => e.actor === `user:${dev.id}` || e.target === `user:${dev.id}`).length;

    const res = await api(owner.privateKey, `/v1/accounts/users/${dev.id}/personal-data`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const erased = (await res.json()) as { pseudonym: string; accountDeleted: boolean; auditEntries: number; legacyAuditEntries: number };
    expect(erased.pseudonym).toBe(await pseudonymOf(env, owner.tenantId, dev.id));
    expect(erased.pseudonym).toMatch(/^user:anon-[0-9a-f]{20}$/);
    // Every entry that named them, plus the erasure's own entry.
    expect(erased).toMatchObject({ accountDeleted: true, auditEntries: mentions + 1, legacyAuditEntries: 0 });

    const verify = (await (await api(owner.privateKey, '/v1/accounts/audit-logs/verify')).json()) as { ok: boolean; count: number };
    expect(verify).toMatchObject({ ok: true, count: before.length + 1 });

    // Nothing of them is left in what the tenant stores: not the email, the name, the id or the address.
    const after = await wholeAuditLog(owner.privateKey);
    const stored = [JSON.stringify(after), await storedText(env.AUDIT_LOG, owner.tenantId), await storedText(env.ACCOUNTS, owner.tenantId)].join('\n');
    for (const trace of [dev.email, dev.name, dev.id, IP]) expect(stored, trace).not.toContain(trace);
    // The entries are still there, under the pseudonym, in the same order.
    expect(after.map((e) => e.id)).toEqual([...before.map((e) => e.id), after.at(-1)!.id]);
    expect(after.find((e) => e.action === 'settings.update' && e.actor === erased.pseudonym)).toMatchObject({ ip: '', country: '' });
    expect(after.at(-1)).toMatchObject({ action: 'user.erase', target: erased.pseudonym });
    // The owner's own entries are untouched.
    expect(after.filter((e) => e.actor === `user:${owner.userId}`).length).toBeGreaterThan(0);

    // Their session is gone, and a second erasure finds nothing.
    expect((await app('/auth/session', { cookie: dev.cookie })).status).toBe(401);
    expect((await api(owner.privateKey, `/v1/accounts/users/${dev.id}`, { method: 'PATCH', json: { name: 'x' } })).status).toBe(404);
    const again = await api(owner.privateKey, `/v1/accounts/users/${dev.id}/personal-data`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { message: string }).message).toMatch(/Nothing is stored/);
  });

  it('a user deleted earlier can still be erased from the audit log; the last owner cannot be erased', async () => {
    const owner = await tenantWithOwner();
    const dev = await activeDeveloper(owner);
    expect((await api(owner.privateKey, `/v1/accounts/users/${dev.id}`, { method: 'DELETE' })).status).toBe(204);
    const res = await api(owner.privateKey, `/v1/accounts/users/${dev.id}/personal-data`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accountDeleted: false });
    expect(JSON.stringify(await wholeAuditLog(owner.privateKey))).not.toContain(dev.id);
    expect((await (await api(owner.privateKey, '/v1/accounts/audit-logs/verify')).json()) as { ok: boolean }).toMatchObject({ ok: true });

    const last = await api(owner.privateKey, `/v1/accounts/users/${owner.userId}/personal-data`, { method: 'DELETE' });
    expect(last.status).toBe(409);
  });

  it('entries from before chain version 2 are left as they are, counted, and the chain still verifies', async () => {
    const tenant = await newTenant();
    const ns = env.AUDIT_LOG;
    // A version-1 entry as the log wrote them before: the chain hashed the values themselves.
    const legacy = { id: 'legacy-1', at: new Date().toISOString(), actor: 'user:u1', ip: '198.51.100.1', country: 'NL', action: 'settings.update', target: 'settings', beforeDigest: '', afterDigest: '', prevHash: GENESIS, v: 1 as const, commitments: null, salts: null };
    const hash = await chainHash(GENESIS, legacy);
    await runInDurableObject(ns.get(ns.idFromName(tenant)), (_o, state) => {
      state.storage.sql.exec(
        'INSERT INTO entries (id, at, actor, ip, country, action, target, before_digest, after_digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        legacy.id, legacy.at, legacy.actor, legacy.ip, legacy.country, legacy.action, legacy.target, '', '', GENESIS, hash,
      );
    });
    const log = auditLog(env, tenant);
    await log.append({ actor: 'user:u1', ip: '198.51.100.1', country: 'NL', action: 'settings.update', target: 'settings', beforeDigest: '', afterDigest: '' });
    expect(await log.pseudonymise('user:u1', 'user:anon-0123')).toEqual({ entries: 1, legacyEntries: 1 });
    expect(await log.verify()).toMatchObject({ ok: true, count: 2 });
    const { entries } = await log.list({ limit: 10 });
    expect(entries.map((e) => [e.v, e.actor, e.ip])).toEqual([[1, 'user:u1', '198.51.100.1'], [2, 'user:anon-0123', '']]);
    // A field not erased is still checked against its commitment.
    await runInDurableObject(ns.get(ns.idFromName(tenant)), (_o, state) => state.storage.sql.exec("UPDATE entries SET target = 'files' WHERE v = 2"));
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: entries[1]!.id, reason: 'target does not match its commitment' });
  });
});
