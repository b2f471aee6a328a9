/**
 * Reading the tenant's own backup bucket: listing pages and whole small objects (sidecars), signed with SigV4
 * (aws4fetch) and sent through the SSRF-safe fetcher, like every request to a server a tenant configured.
 * Keys here are full keys, the target's prefix included.
 *
 * Listing uses ListObjects with `marker` (V1), which AWS, R2, MinIO and s3rver all answer: a page ends at a key,
 * and that key is the cursor of the next page, so a reconcile run can stop anywhere and resume from a plain key.
 * (ListObjectsV2's continuation tokens are opaque, and s3rver makes them with DES, which Node 20 refuses.)
 */
import { AwsClient } from 'aws4fetch';
import { XMLParser } from 'fast-xml-parser';
import { HttpError } from '../../http/errors';
import { s3ObjectUrl, type S3Credentials, type S3Location } from '../../origins/s3';
import { discard, type Fetcher, readCapped, safeFetch, type SafeResponse } from '../../security/safe-fetch';
import type { OutboundPolicy } from '../../security/ssrf';

export interface BucketReader extends S3Location {
  region: string;
  credentials: S3Credentials;
  policy: OutboundPolicy;
  timeoutMs?: number;
  /** The network; tests replace it. */
  fetcher?: Fetcher;
}

export interface ListedObject {
  key: string;
  size: number;
  /** Without quotes. */
  etag: string;
}

export interface ListPage {
  objects: ListedObject[];
  /** With a delimiter: the common prefixes ("sub-folders"), each ending with the delimiter. */
  prefixes: string[];
  /** The marker of the next page (the last key or prefix of this one), or null after the last page. */
  next: string | null;
}

export interface ListOptions {
  prefix: string;
  delimiter?: string;
  /** List the keys after this one. */
  marker?: string | null;
  /** At most 1000 (S3's own cap). */
  maxKeys?: number;
}

/** Listings are small XML documents; keys stay strings even when they look like numbers. */
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Contents' || name === 'CommonPrefixes' });

const labelOf = (reader: BucketReader) => `backup bucket "${reader.bucket}"`;

/** 502 naming what the bucket said, so status and alerts show a reason a tenant can act on. */
export function bucketFailure(reader: BucketReader, status: number, code: string | undefined): HttpError {
  return new HttpError(
    502,
    `The ${labelOf(reader)} answered ${status}${code ? ` (${code})` : ''}`,
    'Check the backup endpoint, bucket, region and credentials (they need s3:ListBucket and s3:GetObject for reconciling).',
  );
}

async function send(reader: BucketReader, url: string): Promise<SafeResponse> {
  const client = new AwsClient({ ...reader.credentials, service: 's3', region: reader.region, retries: 0 });
  return safeFetch(url, {
    policy: reader.policy,
    timeoutMs: reader.timeoutMs,
    label: labelOf(reader),
    fetcher: reader.fetcher,
    sign: (request) => client.sign(request, { aws: { service: 's3', region: reader.region } }),
  });
}

async function errorCode(fetched: SafeResponse): Promise<string | undefined> {
  try {
    return /<Code>([A-Za-z]+)<\/Code>/.exec(new TextDecoder().decode(await readCapped(fetched, 16 * 1024)))?.[1];
  } catch {
    return undefined;
  }
}

/** One page of the keys under `prefix`, in key order. */
export async function listBucket(reader: BucketReader, options: ListOptions): Promise<ListPage> {
  const url = new URL(s3ObjectUrl(reader, ''));
  url.searchParams.set('prefix', options.prefix);
  url.searchParams.set('max-keys', String(Math.min(options.maxKeys ?? 1000, 1000)));
  if (options.delimiter) url.searchParams.set('delimiter', options.delimiter);
  if (options.marker) url.searchParams.set('marker', options.marker);
  const fetched = await send(reader, url.href);
  if (fetched.response.status !== 200) throw bucketFailure(reader, fetched.response.status, await errorCode(fetched));
  // A listing of 1000 keys of up to 1 KiB each, with its XML around them.
  const body = new TextDecoder().decode(await readCapped(fetched, 4 * 1024 * 1024));
  const result = (xml.parse(body) as { ListBucketResult?: Record<string, unknown> }).ListBucketResult;
  if (!result) throw bucketFailure(reader, 200, 'not a ListBucketResult');
  const contents = (result.Contents ?? []) as { Key: string; Size: string; ETag?: string }[];
  const prefixes = (result.CommonPrefixes ?? []) as { Prefix: string }[];
  const objects = contents.map((c) => ({ key: String(c.Key), size: Number(c.Size), etag: String(c.ETag ?? '').replaceAll('"', '') }));
  const folders = prefixes.map((p) => String(p.Prefix));
  // NextMarker comes only with a delimiter; without one the last key is the marker.
  const last = [...objects.map((o) => o.key), ...folders].sort().at(-1) ?? null;
  const truncated = String(result.IsTruncated) === 'true';
  return { objects, prefixes: folders, next: truncated ? (result.NextMarker ? String(result.NextMarker) : last) : null };
}

/** The bytes of a small object (a sidecar), or null when it is not there; larger than `maxBytes` is a 413. */
export async function readObject(reader: BucketReader, key: string, maxBytes: number): Promise<Uint8Array | null> {
  const fetched = await send(reader, s3ObjectUrl(reader, key));
  const status = fetched.response.status;
  if (status === 404) {
    await discard(fetched.response);
    return null;
  }
  if (status !== 200) throw bucketFailure(reader, status, await errorCode(fetched));
  return readCapped(fetched, maxBytes);
}
