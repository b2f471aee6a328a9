/**
 * S3 and S3-compatible buckets (AWS, R2, MinIO, …), read-only with SigV4 (aws4fetch) through the SSRF-safe
 * fetcher. HEAD first for the metadata; the body is fetched with `If-Match` on the etag only when delivery needs
 * it. `x-amz-meta-isprivatefile: true` marks a file private.
 *
 * Addressing: path style `<endpoint>/<bucket>/<key>` when `s3ForcePathStyle` is set (or the bucket name has dots
 * or capitals, which cannot be a TLS host name), else virtual-host style `<scheme>://<bucket>.<endpoint host>/<key>`.
 * The `S3` type uses AWS: `https://s3.amazonaws.com`, signing for us-east-1 first; when AWS answers that the bucket
 * lives elsewhere (`x-amz-bucket-region` on a 301/400), the request is signed again for that region's endpoint,
 * and the region is remembered for the isolate's lifetime.
 *
 * A 403 to a HEAD is ambiguous in S3 (a missing key reads as 403 when the credentials may not list the bucket; a bad
 * key is also 403), so it is followed by a GET whose error code tells them apart: AccessDenied / NoSuchKey → not
 * here, anything else (SignatureDoesNotMatch, InvalidAccessKeyId, …) → 502 naming the code.
 */
import { AwsClient } from 'aws4fetch';
import { HttpError } from '../http/errors';
import { discard, originUnreachable, readCapped, type SafeResponse } from '../security/safe-fetch';
import { encodePath } from './http';
import { bareEtag, describedByHead, fetchFromOrigin, labelOf, type RemoteOptions } from './remote';
import type { Original, Origin } from './types';

export const AWS_S3_ENDPOINT = 'https://s3.amazonaws.com';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3Location {
  /** `https://s3.amazonaws.com`, `https://<account>.r2.cloudflarestorage.com`, `http://minio.example:9000`, … */
  endpoint: string;
  bucket: string;
  forcePathStyle: boolean;
}

export interface S3OriginOptions extends S3Location, RemoteOptions {
  /** Key prefix inside the bucket, without leading or trailing slash ('' for none). */
  prefix: string;
  /** Signing region; derived from the endpoint when absent. */
  region?: string;
  /** The AWS `S3` type: follow `x-amz-bucket-region` to the bucket's regional endpoint. */
  discoverRegion?: boolean;
  /** Decrypts the stored credentials; called only when this origin is actually consulted. */
  credentials: () => Promise<S3Credentials>;
}

/** Bucket names that can be a host label under TLS: lower case, digits, hyphens (no dots). */
const VHOST_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** The URL of `key` (already prefixed) in the bucket. */
export function s3ObjectUrl(location: S3Location, key: string): string {
  const endpoint = new URL(location.endpoint);
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  const encodedKey = encodePath(key);
  if (location.forcePathStyle || !VHOST_BUCKET.test(location.bucket)) {
    return `${endpoint.protocol}//${endpoint.host}${basePath}/${encodeURIComponent(location.bucket)}/${encodedKey}`;
  }
  return `${endpoint.protocol}//${location.bucket}.${endpoint.host}${basePath}/${encodedKey}`;
}

