/**
 * The one way edgepix fetches from servers it does not own (S3 endpoints, web folders, web-proxy URLs):
 * every URL passes the SSRF guard (`ssrf.ts`), redirects are followed by hand — at most 5, each hop checked
 * again — the whole exchange is bounded in time, and bodies are read with a byte cap that aborts the transfer
 * as soon as it is exceeded, whether or not the server declared a length.
 *
 * Statuses a client sees: 403 a refused address, 413 a body over the cap, 502 an origin that cannot be reached,
 * misbehaves or redirects too often, 504 an origin slower than the time cap.
 */
import { HttpError } from '../http/errors';
import { checkOutboundUrl, type OutboundPolicy } from './ssrf';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type Fetcher = (request: Request) => Promise<Response>;

export interface SafeFetchOptions {
  method?: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** A PUT's body (backup writes into a tenant's bucket); never sent again on a redirect, as signed requests follow none. */
  body?: BodyInit | null;
  policy: OutboundPolicy;
  /** Redirects to follow; 0 refuses any redirect. Default 5 (0 for signed requests). */
  maxRedirects?: number;
  /** Hand redirect responses back instead of following or refusing them (S3 reads the bucket region from them). */
  returnRedirects?: boolean;
  /** The time cap for the whole exchange, headers and body. Default 10 s. */
  timeoutMs?: number;
  /** Signs the request (S3 SigV4) after the URL passed the guard; the signal and redirect mode are kept. */
  sign?: (request: Request) => Promise<Request>;
  /** How messages name the remote end, e.g. `origin "Product images"`. */
  label?: string;
  /** The network; tests replace it. */
  fetcher?: Fetcher;
}

export interface SafeResponse {
  response: Response;
  /** The URL that answered, after redirects. */
  url: URL;
  /** Aborts at the time cap; pass it to readCapped/cappedStream so reading the body is bounded too. */
  signal: AbortSignal;
  timeoutMs: number;
  label: string;
}

export function originTimeout(label: string, timeoutMs: number): HttpError {
  return new HttpError(
    504,
    `The ${label} did not answer within ${timeoutMs / 1000} s`,
    'Retry later; a slow origin is cut off so it cannot hold the request open.',
  );
}

export function originUnreachable(label: string, detail: string): HttpError {
  return new HttpError(502, `The ${label} could not be read: ${detail}`, 'Check that the origin is up and answers plain GET requests.');
}

export function tooLarge(label: string, maxBytes: number, size?: number): HttpError {
  const what = size === undefined ? `is larger than` : `is ${size} bytes, more than`;
  return new HttpError(
    413,
    `The original from the ${label} ${what} this tenant's limit (maxInputBytes) of ${maxBytes} bytes`,
    'Use a smaller file or raise limits.maxInputBytes in the tenant settings.',
  );
}

/**
 * Fetches `input` under the guard. Returns the first non-redirect response with its body unread; the caller
 * reads it with readCapped / cappedStream (or cancels it).
 */
export async function safeFetch(input: string | URL, options: SafeFetchOptions): Promise<SafeResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.sign ? 0 : (options.maxRedirects ?? MAX_REDIRECTS);
  const label = options.label ?? 'origin';
  const fetcher = options.fetcher ?? ((request: Request) => fetch(request));
  const signal = AbortSignal.timeout(timeoutMs);
  let url = checkOutboundUrl(input, options.policy);
  for (let hop = 0; ; hop++) {
    let request = new Request(url.href, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: hop === 0 ? options.body : undefined,
      redirect: 'manual',
      signal,
    });
    if (options.sign) request = new Request(await options.sign(request), { redirect: 'manual', signal });
    let response: Response;
    try {
      response = await fetcher(request);
    } catch (error) {
      if (signal.aborted) throw originTimeout(label, timeoutMs);
      throw originUnreachable(label, error instanceof Error ? error.message : 'connection failed');
    }
    if (!REDIRECT_STATUSES.has(response.status) || options.returnRedirects) {
      return { response, url, signal, timeoutMs, label };
    }
    await discard(response);
    const location = response.headers.get('Location');
    if (!location) throw originUnreachable(label, `it answered ${response.status} without a Location`);
    if (hop >= maxRedirects) {
      throw originUnreachable(
        label,
        maxRedirects === 0 ? `it answered with a redirect (${response.status}), which is not followed here` : `more than ${maxRedirects} redirects`,
      );
    }
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw originUnreachable(label, 'it redirected to an invalid URL');
    }
    // Every hop is checked again: an allowed host may redirect anywhere.
    url = checkOutboundUrl(next, options.policy);
  }
}

/** Drops a body that will not be read, so the connection is released. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already closed or errored: nothing to release.
  }
}

function declaredLength(response: Response): number | undefined {
  const raw = response.headers.get('Content-Length');
  if (raw === null || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw);
}

/** The whole body, refusing (413) as soon as it passes `maxBytes`, bounded by the fetch's time cap. */
export async function readCapped(fetched: SafeResponse, maxBytes: number): Promise<Uint8Array> {
  const { response, signal, label, timeoutMs } = fetched;
  const declared = declaredLength(response);
  if (declared !== undefined && declared > maxBytes) {
    await discard(response);
    throw tooLarge(label, maxBytes, declared);
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const onAbort = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', onAbort);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw originTimeout(label, timeoutMs);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(label, maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (signal.aborted) throw originTimeout(label, timeoutMs);
    throw originUnreachable(label, 'the connection broke while reading the file');
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  // A compressed body is decoded on the way in, so its length differs from Content-Length; only check identity bodies.
  const encoded = (response.headers.get('Content-Encoding') ?? 'identity').toLowerCase() !== 'identity';
  if (declared !== undefined && !encoded && total !== declared) {
    throw originUnreachable(label, `it sent ${total} of the ${declared} bytes it announced`);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The body as a stream that errors once more than `maxBytes` went through (a declared length over the cap is a
 * 413 before anything is sent). Used to serve originals untouched without buffering them.
 */
export async function cappedStream(fetched: SafeResponse, maxBytes: number): Promise<ReadableStream<Uint8Array>> {
  const { response, label, signal, timeoutMs } = fetched;
  const declared = declaredLength(response);
  if (declared !== undefined && declared > maxBytes) {
    await discard(response);
    throw tooLarge(label, maxBytes, declared);
  }
  if (!response.body) return new Response(new Uint8Array()).body!;
  let total = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (signal.aborted) {
        controller.error(originTimeout(label, timeoutMs));
        return;
      }
      total += chunk.byteLength;
      if (total > maxBytes) {
        controller.error(tooLarge(label, maxBytes));
        return;
      }
      controller.enqueue(chunk);
    },
  });
  return response.body.pipeThrough(counter);
}

/** A strong-enough identity from response validators: the ETag, else Last-Modified with Content-Length. */
export function validatorOf(response: Response): string | undefined {
  const etag = response.headers.get('ETag');
  if (etag) return `etag:${etag.replace(/^W\//, '').replaceAll('"', '').trim()}`;
  const modified = response.headers.get('Last-Modified');
  const length = response.headers.get('Content-Length');
  if (modified && length) return `lm:${Date.parse(modified) || modified}:${length}`;
  return undefined;
}
