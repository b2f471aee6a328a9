/**
 * Origins reached over plain HTTP: a web folder (`baseUrl` + path) and a web proxy (the path is itself a full URL).
 * Both go through the SSRF-safe fetcher, read metadata first with a HEAD, and fetch the body only when delivery
 * asks for it (after the cache missed), with the tenant's byte cap and a time cap.
 *
 * Identity of a version: the ETag, else Last-Modified + Content-Length, always prefixed with the origin's id so
 * two origins can never share a cached variant. A server that sends neither validator (or refuses HEAD) is read
 * once with GET and identified by the SHA-256 of its bytes.
 *
 * Private files: a response header `Is-Private-File: true` marks the file private (ImageKit's convention).
 */
import { DEFAULT_TTL_BOUNDS, freshnessOf } from '../cache/freshness';
import { HttpError } from '../http/errors';
import { hex } from '../security/crypto';
import { discard, originUnreachable, readCapped, type SafeResponse, validatorOf } from '../security/safe-fetch';
import { bareEtag, dateOf, describedByHead, fetchFromOrigin, labelOf, type RemoteOptions } from './remote';
import type { Original, Origin } from './types';

export interface RemoteOriginOptions extends RemoteOptions {
  /** Extra request headers (X-Forwarded-Host when forwardHostHeaderToOrigin is on). */
  headers?: Record<string, string>;
}

const USER_AGENT = 'edgepix-origin-fetch/1';

/** Percent-encodes each segment of a path (RFC 3986 unreserved characters stay as they are). */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

/** Statuses that mean "this origin does not have the file": try the next origin. */
function isAbsent(status: number): boolean {
  return status === 404 || status === 410 || status === 401 || status === 403;
}

export class HttpFileReader {
  readonly label: string;

  constructor(private readonly options: RemoteOriginOptions) {
    this.label = labelOf(options);
  }

  private fetch(url: string, method: 'GET' | 'HEAD'): Promise<SafeResponse> {
    const headers = { 'User-Agent': USER_AGENT, 'X-Req-From': 'edgepix', ...this.options.headers };
    return fetchFromOrigin(this.options, url, { method, headers });
  }

  /** Metadata of the file at `url` (no body read), or null when the server does not have it. */
  async describe(url: string, path: string): Promise<Original | null> {
    const head = await this.fetch(url, 'HEAD');
    const status = head.response.status;
    await discard(head.response);
    if (isAbsent(status)) return null;
    if (status === 405 || status === 501) return this.readWhole(url, path);
    this.expectOk(status);
    const validator = validatorOf(head.response);
    if (!validator) return this.readWhole(url, path);
    const headers = head.response.headers;
    const open = async (): Promise<SafeResponse> => {
      const got = await this.fetch(url, 'GET');
      if (got.response.status !== 200) {
        await discard(got.response);
        if (isAbsent(got.response.status)) throw changedWhileReading();
        this.expectOk(got.response.status);
        throw originUnreachable(this.label, `it answered ${got.response.status} to GET`);
      }
      if (changedBetween(headers, got.response.headers)) {
        await discard(got.response);
        throw changedWhileReading();
      }
      return got;
    };
    return describedByHead(this.options, path, validator, headers, isPrivateHeader(headers), open);
  }

  /** For servers without validators or HEAD: one capped GET, identified by the hash of its bytes. */
  private async readWhole(url: string, path: string): Promise<Original | null> {
    const got = await this.fetch(url, 'GET');
    const status = got.response.status;
    if (isAbsent(status)) {
      await discard(got.response);
      return null;
    }
    if (status !== 200) {
      await discard(got.response);
      this.expectOk(status);
      throw originUnreachable(this.label, `it answered ${status} to GET`);
    }
    const body = await readCapped(got, this.options.maxBytes);
    const headers = got.response.headers;
    return {
      path,
      etag: `${this.options.id}:sha256:${hex(await crypto.subtle.digest('SHA-256', body)).slice(0, 40)}`,
      size: body.byteLength,
      contentType: headers.get('Content-Type') ?? undefined,
      lastModified: dateOf(headers.get('Last-Modified')),
      isPrivate: isPrivateHeader(headers),
      freshness: freshnessOf(headers, this.options.ttl ?? DEFAULT_TTL_BOUNDS),
      bytes: async () => body,
      stream: async (range) => new Response(range ? body.subarray(range.start, range.end + 1) : body).body!,
    };
  }

