/**
 * Web-folder and web-proxy origins against a real HTTP server on loopback (test/servers/web-folder.ts): the
 * conformance suite, lazy bodies, redirects (followed by hand, re-checked at every hop), and the byte and time caps.
 */
import { describe, expect, it } from 'vitest';
import { encodePath, type RemoteOriginOptions, sourceUrlOf, WebFolderOrigin, WebProxyOrigin } from '../../../src/origins/http';
import type { Origin } from '../../../src/origins/types';
import { describeOriginConformance } from '../conformance/origin-suite';
import { devPolicy, prodPolicy, rejection, putWeb, redirectingBase, servers, unique, webLog } from '../origin-servers';

const MiB = 1024 * 1024;

function options(overrides: Partial<RemoteOriginOptions> = {}): RemoteOriginOptions {
  return { id: 'o-web', name: 'test web', policy: devPolicy(), maxBytes: 10 * MiB, ...overrides };
}

function webFolder(baseUrl: string, overrides: Partial<RemoteOriginOptions> = {}): WebFolderOrigin {
  return new WebFolderOrigin(baseUrl, options(overrides));
}

async function readAll(stream: ReadableStream): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

/** Web folders in three server flavours: with validators, without any, and without HEAD. */
for (const [flavour, route] of [
  ['with ETag and Last-Modified', 'files'],
  ['without validators (identified by a hash of the bytes)', 'plain'],
  ['refusing HEAD', 'nohead'],
] as const) {
  describeOriginConformance({
    name: `web folder ${flavour}`,
    async create() {
      const namespace = unique('conf');
      return {
        origin: webFolder(`${servers.webFolder}/${route}/${namespace}/`),
        put: (path, bytes, opts) => putWeb(`${namespace}/${path}`, bytes, opts),
      };
    },
  });
}

describeOriginConformance({
  name: 'web proxy (the path is the file URL)',
  async create() {
    const namespace = unique('proxy');
    const proxy = new WebProxyOrigin(options());
    // The suite names files by path; the proxy is asked for the full URL of that path on the server.
    const origin: Origin = {
      name: proxy.name,
      async get(path) {
        const found = await proxy.get(`${servers.webFolder}/files/${namespace}/${encodePath(path)}`);
        return found && { ...found, path };
      },
    };
    return { origin, put: (path, bytes, opts) => putWeb(`${namespace}/${path}`, bytes, opts) };
  },
});

