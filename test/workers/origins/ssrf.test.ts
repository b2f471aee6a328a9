/**
 * The SSRF guard inside workerd: its URL parser (not Node's) must normalise the disguised forms the same way, and
 * the safe fetcher must refuse before any request leaves.
 */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { readCapped, safeFetch } from '../../../src/security/safe-fetch';
import { checkOutboundUrl, OutboundRefused } from '../../../src/security/ssrf';
import { devPolicy, prodPolicy, putWeb, redirectingBase, servers, unique, webLog } from '../origin-servers';

const PROD = { allowPrivate: false };

describe('workerd URL parser and the guard', () => {
  it('normalises disguised loopback hosts as Node does', () => {
    const expected: [string, string][] = [
      ['http://2130706433/', '127.0.0.1'],
      ['http://0x7f000001/', '127.0.0.1'],
      ['http://0177.0.0.1/', '127.0.0.1'],
      ['http://127.1/', '127.0.0.1'],
      ['http://127.0.0.1./', '127.0.0.1'],
      ['http://%31%32%37.0.0.1/', '127.0.0.1'],
      ['http://１２７.０.０.１/', '127.0.0.1'],
      ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
      ['http://LOCALHOST./', 'localhost.'],
    ];
    for (const [url, host] of expected) {
      expect(new URL(url).hostname, url).toBe(host);
      expect(() => checkOutboundUrl(url, PROD), url).toThrow(OutboundRefused);
    }
  });

  it('refuses before sending anything, and re-checks each redirect hop', async () => {
    let sent = 0;
    const fetcher = async (request: Request) => {
      sent++;
      return fetch(request);
    };
    await expect(safeFetch('http://0x7f000001:1/', { policy: prodPolicy(), fetcher })).rejects.toThrow(OutboundRefused);
    expect(sent).toBe(0);
    const hop = await safeFetch(redirectingBase('http://169.254.169.254/latest/meta-data/'), { policy: devPolicy(), fetcher }).catch((e) => e);
    expect(hop).toBeInstanceOf(OutboundRefused);
    expect(sent).toBe(1);
  });

  it('reads an allowed URL and hands back the final URL after redirects', async () => {
    const namespace = unique('safe');
    await putWeb(`${namespace}/a.txt`, new TextEncoder().encode('hello'));
    const fetched = await safeFetch(`${servers.webFolder}/redirect/2/files/${namespace}/a.txt`, { policy: devPolicy() });
    expect(fetched.response.status).toBe(200);
    expect(fetched.url.pathname).toBe(`/files/${namespace}/a.txt`);
    expect(new TextDecoder().decode(await readCapped(fetched, 100))).toBe('hello');
    expect(await webLog(namespace)).toEqual([`GET /files/${namespace}/a.txt`]);
  });

  it('answers 502 for an unreachable origin and 504 for a slow one', async () => {
    // A stand-in for a refused connection (a real one makes workerd log an uncaught error even when handled).
    const fetcher = async (): Promise<Response> => {
      throw new TypeError('Network connection lost.');
    };
    const refused = await safeFetch('https://images.example.com/a.jpg', { policy: prodPolicy(), fetcher }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(502);
    expect((refused as HttpError).message).toMatch(/could not be read: Network connection lost/);
    const slow = await safeFetch(`${servers.webFolder}/slow/2000/nothing`, { policy: devPolicy(), timeoutMs: 200 }).catch((e: unknown) => e);
    expect((slow as HttpError).status).toBe(504);
  });

  it('does not follow redirects of signed requests', async () => {
    const error = await safeFetch(`${servers.webFolder}/redirect/1/files/x`, {
      policy: devPolicy(),
      sign: async (request) => request,
    }).catch((e: unknown) => e);
    expect((error as HttpError).status).toBe(502);
    expect((error as HttpError).message).toMatch(/not followed/);
  });
});