  private expectOk(status: number): void {
    if (status >= 200 && status < 300 && status !== 206) return;
    throw originUnreachable(this.label, `it answered ${status}`);
  }
}

/**
 * Whether two responses for one URL describe different versions: their ETags differ, or (without ETags) their
 * Last-Modified dates. Content-Length is not compared: a compressed GET may differ from its HEAD.
 */
function changedBetween(head: Headers, got: Headers): boolean {
  const [a, b] = [bareEtag(head.get('ETag')), bareEtag(got.get('ETag'))];
  if (a && b) return a !== b;
  const [x, y] = [head.get('Last-Modified'), got.get('Last-Modified')];
  if (x && y) return Date.parse(x) !== Date.parse(y);
  return false;
}

function changedWhileReading(): HttpError {
  return new HttpError(503, 'The file changed at the origin while it was being read', 'Retry the request.', {
    'Retry-After': '1',
  });
}

function isPrivateHeader(headers: Headers): boolean {
  return (headers.get('Is-Private-File') ?? '').trim().toLowerCase() === 'true';
}

/** WEB_FOLDER: `baseUrl` + the file path. */
export class WebFolderOrigin implements Origin {
  readonly name: string;
  private readonly reader: HttpFileReader;
  private readonly base: URL;

  constructor(baseUrl: string, options: RemoteOriginOptions) {
    this.name = `web-folder:${options.id}`;
    this.reader = new HttpFileReader(options);
    // Read as a folder: `https://host/files` and `https://host/files/` name the same one.
    const base = new URL(baseUrl);
    this.base = base.pathname.endsWith('/') ? base : new URL(`${base.href}/`);
  }

  /** The URL of `path` under the base; never outside it (dot segments are refused before they get here). */
  urlOf(path: string): string {
    // Concatenated, not resolved: a path starting with "//" must not become a host.
    const url = new URL(`${this.base.href}${encodePath(path)}`);
    if (!url.pathname.startsWith(this.base.pathname) || url.origin !== this.base.origin) {
      throw new HttpError(400, 'The file path leaves the origin\'s base URL', 'Use the file\'s real path.');
    }
    return url.href;
  }

  async get(path: string): Promise<Original | null> {
    return this.reader.describe(this.urlOf(path), path);
  }
}

/**
 * WEB_PROXY: the delivery path is the full source URL, `/<tenant>/<prefix>/https://example.com/a.jpg`, or the same
 * percent-encoded as one segment, `/<tenant>/<prefix>/https%3A%2F%2Fexample.com%2Fa.jpg` (the form to use in
 * signed URLs, and the only way to carry a query string of the source URL). A single slash after the scheme
 * (`https:/example.com`, as some proxies merge slashes) is accepted. Anything that is not an http(s) URL is not
 * this origin's file (null), so the next origin or a 404 follows.
 */
export class WebProxyOrigin implements Origin {
  readonly name: string;
  private readonly reader: HttpFileReader;

  constructor(options: RemoteOriginOptions) {
    this.name = `web-proxy:${options.id}`;
    this.reader = new HttpFileReader(options);
  }

  async get(path: string): Promise<Original | null> {
    const url = sourceUrlOf(path);
    if (!url) return null;
    return this.reader.describe(url, path);
  }
}

/** The source URL a web-proxy path names, or undefined. */
export function sourceUrlOf(path: string): string | undefined {
  const match = /^(https?):\/{1,2}(?=[^/])/i.exec(path);
  if (!match) return undefined;
  const normalised = `${match[1]!.toLowerCase()}://${path.slice(match[0].length)}`;
  try {
    return new URL(normalised).href;
  } catch {
    return undefined;
  }
}
