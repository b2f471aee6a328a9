/** The SSRF guard (src/security/ssrf.ts): every refused literal form, and public addresses that must pass. */
import { describe, expect, it } from 'vitest';
import {
  checkOutboundUrl,
  classifyHost,
  classifyIp,
  OutboundRefused,
  type OutboundPolicy,
  policyFor,
} from '../../../src/security/ssrf';

const PROD: OutboundPolicy = { allowPrivate: false };
const DEV: OutboundPolicy = { allowPrivate: true };

function refusal(url: string, policy: OutboundPolicy = PROD): OutboundRefused {
  try {
    checkOutboundUrl(url, policy);
  } catch (error) {
    expect(error).toBeInstanceOf(OutboundRefused);
    expect((error as OutboundRefused).status).toBe(403);
    return error as OutboundRefused;
  }
  throw new Error(`${url} was allowed`);
}

describe('loopback in every disguise', () => {
  // What `new URL()` does with each: all of them become host 127.0.0.1 (or [::ffff:7f00:1] / localhost).
  const forms = [
    'http://127.0.0.1/',
    'http://127.255.255.254/',
    'http://2130706433/', // decimal
    'http://0x7f000001/', // hex
    'http://0x7F.0x0.0x0.0x1/', // hex per part
    'http://0177.0.0.1/', // octal
    'http://017700000001/', // octal, one number
    'http://127.1/', // short form
    'http://127.0.1/',
    'http://127.000.000.001/',
    'http://127.0.0.1./', // trailing dot
    'http://%31%32%37.0.0.1/', // percent-encoded host
    'http://１２７.０.０.１/', // full-width digits (IDNA maps them)
    'http://①②⑦.0.0.1/', // circled digits
    'http://localhost/',
    'http://LOCALHOST/',
    'http://localhost./',
    'http://foo.localhost/',
    'http://a.b.localhost./',
    'http://[::1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::ffff:127.0.0.1]/', // IPv4-mapped
    'http://[::ffff:7f00:1]/',
    'http://[::127.0.0.1]/', // IPv4-compatible
    'http://[64:ff9b::127.0.0.1]/', // NAT64
    'http://[2002:7f00:1::]/', // 6to4
    'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', // Teredo, client 127.0.0.1
  ];
  for (const url of forms) {
    it(`refuses ${url}`, () => {
      expect(refusal(url).reason).toMatch(/loopback|local host name/);
    });
  }

  it('lets them through with ALLOW_PRIVATE_ORIGINS, on any port', () => {
    for (const url of forms) expect(checkOutboundUrl(url.replace(/\/$/, ':8123/x'), DEV).href, url).toMatch(/:8123\/x$/);
  });
});