describe('web folder origin', () => {
  it('reads the metadata with HEAD and the body only when asked', async () => {
    const namespace = unique('lazy');
    await putWeb(`${namespace}/a.jpg`, bytesOf('lazy body'), { contentType: 'image/jpeg' });
    const original = await webFolder(`${servers.webFolder}/files/${namespace}/`).get('a.jpg');
    expect(original!.size).toBe(9);
    expect(await webLog(namespace)).toEqual([`HEAD /files/${namespace}/a.jpg`]);
    expect(await original!.bytes()).toEqual(bytesOf('lazy body'));
    expect(await webLog(namespace)).toEqual([`HEAD /files/${namespace}/a.jpg`, `GET /files/${namespace}/a.jpg`]);
  });

  it('prefixes etags with the origin id, so two origins never share a variant', async () => {
    const namespace = unique('etag');
    await putWeb(`${namespace}/a.jpg`, bytesOf('same'));
    const base = `${servers.webFolder}/files/${namespace}/`;
    const one = await webFolder(base, { id: 'one' }).get('a.jpg');
    const two = await webFolder(base, { id: 'two' }).get('a.jpg');
    expect(one!.etag).not.toBe(two!.etag);
    expect(one!.etag.startsWith('one:')).toBe(true);
  });

  it('answers 503 when the file changes between the metadata and the body', async () => {
    const namespace = unique('changing');
    await putWeb(`${namespace}/a.jpg`, bytesOf('first'));
    const original = await webFolder(`${servers.webFolder}/files/${namespace}/`).get('a.jpg');
    await putWeb(`${namespace}/a.jpg`, bytesOf('second, longer'));
    expect((await rejection(original!.bytes())).status).toBe(503);
  });

  it('follows up to 5 redirects by hand and refuses a sixth', async () => {
    const namespace = unique('redirects');
    await putWeb(`${namespace}/a.jpg`, bytesOf('after redirects'));
    const five = await webFolder(`${servers.webFolder}/redirect/4/files/${namespace}/`).get('a.jpg');
    expect(await five!.bytes()).toEqual(bytesOf('after redirects'));
    const six = await rejection(webFolder(`${servers.webFolder}/redirect/5/files/${namespace}/`).get('a.jpg'));
    expect(six.status).toBe(502);
    expect(six.message).toMatch(/more than 5 redirects/);
  });

  it('refuses a redirect to a forbidden address, whatever the first host was', async () => {
    for (const target of [
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0/x.jpg',
      'http://[::ffff:169.254.169.254]/x.jpg',
      'file:///etc/passwd',
      'http://224.0.0.1/x.jpg',
    ]) {
      const error = await rejection(webFolder(redirectingBase(target)).get('a.jpg'));
      expect(error.status, target).toBe(403);
    }
  });

  it('refuses a redirect from a public host to loopback when private origins are not allowed', async () => {
    const namespace = unique('public-to-private');
    await putWeb(`${namespace}/a.jpg`, bytesOf('private data'));
    const asked: string[] = [];
    // A stand-in for the network: a public host that redirects to the loopback test server.
    const fetcher = async (request: Request) => {
      asked.push(request.url);
      if (new URL(request.url).hostname === 'images.example.com') {
        return new Response(null, { status: 302, headers: { Location: `${servers.webFolder}/files/${namespace}/a.jpg` } });
      }
      return fetch(request);
    };
    const origin = webFolder('https://images.example.com/', { policy: prodPolicy('https://images.example.com/'), fetcher });
    const error = await rejection(origin.get('a.jpg'));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/loopback/);
    expect(asked).toEqual(['https://images.example.com/a.jpg']);
    expect(await webLog(namespace)).toEqual([]);
  });

  it('refuses the loopback server itself when private origins are not allowed, without a request', async () => {
    const namespace = unique('prod');
    await putWeb(`${namespace}/a.jpg`, bytesOf('x'));
    const origin = webFolder(`${servers.webFolder}/files/${namespace}/`, { policy: prodPolicy(servers.webFolder) });
    const error = await rejection(origin.get('a.jpg'));
    expect(error.status).toBe(403);
    expect(error.message).toContain('127.0.0.1');
    expect(await webLog(namespace)).toEqual([]);
  });

  it('cuts off a server that is slower than the time cap with 504', async () => {
    const namespace = unique('slow');
    await putWeb(`${namespace}/a.jpg`, bytesOf('late'));
    const started = Date.now();
    const error = await rejection(webFolder(`${servers.webFolder}/slow/3000/files/${namespace}/`, { timeoutMs: 300 }).get('a.jpg'));
    expect(error.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('cuts off a body that trickles past the time cap with 504', async () => {
    const original = await webFolder(`${servers.webFolder}/trickle/`, { timeoutMs: 600 }).get('x.jpg');
    expect(original).not.toBeNull();
    expect((await rejection(original!.bytes())).status).toBe(504);
  });

  it('stops reading an endless body at the byte cap with 413, as bytes and as a stream', async () => {
    const origin = webFolder(`${servers.webFolder}/endless/`, { maxBytes: MiB });
    const original = await origin.get('x.jpg');
    expect(original!.size).toBe(0); // no Content-Length: unknown until read
    const error = await rejection(original!.bytes());
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/maxInputBytes/);
    const stream = await (await origin.get('x.jpg'))!.stream();
    expect((await rejection(readAll(stream))).status).toBe(413);
  });

  it('refuses a declared length over the cap before reading', async () => {
    const namespace = unique('declared');
    await putWeb(`${namespace}/big.bin`, new Uint8Array(4096));
    const original = await webFolder(`${servers.webFolder}/files/${namespace}/`, { maxBytes: 1000 }).get('big.bin');
    expect(original!.size).toBe(4096);
    expect((await rejection(original!.bytes())).status).toBe(413);
  });

  it('never leaves its base URL', () => {
    const origin = webFolder('https://cdn.example.com/images/');
    expect(origin.urlOf('a b/ü.jpg')).toBe('https://cdn.example.com/images/a%20b/%C3%BC.jpg');
    expect(origin.urlOf('x?y#z.jpg')).toBe('https://cdn.example.com/images/x%3Fy%23z.jpg');
    expect(origin.urlOf('//evil.com/a.jpg')).toBe('https://cdn.example.com/images///evil.com/a.jpg');
    expect(origin.urlOf('/\\evil.com/a.jpg')).toBe('https://cdn.example.com/images//%5Cevil.com/a.jpg');
  });
});

describe('web proxy origin', () => {
  it('reads the source URL from the path, raw or percent-decoded, with one or two slashes', () => {
    expect(sourceUrlOf('https://example.com/a.jpg')).toBe('https://example.com/a.jpg');
    expect(sourceUrlOf('http:/example.com/a b.jpg')).toBe('http://example.com/a%20b.jpg');
    expect(sourceUrlOf('HTTPS://Example.com/a.jpg?w=1')).toBe('https://example.com/a.jpg?w=1');
    expect(sourceUrlOf('ftp://example.com/a.jpg')).toBeUndefined();
    expect(sourceUrlOf('example.com/a.jpg')).toBeUndefined();
    expect(sourceUrlOf('photos/a.jpg')).toBeUndefined();
    expect(sourceUrlOf('https:///a.jpg')).toBeUndefined();
  });

  it('is not the origin of plain paths', async () => {
    expect(await new WebProxyOrigin(options()).get('photos/a.jpg')).toBeNull();
  });

  it('refuses private and disguised addresses in production, and non-default ports on public hosts', async () => {
    const proxy = new WebProxyOrigin(options({ policy: prodPolicy() }));
    for (const url of [
      'http://127.0.0.1/a.jpg',
      'http://2130706433/a.jpg',
      'http://0x7f000001/a.jpg',
      'http://0177.0.0.1/a.jpg',
      'http://127.1/a.jpg',
      'http://localhost/a.jpg',
      'http://a.localhost./a.jpg',
      'http://10.0.0.8/a.jpg',
      'http://[::1]/a.jpg',
      'http://[::ffff:127.0.0.1]/a.jpg',
      'http://169.254.169.254/latest/meta-data/',
      'http://example.com:8080/a.jpg',
    ]) {
      expect((await rejection(proxy.get(url))).status, url).toBe(403);
    }
  });
});