/** The SigV4 region of an endpoint: AWS regional hosts name it, R2 uses `auto`, anything else `us-east-1`. */
export function regionOf(endpoint: string): string {
  const host = new URL(endpoint).hostname;
  const aws = /(?:^|\.)s3[.-](?:dualstack\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(host);
  if (aws) return aws[1]!;
  if (host.endsWith('.r2.cloudflarestorage.com')) return 'auto';
  return 'us-east-1';
}

/** Regions learnt from AWS, per bucket, for this isolate. */
const learntRegions = new Map<string, string>();

export class S3Origin implements Origin {
  readonly name: string;
  private readonly label: string;
  private client?: Promise<AwsClient>;

  constructor(private readonly options: S3OriginOptions) {
    this.name = `s3:${options.id}`;
    this.label = labelOf(options);
  }

  private location(): { endpoint: string; region: string } {
    const learnt = this.options.discoverRegion ? learntRegions.get(this.options.bucket) : undefined;
    if (learnt) return { endpoint: `https://s3.${learnt}.amazonaws.com`, region: learnt };
    return { endpoint: this.options.endpoint, region: this.options.region ?? regionOf(this.options.endpoint) };
  }

  private async signer(): Promise<(request: Request, region: string) => Promise<Request>> {
    this.client ??= this.options.credentials().then(
      (c) => new AwsClient({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, service: 's3', retries: 0 }),
    );
    const client = await this.client;
    return (request, region) => client.sign(request, { aws: { service: 's3', region } });
  }

  private async send(method: 'GET' | 'HEAD', key: string, headers: Record<string, string> = {}, retried = false): Promise<SafeResponse> {
    const { endpoint, region } = this.location();
    const sign = await this.signer();
    const url = s3ObjectUrl({ ...this.options, endpoint }, key);
    const fetched = await fetchFromOrigin(this.options, url, { method, headers, sign: (request) => sign(request, region), returnRedirects: true });
    const status = fetched.response.status;
    const bucketRegion = fetched.response.headers.get('x-amz-bucket-region');
    if (
      this.options.discoverRegion &&
      !retried &&
      bucketRegion &&
      bucketRegion !== region &&
      /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(bucketRegion) &&
      (status === 301 || status === 307 || status === 400 || status === 403)
    ) {
      await discard(fetched.response);
      learntRegions.set(this.options.bucket, bucketRegion);
      return this.send(method, key, headers, true);
    }
    if (status >= 300 && status < 400 && status !== 304) {
      await discard(fetched.response);
      throw originUnreachable(this.label, `the bucket answered ${status} (check the endpoint and region)`);
    }
    return fetched;
  }

  private keyOf(path: string): string {
    return this.options.prefix ? `${this.options.prefix}/${path}` : path;
  }

  async get(path: string): Promise<Original | null> {
    const key = this.keyOf(path);
    const head = await this.send('HEAD', key);
    const status = head.response.status;
    await discard(head.response);
    if (status === 404) return null;
    if (status === 403) {
      const code = await this.errorCode(key);
      if (code === 'AccessDenied' || code === 'NoSuchKey' || code === undefined) return null;
      throw originUnreachable(this.label, `the bucket refused the credentials (${code})`);
    }
    if (status !== 200) throw originUnreachable(this.label, `the bucket answered ${status}`);
    const headers = head.response.headers;
    if (!headers.get('ETag')) throw originUnreachable(this.label, 'the bucket sent no ETag');
    const etag = bareEtag(headers.get('ETag'));
    const open = async (): Promise<SafeResponse> => {
      const got = await this.send('GET', key, { 'If-Match': `"${etag}"` });
      const now = bareEtag(got.response.headers.get('ETag'));
      if (got.response.status === 412 || got.response.status === 404 || (got.response.status === 200 && now && now !== etag)) {
        await discard(got.response);
        throw new HttpError(503, 'The file changed in the bucket while it was being read', 'Retry the request.', {
          'Retry-After': '1',
        });
      }
      if (got.response.status !== 200) {
        await discard(got.response);
        throw originUnreachable(this.label, `the bucket answered ${got.response.status} to GET`);
      }
      return got;
    };
    const isPrivate = (headers.get('x-amz-meta-isprivatefile') ?? '').trim().toLowerCase() === 'true';
    return describedByHead(this.options, path, etag, headers, isPrivate, open);
  }

  /** The S3 error code a GET of `key` answers with (the body of a HEAD error is empty). */
  private async errorCode(key: string): Promise<string | undefined> {
    const got = await this.send('GET', key, { Range: 'bytes=0-0' });
    if (got.response.status < 400) {
      await discard(got.response);
      return undefined;
    }
    let text = '';
    try {
      text = new TextDecoder().decode(await readCapped(got, 16 * 1024));
    } catch {
      return undefined;
    }
    return /<Code>([A-Za-z]+)<\/Code>/.exec(text)?.[1];
  }
}
