/**
 * The local servers of test/global-setup.ts as the workerd tests see them, and the owner-side helpers that put
 * files into them: SigV4 PUTs into s3rver, plain PUTs into the web-folder server.
 */
import { AwsClient } from 'aws4fetch';
import { expect, inject } from 'vitest';
import { HttpError } from '../../src/http/errors';
import { encodePath } from '../../src/origins/http';
import { s3ObjectUrl, type S3Credentials } from '../../src/origins/s3';
import { policyFor } from '../../src/security/ssrf';
import type {} from '../servers/provided';

export const servers = inject('originServers');

export const s3Credentials: S3Credentials = { accessKeyId: servers.s3AccessKey, secretAccessKey: servers.s3SecretKey };

/** The policy the tests' workerd has: ALLOW_PRIVATE_ORIGINS is "true". */
export const devPolicy = (...configured: string[]) => policyFor({ ALLOW_PRIVATE_ORIGINS: 'true' }, configured);
/** The production policy: private addresses refused. */
export const prodPolicy = (...configured: string[]) => policyFor({ ALLOW_PRIVATE_ORIGINS: 'false' }, configured);

const owner = new AwsClient({ ...s3Credentials, service: 's3', region: 'us-east-1', retries: 0 });

let counter = 0;
/** A name no other test uses: storage outlives a test, and test files share the servers. */
export const unique = (label: string) => `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}-${crypto.randomUUID().slice(0, 8)}`;

export interface PutOptions {
  contentType?: string;
  isPrivate?: boolean;
  /** Web folder only: the Cache-Control it answers with. */
  cacheControl?: string;
  /** Web folder only: answer 503 to every request for the file from now on. */
  failing?: boolean;
}

/** Stores an object in the s3rver bucket, as the bucket's owner would (key includes any prefix). */
export async function putS3(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
  const url = s3ObjectUrl({ endpoint: servers.s3, bucket: servers.s3Bucket, forcePathStyle: true }, key);
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/octet-stream' };
  if (options.isPrivate) headers['x-amz-meta-isprivatefile'] = 'true';
  const response = await owner.fetch(url, { method: 'PUT', body: bytes, headers });
  if (!response.ok) throw new Error(`s3rver PUT ${key}: ${response.status} ${await response.text()}`);
}

/** Stores a file in the web-folder server under /files/<path>. */
export async function putWeb(path: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/octet-stream' };
  if (options.isPrivate) headers['X-Test-Private'] = 'true';
  if (options.cacheControl) headers['X-Test-Cache-Control'] = options.cacheControl;
  if (options.failing) headers['X-Test-Fail'] = 'true';
  const response = await fetch(`${servers.webFolder}/files/${encodePath(path)}`, { method: 'PUT', body: bytes, headers });
  if (response.status !== 201) throw new Error(`web PUT ${path}: ${response.status}`);
}

/** The requests the web-folder server saw under /files/<namespace>/. */
export async function webLog(namespace: string): Promise<string[]> {
  return (await (await fetch(`${servers.webFolder}/_log/${namespace}`)).json()) as string[];
}

/** `/redirect-to/<target>/` on the web-folder server: a base URL whose every file redirects to `target`. */
export function redirectingBase(target: string): string {
  const b64 = btoa(target).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  return `${servers.webFolder}/redirect-to/${b64}/`;
}

/** The HttpError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error('expected a rejection');
}
