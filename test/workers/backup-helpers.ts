/**
 * Backup tests: the tenant's bucket is s3rver (test/backup-setup.ts), read back as its owner would, with a
 * switch that takes it down for one test's prefix. Each test mirrors under a prefix of its own.
 */
import { AwsClient } from 'aws4fetch';
import { expect, inject } from 'vitest';
import { callApi, type TenantWithKey } from './api-helpers';
import { unique } from './origin-servers';

export const bucket = inject('backupBucket');

const owner = new AwsClient({ accessKeyId: bucket.accessKey, secretAccessKey: bucket.secretKey, service: 's3', region: 'us-east-1', retries: 0 });
const objectUrl = (key: string) => `${bucket.url}/${bucket.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

export type BackupBody = {
  endpoint?: string;
  bucket?: string;
  prefix?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  deletes?: 'mirror' | 'keep';
  region?: string;
};

/** A body that points at the test bucket under a fresh prefix. */
export function backupBody(overrides: BackupBody = {}): BackupBody & { prefix: string } {
  return {
    endpoint: bucket.url,
    bucket: bucket.bucket,
    prefix: unique('bk'),
    accessKeyId: bucket.accessKey,
    secretAccessKey: bucket.secretKey,
    deletes: 'mirror',
    ...overrides,
  };
}

export async function putBackup(t: TenantWithKey, body: BackupBody): Promise<Record<string, unknown>> {
  const response = await callApi(t.auth, 'PUT', '/v1/accounts/backup', body);
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

export interface Status {
  enabled: boolean;
  lastMirroredAt: string | null;
  lagSeconds: number;
  pending: number;
  failingSince: string | null;
  failures: { at: string; seq: number | null; fileId: string | null; op: string | null; step: string; reason: string }[];
  backfill: { status: string; filesTotal: number; filesQueued: number; versionsQueued: number } | null;
}

export async function backupStatus(t: TenantWithKey): Promise<Status> {
  const response = await callApi(t.auth, 'GET', '/v1/accounts/backup/status');
  expect(response.status).toBe(200);
  return response.json();
}

/** Polls the status until `done` holds (the real queue consumer runs in the pool meanwhile). */
export async function waitForStatus(t: TenantWithKey, done: (s: Status) => boolean, timeoutMs = 25_000): Promise<Status> {
  const until = Date.now() + timeoutMs;
  let last = await backupStatus(t);
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`backup status never got there: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await backupStatus(t);
  }
  return last;
}

/** Waits until nothing is left to mirror. */
export const mirrored = (t: TenantWithKey, timeoutMs?: number) => waitForStatus(t, (s) => s.pending === 0, timeoutMs);

/** Every key under `prefix/`, relative to it, sorted. */
export async function keysUnder(prefix: string): Promise<string[]> {
  const response = await owner.fetch(`${bucket.url}/${bucket.bucket}/?list-type=2&prefix=${encodeURIComponent(`${prefix}/`)}`);
  const xml = await response.text();
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!.replaceAll('&amp;', '&').slice(prefix.length + 1)).sort();
}

export async function objectBytes(key: string): Promise<Uint8Array | null> {
  const response = await owner.fetch(objectUrl(key));
  if (response.status === 404) return null;
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

export async function objectJson<T = Record<string, unknown>>(key: string): Promise<T> {
  const bytes = await objectBytes(key);
  expect(bytes, `no object ${key}`).not.toBeNull();
  return JSON.parse(new TextDecoder().decode(bytes!)) as T;
}

/** Takes the bucket down (connections dropped) for requests naming `prefix`, or back up. */
export async function bucketDown(prefix: string, isDown: boolean): Promise<void> {
  const response = await fetch(`${bucket.url}/_switch/${isDown ? 'down' : 'up'}?prefix=${encodeURIComponent(prefix)}`, { method: 'POST' });
  expect(response.status).toBe(204);
}

/** The writes the bucket accepted for `prefix`, in order: `PUT <key>` / `DELETE <key>`, keys relative to the prefix. */
export async function writesUnder(prefix: string): Promise<string[]> {
  const log = (await (await fetch(`${bucket.url}/_switch/log?prefix=${encodeURIComponent(prefix)}`)).json()) as string[];
  const root = `/${bucket.bucket}/${prefix}/`;
  return log.map((entry) => entry.replace(root, ''));
}

export const sha256 = async (bytes: Uint8Array) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
