/** Access rules decided from the request alone, and the validators the settings API uses for them. */
import { describe, expect, it } from 'vitest';
import {
  accessDenied,
  refusingRule,
  validateCidr,
  validateCountry,
  validateHost,
  type AccessRequest,
} from '../../../src/security/access';
import { type AccessRules, defaultSettings } from '../../../src/tenants/config';

/** No rules at all: every list empty. */
const NONE: AccessRules = defaultSettings().access;
const rules = (r: Partial<AccessRules>): AccessRules => ({ ...NONE, ...r });
const req = (r: Partial<AccessRequest>): AccessRequest => ({ ip: null, country: null, referer: null, userAgent: null, ...r });

describe('no rules', () => {
  it('lets everything through, even a request with nothing in it', () => {
    expect(refusingRule(NONE, req({}))).toBeNull();
    expect(refusingRule(NONE, req({ ip: '203.0.113.9', country: 'DE', referer: 'https://x.test/', userAgent: 'curl/8' }))).toBeNull();
  });
});

describe('IP and CIDR', () => {
  it.each([
    ['203.0.113.9', '203.0.113.0/24', true],
    ['203.0.114.1', '203.0.113.0/24', false],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.4', '10.1.2.3', false],
    ['10.200.0.1', '10.0.0.0/8', true],
    ['1.2.3.4', '0.0.0.0/0', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1', true],
    ['::1', '::1/128', true],
    ['::ffff:203.0.113.9', '203.0.113.0/24', true],
    ['203.0.113.9', '::ffff:203.0.113.0/120', true],
    ['203.0.113.9', '2001:db8::/32', false],
    ['2001:db8::1', '0.0.0.0/0', false],
  ])('%s in block list [%s] → blocked: %s', (ip, range, blocked) => {
    expect(refusingRule(rules({ ipBlock: [range] }), req({ ip }))).toBe(blocked ? 'ipBlock' : null);
    expect(refusingRule(rules({ ipAllow: [range] }), req({ ip }))).toBe(blocked ? null : 'ipAllow');
  });

  it('block wins over allow', () => {
    const r = rules({ ipAllow: ['10.0.0.0/8'], ipBlock: ['10.0.0.5'] });
    expect(refusingRule(r, req({ ip: '10.0.0.5' }))).toBe('ipBlock');
    expect(refusingRule(r, req({ ip: '10.0.0.6' }))).toBeNull();
  });

  it('a request without an IP is refused by an allowlist and passes a blocklist', () => {
    expect(refusingRule(rules({ ipAllow: ['10.0.0.0/8'] }), req({}))).toBe('ipAllow');
    expect(refusingRule(rules({ ipBlock: ['10.0.0.0/8'] }), req({}))).toBeNull();
    expect(refusingRule(rules({ ipAllow: ['10.0.0.0/8'] }), req({ ip: 'garbage' }))).toBe('ipAllow');
  });

  it('an allowlist of only unusable entries refuses everything (fail closed)', () => {
    expect(refusingRule(rules({ ipAllow: ['not-an-ip'] }), req({ ip: '10.0.0.1' }))).toBe('ipAllow');
  });
});

describe('country', () => {
  it('blocklist and allowlist, case-insensitive', () => {
    expect(refusingRule(rules({ countryBlock: ['RU', 'kp'] }), req({ country: 'KP' }))).toBe('countryBlock');
    expect(refusingRule(rules({ countryBlock: ['RU'] }), req({ country: 'DE' }))).toBeNull();
    expect(refusingRule(rules({ countryAllow: ['de', 'AT'] }), req({ country: 'DE' }))).toBeNull();
    expect(refusingRule(rules({ countryAllow: ['DE'] }), req({ country: 'FR' }))).toBe('countryAllow');
    expect(refusingRule(rules({ countryAllow: ['DE'] }), req({}))).toBe('countryAllow');
    expect(refusingRule(rules({ countryAllow: ['DE'], countryBlock: ['DE'] }), req({ country: 'DE' }))).toBe('countryBlock');
  });
});

describe('referrer', () => {
  it('matches the exact host, case-insensitively, whatever the scheme, port and path', () => {
    const block = rules({ referrerBlock: ['hotlinker.example'] });
    expect(refusingRule(block, req({ referer: 'https://hotlinker.example/page?x=1' }))).toBe('referrerBlock');
    expect(refusingRule(block, req({ referer: 'http://HOTLINKER.example:8080/' }))).toBe('referrerBlock');
    expect(refusingRule(block, req({ referer: 'https://fine.example/' }))).toBeNull();
    expect(refusingRule(block, req({}))).toBeNull();
  });

  it('does not match subdomains (ImageKit: exact domain, no wildcards)', () => {
    expect(refusingRule(rules({ referrerBlock: ['example.com'] }), req({ referer: 'https://www.example.com/' }))).toBeNull();
    expect(refusingRule(rules({ referrerAllow: ['example.com'] }), req({ referer: 'https://www.example.com/' }))).toBe('referrerAllow');
    expect(refusingRule(rules({ referrerAllow: ['example.com'] }), req({ referer: 'https://notexample.com/' }))).toBe('referrerAllow');
  });

  it('an allowlist refuses a missing or unparseable Referer', () => {
    const allow = rules({ referrerAllow: ['shop.example'] });
    expect(refusingRule(allow, req({ referer: 'https://shop.example/p/1' }))).toBeNull();
    expect(refusingRule(allow, req({}))).toBe('referrerAllow');
    expect(refusingRule(allow, req({ referer: 'not a url' }))).toBe('referrerAllow');
  });
});

describe('user agent', () => {
  it('blocks by case-insensitive substring', () => {
    const r = rules({ userAgentBlock: ['BadBot', 'python-requests'] });
    expect(refusingRule(r, req({ userAgent: 'Mozilla/5.0 (compatible; badbot/2.1)' }))).toBe('userAgentBlock');
    expect(refusingRule(r, req({ userAgent: 'Python-Requests/2.31' }))).toBe('userAgentBlock');
    expect(refusingRule(r, req({ userAgent: 'Mozilla/5.0 Firefox/126' }))).toBeNull();
    expect(refusingRule(r, req({}))).toBeNull();
  });
});

describe('the refusal', () => {
  it('is a 403 naming the rule and not its content', () => {
    const error = accessDenied('ipBlock');
    expect(error.status).toBe(403);
    expect(error.message).toContain('IP blocklist');
    expect(accessDenied('referrerAllow').message).toContain('referrer allowlist');
    expect(accessDenied('userAgentBlock').message).toContain('user-agent blocklist');
  });
});

describe('validators', () => {
  it.each(['163.120.4.15', '10.0.0.0/24', '0.0.0.0/0', '255.255.255.255/32', '2001:db8::1', '2001:db8::/32', '::1', '::/0', '::ffff:10.0.0.1'])(
    'validateCidr accepts %s',
    (text) => expect(validateCidr(text)).toBe(true),
  );
  it.each(['', '10.0.0.0/33', '10.0.0', '127.1', '0x7f.0.0.1', '10.0.0.256', '2001:db8::/129', 'fe80::1%eth0', ' 10.0.0.1', 'example.com', '10.0.0.0/'])(
    'validateCidr refuses %j',
    (text) => expect(validateCidr(text)).toBe(false),
  );

  it('validateCountry', () => {
    for (const ok of ['DE', 'us', 'T1', 'XX']) expect(validateCountry(ok)).toBe(true);
    for (const bad of ['', 'D', 'DEU', '12', 'D1', 'de ']) expect(validateCountry(bad)).toBe(false);
  });

  it('validateHost', () => {
    for (const ok of ['example.com', 'WWW.Example.COM', 'localhost', 'a-b.c-d.co.uk', 'xn--bcher-kva.example', '192.168.1.1']) {
      expect(validateHost(ok)).toBe(true);
    }
    for (const bad of ['', 'https://example.com', 'example.com/path', 'example.com:443', '*.example.com', '-a.com', 'a..com', 'bücher.example', 'a_b.com', 'a'.repeat(64) + '.com']) {
      expect(validateHost(bad)).toBe(false);
    }
  });
});
