/**
 * Backup lag under a burst: 1 000 small uploads through the upload API of one `wrangler dev`, with backup on to a
 * local s3rver. For each file, the lag is the time from its commit (the `updatedAt` its record carries) to the
 * arrival of that record in the bucket (the mirror writes it last of the file's four objects); the drain time runs
 * from the first upload to the last arrival. The reference, in the same run: the same 4 000 objects PUT straight
 * into the same s3rver from Node, as many at a time, so the ratio shows what the queue, consumer and library add to
 * what the bucket itself costs.
 *
 * s3rver runs in a plain Node child process (under tsx its Koa refuses its generator check).
 *
 * Usage: npm run bench:backup [-- --json]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { startDevTenant } from './dev-tenant';

const UPLOADS = 1_000;
const CONCURRENCY = 10;
const BUCKET = 'bench-backup';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** s3rver behind a front that notes when each write finished: GET /_arrivals → {"/bucket/key": epoch ms}. */
const BUCKET_SERVER = `
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
const s3 = new S3rver({ silent: true, directory: mkdtempSync(join(tmpdir(), 'edgepix-bench-s3-')), configureBuckets: [{ name: '${BUCKET}', configs: [] }] });
await s3.configureBuckets();
const handle = s3.callback();
const arrivals = {};
const server = createServer((req, res) => {
  if (req.url === '/_arrivals') return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(arrivals));
  if (req.method === 'PUT') res.on('finish', () => { if (res.statusCode < 300) arrivals[decodeURIComponent(req.url.split('?')[0])] = Date.now(); });
  handle(req, res);
});
server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
`;

async function startBucket(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BUCKET_SERVER], { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the bucket server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

const arrivalsOf = async (url: string) => (await (await fetch(`${url}/_arrivals`)).json()) as Record<string, number>;

/** Runs `count` jobs `CONCURRENCY` at a time. */
async function pool(count: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let i = next++; i < count; i = next++) await job(i);
  }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Summary {
  p50: number;
  p99: number;
  max: number;
  drainMs: number;
}

function summarise(latencies: number[], drainMs: number): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)!, drainMs };
}

const nameOf = (i: number) => `f${String(i).padStart(4, '0')}.txt`;
const folderOf = (i: number) => `burst/${i % 10}`;
const bodyOf = (i: number) => `file ${i} `.padEnd(64, '.');

/** The same objects the mirror writes for each file, PUT straight into the bucket; latency is each file's last PUT. */
async function reference(url: string): Promise<Summary> {
  const client = new AwsClient({ ...CREDENTIALS, service: 's3', region: 'us-east-1', retries: 0 });
  const put = async (key: string, body: string) => {
    const response = await client.fetch(`${url}/${BUCKET}/reference/${key}`, { method: 'PUT', body, headers: { 'Content-Type': 'text/plain' } });
    if (!response.ok) throw new Error(`reference PUT ${key}: ${response.status}`);
  };
  const latencies: number[] = [];
  const started = Date.now();
  await pool(UPLOADS, async (i) => {
    const begun = Date.now();
    const path = `${folderOf(i)}/${nameOf(i)}`;
    const record = JSON.stringify({ id: String(i), path: `/${path}`, body: bodyOf(i) }, null, 2);
    await put(`versions/${i}/v1`, bodyOf(i));
    await put(`versions/${i}/v1.json`, record);
    await put(`files/${path}`, bodyOf(i));
    await put(`records/${path}.json`, record);
    latencies.push(Date.now() - begun);
  });
  return summarise(latencies, Date.now() - started);
}

async function mirror(bucketUrl: string): Promise<Summary & { uploadMs: number }> {
  const { dev, auth, close } = await startDevTenant('backup');
  try {
    const backup = await fetch(`${dev.url}/v1/accounts/backup`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ endpoint: bucketUrl, bucket: BUCKET, prefix: 'mirror', ...CREDENTIALS, deletes: 'mirror' }),
    });
    if (!backup.ok) throw new Error(`PUT /v1/accounts/backup: ${backup.status} ${await backup.text()}`);

    const started = Date.now();
    await pool(UPLOADS, async (i) => {
      const form = new FormData();
      form.set('file', new Blob([bodyOf(i)], { type: 'text/plain' }), nameOf(i));
      form.set('fileName', nameOf(i));
      form.set('folder', `/${folderOf(i)}`);
      form.set('useUniqueFileName', 'false');
      const response = await fetch(`${dev.url}/api/v1/files/upload`, { method: 'POST', headers: auth, body: form });
      if (!response.ok) throw new Error(`upload ${i}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    });
    const uploadMs = Date.now() - started;

    // Until the status says nothing waits (the mirror's own view), then every record must be there.
    for (const deadline = Date.now() + 600_000; ; ) {
      const status = (await (await fetch(`${dev.url}/v1/accounts/backup/status`, { headers: auth })).json()) as { pending: number };
      if (status.pending === 0) break;
      if (Date.now() > deadline) throw new Error(`backup never drained: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const arrivals = await arrivalsOf(bucketUrl);
    const latencies: number[] = [];
    let last = 0;
    const client = new AwsClient({ ...CREDENTIALS, service: 's3', region: 'us-east-1', retries: 0 });
    for (let i = 0; i < UPLOADS; i++) {
      const key = `/${BUCKET}/mirror/records/${folderOf(i)}/${nameOf(i)}.json`;
      const arrived = arrivals[key];
      if (arrived === undefined) throw new Error(`${key} never arrived`);
      const record = (await (await client.fetch(`${bucketUrl}${key}`)).json()) as { updatedAt: number };
      latencies.push(arrived - record.updatedAt);
      last = Math.max(last, arrived);
    }
    return { ...summarise(latencies, last - started), uploadMs };
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const bucket = await startBucket();
  try {
    const direct = await reference(bucket.url);
    const mirrored = await mirror(bucket.url);
    const rows = [
      { run: `direct PUTs (${UPLOADS} × 4 objects, ${CONCURRENCY} at a time)`, p50Ms: direct.p50, p99Ms: direct.p99, maxMs: direct.max, drainMs: direct.drainMs },
      { run: `backup mirror (${UPLOADS} uploads, ${CONCURRENCY} at a time)`, p50Ms: mirrored.p50, p99Ms: mirrored.p99, maxMs: mirrored.max, drainMs: mirrored.drainMs },
    ];
    const ratio = { p50: mirrored.p50 / direct.p50, p99: mirrored.p99 / direct.p99, drain: mirrored.drainMs / direct.drainMs };
    if (json) {
      console.log(JSON.stringify({ rows, uploadMs: mirrored.uploadMs, ratio }, null, 2));
      return;
    }
    console.table(rows);
    console.log(`uploads took ${mirrored.uploadMs} ms; lag is commit → record in the bucket, direct latency is a file's four PUTs`);
    console.log(`mirror / direct: p50 ${ratio.p50.toFixed(1)}×, p99 ${ratio.p99.toFixed(1)}×, drain ${ratio.drain.toFixed(2)}×`);
  } finally {
    bucket.child.kill();
  }
}

await main();
