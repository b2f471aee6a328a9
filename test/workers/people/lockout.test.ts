import { describe, expect, it } from 'vitest';
import { api } from '../admin-helpers';
import { app, codeIn, lastMail, mailsTo, PASSWORD, signIn, tenantWithOwner } from '../people-helpers';

async function challengeFor(tenant: string, email: string, password = PASSWORD) {
  const res = await app('/auth/login', { method: 'POST', json: { tenant, email, password } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { challenge: string }).challenge;
}

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('emailed codes: attempts, lockout and the notice', () => {
  it('five wrong codes lock the user out, email a notice, and the right code no longer works', async () => {
    const owner = await tenantWithOwner();
    const challenge = await challengeFor(owner.tenantId, owner.email);
    const code = codeIn(await lastMail(owner.email, /sign-in code/));
    for (let i = 0; i < 4; i++) {
      const res = await app('/auth/mfa', { method: 'POST', json: { challenge, code: wrongCode(code) } });
      expect(res.status).toBe(401);
    }
    expect(await mailsTo(owner.email).then((m) => m.filter((x) => /locked/.test(x.subject)))).toHaveLength(0);
    const fifth = await app('/auth/mfa', { method: 'POST', json: { challenge, code: wrongCode(code) } });
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers.get('Retry-After'))).toBeGreaterThan(800);
    const notice = await lastMail(owner.email, /locked/);
    expect(notice.text).toContain('15 minutes');
    // The right code of that challenge is dead, and so is a new sign-in while the lock lasts.
    expect((await app('/auth/mfa', { method: 'POST', json: { challenge, code } })).status).toBe(401);
    const login = await app('/auth/login', { method: 'POST', json: { tenant: owner.tenantId, email: owner.email, password: PASSWORD } });
    expect(login.status).toBe(429);

    const audit = (await (await api(owner.privateKey, '/v1/accounts/audit-logs?limit=100')).json()) as { entries: { action: string; actor: string }[] };
    const actions = audit.entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.mfa.failed')).toHaveLength(5);
    expect(actions).toContain('auth.lockout');
    expect(actions).toContain('auth.mfa.sent');
    expect(actions).toContain('auth.mfa.verified');
    expect(actions).toContain('auth.login');
    expect(actions).toContain('user.invite');
    expect(actions).toContain('user.accept-invite');
  });

  it('wrong passwords count towards the same lock', async () => {
    const owner = await tenantWithOwner();
    for (let i = 0; i < 4; i++) {
      const res = await app('/auth/login', { method: 'POST', json: { tenant: owner.tenantId, email: owner.email, password: 'wrong password!' } });
      expect(res.status).toBe(401);
    }
    const fifth = await app('/auth/login', { method: 'POST', json: { tenant: owner.tenantId, email: owner.email, password: 'wrong password!' } });
    expect(fifth.status).toBe(429);
    await lastMail(owner.email, /locked/);
    await expect(signIn(owner.tenantId, owner.email)).rejects.toThrow(/login: 429/);
  });

  it('a code is single use, a new sign-in voids the previous code, and a wrong challenge finds nothing', async () => {
    const owner = await tenantWithOwner();
    const first = await challengeFor(owner.tenantId, owner.email);
    const firstCode = codeIn(await lastMail(owner.email, /sign-in code/));
    const second = await challengeFor(owner.tenantId, owner.email);
    const secondCode = codeIn(await lastMail(owner.email, /sign-in code/));
    expect((await app('/auth/mfa', { method: 'POST', json: { challenge: first, code: firstCode } })).status).toBe(401);
    expect((await app('/auth/mfa', { method: 'POST', json: { challenge: `other-tenant.${second.split('.')[1]}`, code: secondCode } })).status).toBe(401);
    expect((await app('/auth/mfa', { method: 'POST', json: { challenge: second, code: secondCode } })).status).toBe(200);
    expect((await app('/auth/mfa', { method: 'POST', json: { challenge: second, code: secondCode } })).status).toBe(401);
  });
});
