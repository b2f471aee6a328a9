/**
 * A web server for the origin tests (Node, started by test/global-setup.ts). Files live in memory and are stored
 * by the tests themselves with PUT, the way an owner would upload them. Routes:
 *
 *   PUT  /files/<path>                 store (Content-Type kept; `X-Test-Private: true` marks it private;
 *                                      `X-Test-Cache-Control` is served as its Cache-Control; `X-Test-Fail: true`
 *                                      makes every later request for it a 503, as a failing origin would answer)
 *   GET|HEAD /files/<path>             serve with ETag, Last-Modified, Content-Length, Is-Private-File
 *   GET|HEAD /plain/<path>             the same file without any validator (no ETag, no Last-Modified)
 *   GET|HEAD /nohead/<path>            HEAD answers 405; GET serves the file
 *   GET|HEAD /redirect/<n>/<rest>      302 to /redirect/<n-1>/<rest>, and at 0 to /<rest>
 *   GET|HEAD /redirect-to/<b64url>/…   302 to the decoded absolute URL
 *   GET|HEAD /slow/<ms>/<rest>         waits <ms> before answering as /<rest>
 *   GET|HEAD /trickle/<name>           headers at once, then one byte every 200 ms, forever
 *   GET|HEAD /endless/<name>           200 without Content-Length, 64 KiB chunks forever (HEAD: ETag only)
 *   GET      /_log/<namespace>         JSON list of "METHOD /files/<namespace>/…" requests seen so far (with any
 *                                      X-Forwarded-Host header)
 *   *        /cf/zones/<zone>/<rest>   a stand-in for Cloudflare's zone API (purge_cache, custom_hostnames): records
 *                                      the call, answers {success: true, result: {id}}
 *   GET      /_cf/<zone>               JSON list of {method, path, authorization, body} calls received so far
 *   GET      /dns-query?name=&type=TXT a stand-in for DNS-over-HTTPS (JSON): the TXT records set with PUT /_dns/<name>
 *   PUT      /_dns/<name>              sets the TXT record of <name> to the body
 *   POST     /hooks/<name>[?fail=N]    a webhook receiver: records headers and body; answers 500 to the first N posts
 *   GET      /_hooks/<name>            JSON list of {headers, body, status} received so far
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type RunningServer } from './listen';

interface StoredFile {
  body: Buffer;
  contentType: string;
  isPrivate: boolean;
  etag: string;
  lastModified: string;
  cacheControl?: string;
  failing: boolean;
}


export async function startWebFolderServer(): Promise<RunningServer> {
  const files = new Map<string, StoredFile>();
  const log = new Map<string, string[]>();
  const hooks = new Map<string, { headers: Record<string, string>; body: string; status: number }[]>();
  const zoneCalls = new Map<string, { method: string; path: string; authorization: string; body: unknown }[]>();
  const dns = new Map<string, string>();

  function record(req: IncomingMessage, path: string): void {
    const namespace = path.split('/')[0] ?? '';
    const entries = log.get(namespace) ?? [];
    const forwarded = req.headers['x-forwarded-host'];
    entries.push(`${req.method ?? 'GET'} /files/${path}${forwarded ? ` (X-Forwarded-Host: ${String(forwarded)})` : ''}`);
    log.set(namespace, entries);
  }

  function serveFile(req: IncomingMessage, res: ServerResponse, path: string, validators: boolean): void {
    record(req, path);
    const file = files.get(path);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    if (file.failing) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('origin down');
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': file.contentType,
      'Content-Length': String(file.body.byteLength),
    };
    if (validators) {
      headers.ETag = file.etag;
      headers['Last-Modified'] = file.lastModified;
    }
    if (file.isPrivate) headers['Is-Private-File'] = 'true';
    if (file.cacheControl) headers['Cache-Control'] = file.cacheControl;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, route = '', ...rest] = url.pathname.split('/');
    const restPath = rest.map((s) => decodeURIComponent(s)).join('/');
    switch (route) {
      case 'hooks': {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const received = hooks.get(restPath) ?? [];
        const status = received.length < Number(url.searchParams.get('fail') ?? 0) ? 500 : 204;
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        received.push({ headers, body: Buffer.concat(chunks).toString('utf8'), status });
        hooks.set(restPath, received);
        res.writeHead(status).end();
        return;
      }
      case 'cf': {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const zone = rest[1] ?? '';
        const received = zoneCalls.get(zone) ?? [];
        const text = Buffer.concat(chunks).toString('utf8');
        const call = { method: req.method ?? 'GET', path: `/${rest.slice(2).join('/')}`, authorization: String(req.headers.authorization ?? '') };
        received.push({ ...call, body: text ? JSON.parse(text) : null });
        zoneCalls.set(zone, received);
        const result = { id: `cf-${received.length}` };
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ success: true, errors: [], result }));
        return;
      }
      case 'dns-query': {
        const name = url.searchParams.get('name') ?? '';
        const value = dns.get(name);
        const answer = value === undefined ? [] : [{ name, type: 16, TTL: 60, data: `"${value}"` }];
        res.writeHead(200, { 'Content-Type': 'application/dns-json' }).end(JSON.stringify({ Status: 0, Answer: answer }));
        return;
      }
      case '_dns': {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        dns.set(restPath, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204).end();
        return;
      }
      case '_cf':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(zoneCalls.get(restPath) ?? []));
        return;
      case '_hooks':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(hooks.get(restPath) ?? []));
        return;
      case 'files':
        if (req.method === 'PUT') {
          const chunks: Buffer[] = [];
          for await (const chunk of req) chunks.push(chunk as Buffer);
          const body = Buffer.concat(chunks);
          files.set(restPath, {
            body,
            contentType: req.headers['content-type'] ?? 'application/octet-stream',
            isPrivate: req.headers['x-test-private'] === 'true',
            etag: `"${createHash('sha1').update(body).digest('hex')}"`,
            lastModified: new Date().toUTCString(),
            cacheControl: req.headers['x-test-cache-control'] as string | undefined,
            failing: req.headers['x-test-fail'] === 'true',
          });
          res.writeHead(201).end();
          return;
        }
        return serveFile(req, res, restPath, true);
      case 'plain':
        return serveFile(req, res, restPath, false);
      case 'nohead':
        if (req.method === 'HEAD') {
          res.writeHead(405, { Allow: 'GET' }).end();
          return;
        }
        return serveFile(req, res, restPath, true);
      case 'redirect': {
        const [count = '0', ...tail] = rest;
        const n = Number(count);
        const location = n > 0 ? `/redirect/${n - 1}/${tail.join('/')}` : `/${tail.join('/')}`;
        res.writeHead(302, { Location: location }).end();
        return;
      }
      case 'redirect-to': {
        const target = Buffer.from(rest[0] ?? '', 'base64url').toString('utf8');
        res.writeHead(302, { Location: target }).end();
        return;
      }
      case 'slow': {
        const [ms = '0', ...tail] = rest;
        await new Promise((resolve) => setTimeout(resolve, Number(ms)));
        if (res.destroyed) return;
        req.url = `/${tail.join('/')}`;
        return handle(req, res);
      }
      case 'trickle': {
        res.writeHead(200, { 'Content-Type': 'image/jpeg', ETag: '"trickle"' });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        const timer = setInterval(() => res.write(Buffer.from([0xff])), 200);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'endless': {
        res.writeHead(200, { 'Content-Type': 'image/jpeg', ETag: '"endless"' });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        const chunk = Buffer.alloc(64 * 1024, 0xab);
        const pump = () => {
          while (!res.destroyed && res.write(chunk)) {
            // keep writing until the socket pushes back
          }
        };
        res.on('drain', pump);
        pump();
        return;
      }
      case '_log':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(log.get(rest[0] ?? '') ?? []));
        return;
      default:
        res.writeHead(404).end('no such route');
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  return listenOnLoopback(server);
}