describe('private, link-local and other non-public ranges', () => {
  const cases: [string, RegExp, 'private' | 'forbidden'][] = [
    ['http://10.0.0.1/', /private network/, 'private'],
    ['http://10.255.255.255/', /private network/, 'private'],
    ['http://172.16.0.1/', /private network/, 'private'],
    ['http://172.31.255.255/', /private network/, 'private'],
    ['http://192.168.1.1/', /private network/, 'private'],
    ['http://0xc0a80101/', /private network/, 'private'], // 192.168.1.1 in hex
    ['http://3232235777/', /private network/, 'private'], // 192.168.1.1 in decimal
    ['http://100.64.0.1/', /carrier-grade NAT/, 'private'],
    ['http://100.127.255.255/', /carrier-grade NAT/, 'private'],
    ['http://[fc00::1]/', /unique-local/, 'private'],
    ['http://[fd12:3456:789a::1]/', /unique-local/, 'private'],
    ['http://[fec0::1]/', /site-local/, 'private'],
    ['http://intranet/', /single-label/, 'private'],
    ['http://printer.local/', /local host name/, 'private'],
    ['http://metadata.google.internal/', /local host name/, 'private'],
    ['http://router.home.arpa/', /local host name/, 'private'],
    ['http://[::ffff:10.0.0.1]/', /IPv4-mapped.*10\.0\.0\.1.*private/, 'private'],
    ['http://[64:ff9b::192.168.0.1]/', /NAT64.*192\.168\.0\.1/, 'private'],
    ['http://[2002:c0a8:101::]/', /6to4.*192\.168\.1\.1/, 'private'],
    ['http://[2001:0:a00:1::f7f7:f7f7]/', /Teredo.*10\.0\.0\.1/, 'private'], // Teredo server 10.0.0.1
    ['http://0.0.0.0/', /unspecified/, 'forbidden'],
    ['http://0/', /unspecified/, 'forbidden'],
    ['http://0.1.2.3/', /unspecified/, 'forbidden'],
    ['http://[::]/', /unspecified/, 'forbidden'],
    ['http://169.254.169.254/', /link-local/, 'forbidden'],
    ['http://169.254.0.1/', /link-local/, 'forbidden'],
    ['http://[fe80::1]/', /link-local/, 'forbidden'],
    ['http://[febf::1]/', /link-local/, 'forbidden'],
    ['http://[::ffff:169.254.169.254]/', /IPv4-mapped.*link-local/, 'forbidden'],
    ['http://[::ffff:a9fe:a9fe]/', /IPv4-mapped.*link-local/, 'forbidden'],
    ['http://[64:ff9b::a9fe:a9fe]/', /NAT64.*link-local/, 'forbidden'],
    ['http://[2002:a9fe:a9fe::]/', /6to4.*link-local/, 'forbidden'],
    ['http://[2001:0:4136:e378:8000:63bf:5601:5656]/', /Teredo.*169\.254\.169\.169.*link-local/, 'forbidden'],
    ['http://[::ffff:0:a9fe:a9fe]/', /SIIT.*link-local/, 'forbidden'],
    ['http://224.0.0.1/', /multicast/, 'forbidden'],
    ['http://239.255.255.250/', /multicast/, 'forbidden'],
    ['http://[ff02::1]/', /multicast/, 'forbidden'],
    ['http://255.255.255.255/', /broadcast/, 'forbidden'],
    ['http://4294967295/', /broadcast/, 'forbidden'],
    ['http://240.0.0.1/', /reserved/, 'forbidden'],
    ['http://192.0.2.1/', /reserved/, 'forbidden'],
    ['http://198.18.0.1/', /reserved/, 'forbidden'],
    ['http://198.51.100.7/', /reserved/, 'forbidden'],
    ['http://203.0.113.7/', /reserved/, 'forbidden'],
    ['http://192.0.0.8/', /reserved/, 'forbidden'],
    ['http://[2001:db8::1]/', /reserved/, 'forbidden'],
    ['http://[100::1]/', /reserved/, 'forbidden'],
    ['http://[64:ff9b:1::a00:1]/', /local-use NAT64/, 'forbidden'],
    ['http://[4000::1]/', /outside 2000::\/3/, 'forbidden'],
  ];
  for (const [url, reason, kind] of cases) {
    it(`refuses ${url} (${kind})`, () => {
      expect(refusal(url).reason).toMatch(reason);
      if (kind === 'forbidden') expect(refusal(url, DEV).reason).toMatch(reason);
      else expect(() => checkOutboundUrl(url, DEV)).not.toThrow();
    });
  }
});

describe('public addresses pass', () => {
  for (const url of [
    'https://example.com/a.jpg',
    'https://images.example.co.uk/a/b/c.png?x=1',
    'http://8.8.8.8/',
    'http://1.1.1.1/',
    'http://93.184.216.34/',
    'http://172.15.255.255/', // just below 172.16/12
    'http://172.32.0.1/', // just above
    'http://100.63.255.255/', // just below 100.64/10
    'http://100.128.0.1/', // just above
    'http://[2606:4700:4700::1111]/',
    'http://[2a00:1450:4001:82a::200e]/',
    'http://[::ffff:8.8.8.8]/',
    'http://[2002:808:808::1]/', // 6to4 of a public address
    'http://[64:ff9b::808:808]/', // NAT64 of a public address
    'http://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/', // Teredo: public server and client
    'https://xn--nxasmq6b.com/', // IDN
    'https://bücher.example/', // IDN, punycoded by the parser
    'https://s3.eu-west-1.amazonaws.com/bucket/key',
    'https://example.com:443/',
    'http://example.com:80/',
  ]) {
    it(`allows ${url}`, () => {
      expect(checkOutboundUrl(url, PROD)).toBeInstanceOf(URL);
    });
  }
});

