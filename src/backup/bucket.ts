/**
 * The tenant's backup bucket: PUT, GET, DELETE and a listing, signed with SigV4 (aws4fetch) and sent through
 * the SSRF-guarded fetch, as S3 origins are read. A refusal is a BucketError naming the step and S3's own
 * error code (`InvalidAccessKeyId`, `NoSuchBucket`, `SignatureDoesNotMatch`, …), which the status shows.
 */
import { AwsClient } from 'aws4fetch';
import { XMLParser } from 'fast-xml-parser';
import { HttpError } from '../http/errors';
import { s3ObjectUrl, type S3Credentials } from '../origins/s3';
import { discard, readCapped, safeFetch, type SafeResponse } from '../security/safe-fetch';
import { sha256Hex } from '../security/crypto';
import { policyFor } from '../security/ssrf';
import type { StoredBackup } from './settings';

export type BucketStep = 'put' | 'get' | 'delete' | 'list';

export interface ListedObject {
  key: string;
  size: number;
  /** Without quotes. */
  etag: string;
}

export interface ListPage {
  /** In key order. */
  objects: ListedObject[];
  /** The marker of the next page (this page's last key), or null after the last page. */
  next: string | null;
}

/** Listings are small XML documents; keys stay strings even when they look like numbers, entities are decoded. */
const listingXml = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Contents' });

export class BucketError extends Error {
  constructor(
    readonly step: BucketStep,
    readonly reason: string,
  ) {
    super(`${step}: ${reason}`);
    this.name = 'BucketError';
  }
}

/** Time for a request: 10 s, and one more second per MB a PUT carries. */
const timeoutFor = (bytes = 0) => 10_000 + Math.ceil(bytes / 1_000_000) * 1000;
const ERROR_BODY_BYTES = 16 * 1024;
const LIST_BODY_BYTES = 4 * 1024 * 1024;

export class BackupBucket {
  private readonly client: AwsClient;

  constructor(
    private readonly target: Pick<StoredBackup, 'endpoint' | 'region' | 'bucket' | 'forcePathStyle'>,
    credentials: S3Credentials,
    private readonly env: { ALLOW_PRIVATE_ORIGINS?: string },
  ) {
    this.client = new AwsClient({ ...credentials, service: 's3', region: target.region, retries: 0 });
  }

  /** Stores bytes (a stream needs `size`: S3 takes no chunked upload) or text under `key`. */
  async put(key: string, body: ReadableStream<Uint8Array> | string, contentType: string, size?: number): Promise<void> {
    const headers: Record<string, string> = { 'Content-Type': contentType };
    let payload: BodyInit = body;
    if (typeof body === 'string') {
      // Given, the hash spares the signer a clone of the request to read its body.
      headers['X-Amz-Content-Sha256'] = await sha256Hex(body);
    } else {
      if (size === undefined) throw new Error('a streamed PUT needs its size');
      // Signing a stream would mean reading it twice; S3 takes an unsigned payload over the signed headers.
      headers['X-Amz-Content-Sha256'] = 'UNSIGNED-PAYLOAD';
      payload = body.pipeThrough(new FixedLengthStream(size));
    }
    const fetched = await this.send('put', 'PUT', key, { headers, body: payload, timeoutMs: timeoutFor(typeof body === 'string' ? body.length : size) });
    await this.expect(fetched, 'put', [200]);
  }

  /** The object's text, or null when there is none. */
  async getText(key: string): Promise<string | null> {
    const fetched = await this.send('get', 'GET', key);
    if (fetched.response.status === 404) {
      await discard(fetched.response);
      return null;
    }
    await this.expect(fetched, 'get', [200], false);
    return new TextDecoder().decode(await readCapped(fetched, LIST_BODY_BYTES));
  }

