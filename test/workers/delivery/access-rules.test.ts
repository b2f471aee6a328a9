/**
 * Access rules in the delivery pipeline: IPv4/IPv6 CIDR allow and block (`CF-Connecting-IP`), country
 * (`request.cf.country`), referrer host, user agent. A refused request is a 403 JSON error naming the rule; the
 * access check runs before anything else of the tenant is looked at.
 */
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AccessRules, defaultSettings } from '../../../src/tenants/config';
import { fixtures } from '../../fixtures/registry';
import { type Client, clientInit, fixtureBytes, json, newTenant, ORIGIN, putOriginal } from '../helpers';

/** No rules at all: every list empty. */
const NONE: AccessRules = defaultSettings().access;

let bytes: Uint8Array;
beforeAll(async () => {
  bytes = await fixtureBytes(fixtures.jpegBaseline.path);
});

async function tenantWith(access: Partial<AccessRules>): Promise<string> {
  const id = await newTenant({ access: { ...NONE, ...access } });
  await putOriginal(id, 'a.jpg', bytes);
  return id;
}

function fetchAs(tenant: string, client: Client, path = 'tr:w-20/a.jpg'): Promise<Response> {
  return SELF.fetch(`${ORIGIN}/${tenant}/${path}`, clientInit(client));
}

async function expectAllowed(res: Response) {
  if (res.status !== 200) expect.fail(`${res.status} ${await res.text()}`);
  expect(res.headers.get('Content-Type')).toBe('image/jpeg');
}

async function expectRefused(res: Response, rule: string) {
  expect(res.status).toBe(403);
  expect(res.headers.get('Content-Type')).toContain('application/json');
  const body = await json(res);
  expect(Object.keys(body).sort()).toEqual(['help', 'message']);
  expect(body.message).toContain(rule);
  return body;
}

describe('IPv4 CIDR', () => {
  it('blocklist: addresses in the range are refused, others served', async () => {
    const t = await tenantWith({ ipBlock: ['203.0.113.0/24', '198.51.100.7'] });
    const body = await expectRefused(await fetchAs(t, { ip: '203.0.113.50' }), 'IP blocklist');
    expect(body.message).not.toContain('203.0.113'); // names the rule, not its content
    await expectRefused(await fetchAs(t, { ip: '198.51.100.7' }), 'IP blocklist');
    await expectAllowed(await fetchAs(t, { ip: '198.51.100.8' }));
    await expectAllowed(await fetchAs(t, { ip: '203.0.114.1' }));
  });

  it('allowlist: only addresses in a range are served; block wins over allow', async () => {
    const t = await tenantWith({ ipAllow: ['10.0.0.0/8'], ipBlock: ['10.9.9.9'] });
    await expectAllowed(await fetchAs(t, { ip: '10.1.2.3' }));
    await expectRefused(await fetchAs(t, { ip: '11.1.2.3' }), 'IP allowlist');
    await expectRefused(await fetchAs(t, { ip: '10.9.9.9' }), 'IP blocklist');
    await expectRefused(await fetchAs(t, {}), 'IP allowlist');
  });
});

describe('IPv6 CIDR', () => {
  it('blocklist and allowlist', async () => {
    const blocked = await tenantWith({ ipBlock: ['2001:db8:bad::/48'] });
    await expectRefused(await fetchAs(blocked, { ip: '2001:db8:bad:1::5' }), 'IP blocklist');
    await expectAllowed(await fetchAs(blocked, { ip: '2001:db8:900d::5' }));
    await expectAllowed(await fetchAs(blocked, { ip: '203.0.113.1' }));

    const allowed = await tenantWith({ ipAllow: ['2001:db8::/32', '192.0.2.0/24'] });
    await expectAllowed(await fetchAs(allowed, { ip: '2001:db8:1234::1' }));
    await expectAllowed(await fetchAs(allowed, { ip: '::ffff:192.0.2.10' }));
    await expectRefused(await fetchAs(allowed, { ip: '2001:db9::1' }), 'IP allowlist');
  });
});

describe('country', () => {
  it('blocklist and allowlist from request.cf.country', async () => {
    const blocked = await tenantWith({ countryBlock: ['KP', 'RU'] });
    await expectRefused(await fetchAs(blocked, { country: 'RU' }), 'country blocklist');
    await expectAllowed(await fetchAs(blocked, { country: 'DE' }));

    const allowed = await tenantWith({ countryAllow: ['DE', 'AT'] });
    await expectAllowed(await fetchAs(allowed, { country: 'AT' }));
    await expectRefused(await fetchAs(allowed, { country: 'FR' }), 'country allowlist');
  });
});

describe('referrer', () => {
  it('blocklist by exact host, case-insensitive; subdomains are other hosts', async () => {
    const t = await tenantWith({ referrerBlock: ['hotlinker.example'] });
    await expectRefused(await fetchAs(t, { referer: 'https://hotlinker.example/gallery?page=2' }), 'referrer blocklist');
    await expectRefused(await fetchAs(t, { referer: 'http://HotLinker.Example:8080/' }), 'referrer blocklist');
    await expectAllowed(await fetchAs(t, { referer: 'https://cdn.hotlinker.example/' }));
    await expectAllowed(await fetchAs(t, { referer: 'https://shop.example/' }));
    await expectAllowed(await fetchAs(t, {}));
  });

  it('allowlist: only listed hosts; no Referer is refused', async () => {
    const t = await tenantWith({ referrerAllow: ['shop.example', 'www.shop.example'] });
    await expectAllowed(await fetchAs(t, { referer: 'https://shop.example/product/1' }));
    await expectAllowed(await fetchAs(t, { referer: 'https://www.shop.example/' }));
    await expectRefused(await fetchAs(t, { referer: 'https://evil.example/' }), 'referrer allowlist');
    await expectRefused(await fetchAs(t, { referer: 'https://img.shop.example/' }), 'referrer allowlist');
    await expectRefused(await fetchAs(t, {}), 'referrer allowlist');
  });
});

describe('user agent', () => {
  it('blocklist by case-insensitive substring', async () => {
    const t = await tenantWith({ userAgentBlock: ['BadBot', 'python-requests'] });
    await expectRefused(await fetchAs(t, { userAgent: 'Mozilla/5.0 (compatible; badbot/2.1; +http://x)' }), 'user-agent blocklist');
    await expectRefused(await fetchAs(t, { userAgent: 'PYTHON-REQUESTS/2.31' }), 'user-agent blocklist');
    await expectAllowed(await fetchAs(t, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0' }));
  });
});

describe('order', () => {
  it('access is checked before the file is looked up and before the signature', async () => {
    const t = await tenantWith({ ipBlock: ['0.0.0.0/0'] });
    await expectRefused(await fetchAs(t, { ip: '192.0.2.1' }, 'missing.jpg'), 'IP blocklist');
    await expectRefused(await fetchAs(t, { ip: '192.0.2.1' }, `a.jpg?ik-s=${'0'.repeat(40)}`), 'IP blocklist');
  });

  it('a tenant without rules serves everyone', async () => {
    const t = await tenantWith({});
    await expectAllowed(await fetchAs(t, { ip: '192.0.2.1', country: 'KP', referer: 'https://x.example/', userAgent: 'BadBot' }));
  });
});
