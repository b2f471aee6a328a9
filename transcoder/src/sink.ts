/**
 * Where a job's files go. By default they are PUT to the Worker's per-job URL (the token the job carries is
 * good for that job only), so the transcoder holds no storage credentials. With R2's S3 API configured
 * (R2_S3_ENDPOINT, R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_BUCKET) it writes to the bucket itself, under the
 * same keys the Worker would use.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AwsClient } from 'aws4fetch';
import { jobFile } from '../../src/video/jobs/storage';

export interface Sink {
  put(name: string, file: string): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  webm: 'video/webm',
  m3u8: 'application/vnd.apple.mpegurl',
  mpd: 'application/dash+xml',
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
};

const contentType = (name: string) => CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';

async function upload(fetcher: (url: string, init: RequestInit) => Promise<Response>, url: string, file: string, headers: Record<string, string>) {
  const { size } = await stat(file);
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream;
  const response = await fetcher(url, {
    method: 'PUT',
    body,
    headers: { ...headers, 'Content-Length': String(size), 'Content-Type': contentType(url) },
    duplex: 'half',
  } as RequestInit);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`storing ${url} answered ${response.status}`);
}

export function workerSink(baseUrl: string, token: string): Sink {
  return { put: (name, file) => upload(fetch, `${baseUrl}${name}`, file, { Authorization: `Bearer ${token}` }) };
}

export function s3Sink(env: NodeJS.ProcessEnv, tenantId: string, jobId: string): Sink | undefined {
  const { R2_S3_ENDPOINT: endpoint, R2_ACCESS_KEY_ID: accessKeyId, R2_SECRET_ACCESS_KEY: secretAccessKey, R2_BUCKET: bucket } = env;
  if (!endpoint || !accessKeyId || !secretAccessKey || !bucket) return undefined;
  const client = new AwsClient({ accessKeyId, secretAccessKey, service: 's3', region: 'auto' });
  return {
    put: (name, file) => upload((url, init) => client.fetch(url, init), `${endpoint.replace(/\/$/, '')}/${bucket}/${jobFile(tenantId, jobId, name)}`, file, {}),
  };
}