  /** Deletes `key`; a key that is not there is fine (S3 answers 204 either way). */
  async delete(key: string): Promise<void> {
    const fetched = await this.send('delete', 'DELETE', key);
    if (fetched.response.status === 404) return discard(fetched.response);
    await this.expect(fetched, 'delete', [200, 204]);
  }

  /** Every key under `prefix`, page by page. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let marker: string | null = null;
    do {
      const page: ListPage = await this.listPage(prefix, marker);
      keys.push(...page.objects.map((o) => o.key));
      marker = page.next;
    } while (marker);
    return keys;
  }

  /**
   * One page of the keys under `prefix` after `marker`, in key order. ListObjects with `marker` (V1), which AWS,
   * R2, MinIO and s3rver all answer: a page ends at a key, and that key starts the next page, so a reconcile can
   * stop anywhere and resume from a plain key. (V2's continuation tokens are opaque, and s3rver makes them with
   * DES, which Node 20's OpenSSL refuses: a truncated V2 listing fails there.)
   */
  async listPage(prefix: string, marker: string | null, maxKeys = 1000): Promise<ListPage> {
    const query = new URLSearchParams({ prefix, 'max-keys': String(Math.min(maxKeys, 1000)), ...(marker ? { marker } : {}) });
    const fetched = await this.send('list', 'GET', '', {}, `?${query}`);
    await this.expect(fetched, 'list', [200], false);
    const body = new TextDecoder().decode(await readCapped(fetched, LIST_BODY_BYTES));
    const result = (listingXml.parse(body) as { ListBucketResult?: Record<string, unknown> }).ListBucketResult;
    if (!result) throw new BucketError('list', 'the bucket answered a listing that is not a ListBucketResult');
    const contents = (result.Contents ?? []) as { Key: string; Size: string; ETag?: string }[];
    const objects = contents.map((c) => ({ key: String(c.Key), size: Number(c.Size), etag: String(c.ETag ?? '').replaceAll('"', '') }));
    const truncated = String(result.IsTruncated) === 'true';
    return { objects, next: truncated && objects.length > 0 ? objects.at(-1)!.key : null };
  }

  private async send(
    step: BucketStep,
    method: 'GET' | 'PUT' | 'DELETE',
    key: string,
    init: { headers?: Record<string, string>; body?: BodyInit; timeoutMs?: number } = {},
    query = '',
  ): Promise<SafeResponse> {
    const objectUrl = s3ObjectUrl({ endpoint: this.target.endpoint, bucket: this.target.bucket, forcePathStyle: this.target.forcePathStyle }, key);
    // A listing is addressed to the bucket itself: `<endpoint>/<bucket>/?prefix=…` (path style).
    const url = `${key === '' ? objectUrl.replace(/\/$/, '') + '/' : objectUrl}${query}`;
    try {
      return await safeFetch(url, {
        method,
        headers: init.headers,
        body: init.body,
        timeoutMs: init.timeoutMs ?? timeoutFor(),
        // The endpoint's port was written by the tenant, as an S3-compatible origin's is.
        policy: policyFor(this.env, [this.target.endpoint]),
        sign: (request) => this.client.sign(request),
        label: 'backup bucket',
      });
    } catch (error) {
      throw new BucketError(step, error instanceof HttpError ? error.message : String(error));
    }
  }

  /** Passes a wanted status; anything else is a BucketError with S3's error code and message. */
  private async expect(fetched: SafeResponse, step: BucketStep, wanted: number[], drain = true): Promise<void> {
    const { response } = fetched;
    if (wanted.includes(response.status)) {
      if (drain) await discard(response);
      return;
    }
    let detail = '';
    try {
      const xml = new TextDecoder().decode(await readCapped(fetched, ERROR_BODY_BYTES));
      const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
      const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1];
      detail = [code, message && unescapeXml(message)].filter(Boolean).join(': ');
    } catch {
      detail = '';
    }
    throw new BucketError(step, `the bucket answered ${response.status}${detail ? ` (${detail})` : ''}`);
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!);
}
