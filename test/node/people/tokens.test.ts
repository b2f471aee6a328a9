import { describe, expect, it } from 'vitest';
import { randomDigits, tenantOfToken, newTenantToken } from '../../../src/people/tokens';
import { checkPasswordPolicy } from '../../../src/people/passwords';
import { codeMail, invitationMail } from '../../../src/mail/messages';
import { ROLE_PERMISSIONS, ROLES } from '../../../src/people/roles';
import { exceedingArea } from '../../../src/security/keys';

describe('people tokens', () => {
  it('names the tenant a token belongs to, and nothing for malformed ones', () => {
    const token = newTenantToken('acme');
    expect(tenantOfToken(token)).toBe('acme');
    expect(token.length).toBeGreaterThan(40);
    for (const bad of ['', 'acme', 'acme.short', '.abcdefghijklmnopqrstuvwxyz', 'Acme!.abcdefghijklmnopqrstuvwxyz', 42, null]) expect(tenantOfToken(bad)).toBeNull();
  });

  it('makes codes of exactly six digits, spread over all digits', () => {
    const codes = Array.from({ length: 2000 }, () => randomDigits(6));
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    const firstDigits = new Set(codes.map((c) => c[0]));
    expect(firstDigits.size).toBe(10);
    expect(new Set(codes).size).toBeGreaterThan(1990);
  });
});

describe('password policy', () => {
  it('wants 10 characters and not the email', () => {
    expect(() => checkPasswordPolicy('short', 'a@b.co')).toThrow(/10–256 characters/);
    expect(() => checkPasswordPolicy('pat@example.com', 'Pat@Example.com')).toThrow(/email/);
    expect(() => checkPasswordPolicy('patterson1', 'patterson1@example.com')).toThrow(/email/);
    expect(() => checkPasswordPolicy(12345678901, 'a@b.co')).toThrow();
    expect(checkPasswordPolicy('a long enough phrase', 'a@b.co')).toBe('a long enough phrase');
  });
});

describe('mails', () => {
  it('escape what people typed in the HTML part', () => {
    const mail = invitationMail('x@example.com', '<script>', 'https://e.test/app/accept-invite?token=a&b', 168);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain('https://e.test/app/accept-invite?token=a&b');
    expect(codeMail('x@example.com', 'acme', '012345', 10).subject).toContain('012345');
  });
});

describe('roles', () => {
  it('each role holds no more than the one above it', () => {
    for (let i = 1; i < ROLES.length; i++) expect(exceedingArea(ROLE_PERMISSIONS[ROLES[i]!], ROLE_PERMISSIONS[ROLES[i - 1]!])).toBeUndefined();
    expect(exceedingArea(ROLE_PERMISSIONS.admin, ROLE_PERMISSIONS.viewer)).toBe('files');
  });
});
