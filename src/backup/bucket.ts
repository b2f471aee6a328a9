/**
 * The tenant's backup bucket: PUT, GET, DELETE and a listing, signed with SigV4 (aws4fetch) and sent through
 * the SSRF-guarded fetch, as S3 origins are read. A refusal is a BucketError naming the step and S3's own
 * error code (`InvalidAccessKeyId`, `NoSuchBucket`, `SignatureDoesNotMatch`, …), which the status shows.
 */
import { AwsClient } from 'aws4fetch';
import { HttpError } from '../http/errors';
import { s3ObjectUrl, type S3Credentials } from '../origins/s3';
import { discard, readCapped, safeFetch, type SafeResponse } from '../security/safe-fetch';
import { sha256Hex } from '../security/crypto';
import { policyFor } from '../security/ssrf';
import type { StoredBackup } from './settings';

export type BucketStep = 'put' | 'get' | 'delete' | 'list';

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

  /** Every key under `prefix` (ListObjectsV2, page by page). */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ 'list-type': '2', prefix, ...(token ? { 'continuation-token': token } : {}) });
      const fetched = await this.send('list', 'GET', '', {}, `?${query}`);
      await this.expect(fetched, 'list', [200], false);
      const xml = new TextDecoder().decode(await readCapped(fetched, LIST_BODY_BYTES));
      for (const match of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(unescapeXml(match[1]!));
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? unescapeXml(/<NextContinuationToken>([^<]*)</.exec(xml)?.[1] ?? '') : undefined;
    } while (token);
    return keys;
  }

  private async send(
    step: BucketStep,
    method: 'GET' | 'PUT' | 'DELETE',
    key: string,
    init: { headers?: Record<string, string>; body?: BodyInit; timeoutMs?: number } = {},
    query = '',
  ): Promise<SafeResponse> {
    const objectUrl = s3ObjectUrl({ endpoint: this.target.endpoint, bucket: this.target.bucket, forcePathStyle: this.target.forcePathStyle }, key);
    // A listing is addressed to the bucket itself: `<endpoint>/<bucket>/?list-type=2…` (path style).
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