describe('schemes, credentials and ports', () => {
  it('allows only http and https', () => {
    for (const url of ['ftp://example.com/a', 'file:///etc/passwd', 'gopher://example.com/', 'data:text/plain,x', 'javascript:alert(1)', 'ws://example.com/']) {
      expect(refusal(url).reason).toMatch(/scheme/);
    }
  });

  it('refuses credentials in the URL (and judges the real host, not the user part)', () => {
    expect(refusal('http://user:pass@example.com/').reason).toMatch(/credentials/);
    expect(refusal('http://example.com@127.0.0.1/').reason).toMatch(/credentials/);
  });

  it('refuses what is not a URL', () => {
    expect(refusal('not a url').reason).toMatch(/not a valid URL/);
    expect(refusal('http://1.2.3.4.5/').reason).toMatch(/not a valid URL/);
    expect(refusal('http://[fe80::1%25eth0]/').reason).toMatch(/not a valid URL/);
  });

  it('allows ports 80 and 443 and refuses others on public hosts', () => {
    expect(refusal('http://example.com:8080/').reason).toMatch(/port 8080/);
    expect(refusal('https://example.com:22/').reason).toMatch(/port 22/);
    expect(refusal('http://8.8.8.8:6379/').reason).toMatch(/port 6379/);
  });

  it('allows a port written in the origin configuration, for that host only', () => {
    const policy = policyFor({ ALLOW_PRIVATE_ORIGINS: 'false' }, ['https://minio.example.com:9000/bucket']);
    expect(checkOutboundUrl('https://minio.example.com:9000/bucket/a.jpg', policy).port).toBe('9000');
    expect(refusal('https://minio.example.com:9001/bucket/a.jpg', policy).reason).toMatch(/port 9001/);
    expect(refusal('https://other.example.com:9000/a.jpg', policy).reason).toMatch(/port 9000/);
  });

  it('reads ALLOW_PRIVATE_ORIGINS strictly', () => {
    expect(policyFor({ ALLOW_PRIVATE_ORIGINS: 'true' }).allowPrivate).toBe(true);
    for (const value of ['false', 'TRUE', '1', 'yes', '', undefined]) {
      expect(policyFor({ ALLOW_PRIVATE_ORIGINS: value }).allowPrivate, String(value)).toBe(false);
    }
  });

  it('never shows the path or query of a refused URL (they may carry secrets)', () => {
    const error = refusal('http://127.0.0.1/secret-path?token=abc');
    expect(error.message).toContain('http://127.0.0.1');
    expect(error.message).not.toMatch(/secret-path|token/);
  });
});

describe('classifying raw hosts and IPs', () => {
  it('normalises raw host text through the URL parser', () => {
    expect(classifyHost('0x7f000001').class).toBe('private');
    expect(classifyHost('2130706433').class).toBe('private');
    expect(classifyHost('::1').class).toBe('private');
    expect(classifyHost('[::ffff:169.254.169.254]').class).toBe('forbidden');
    expect(classifyHost('example.com').class).toBe('public');
    expect(classifyHost('evil.com@127.0.0.1').class).toBe('forbidden');
    expect(classifyHost('a b').class).toBe('forbidden');
  });

  it('reads legacy IPv4 forms even without the URL parser', () => {
    expect(classifyIp('0x7f.1')?.class).toBe('private');
    expect(classifyIp('0177.0.0.1')?.class).toBe('private');
    expect(classifyIp('example.com')).toBeUndefined();
    expect(classifyIp('fe80::1%eth0')?.class).toBe('forbidden');
  });
});
