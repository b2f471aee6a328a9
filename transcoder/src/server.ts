/**
 * The transcoder service: `POST /jobs` runs one job (src/video/jobs/consumer.ts sends it) and answers when its
 * files are stored; `GET /healthz` answers once it can serve. At most TRANSCODER_CONCURRENCY jobs run at once;
 * beyond that it answers 429 and the queue retries later. Locally a plain Node process beside `wrangler dev`; in
 * production the same program in a Cloudflare Container (transcoder/Dockerfile).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { timingSafeEqual } from 'node:crypto';
import type { TranscodeRequest } from '../../src/video/jobs/consumer';
import { JobError, runJob, type Tools } from './job';
import { s3Sink, workerSink } from './sink';

export interface ServerOptions {
  port: number;
  host: string;
  token?: string;
  concurrency: number;
  tools: Tools;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerOptions {
  const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  return {
    port: number('PORT', 8790),
    host: env.HOST ?? '127.0.0.1',
    token: env.TRANSCODER_TOKEN || undefined,
    concurrency: number('TRANSCODER_CONCURRENCY', Math.max(1, availableParallelism() - 1)),
    tools: {
      ffmpeg: env.FFMPEG ?? 'ffmpeg',
      ffprobe: env.FFPROBE ?? 'ffprobe',
      workDir: env.TRANSCODER_WORK_DIR ?? tmpdir(),
      budget: {
        cpuSeconds: number('TRANSCODER_CPU_SECONDS', 900),
        wallSeconds: number('TRANSCODER_WALL_SECONDS', 1800),
        memoryBytes: number('TRANSCODER_MEMORY_BYTES', 4 * 1024 ** 3),
      },
    },
  };
}

const MAX_JOB_JSON = 64 * 1024;

export function startTranscoder(options: ServerOptions) {
  let running = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => send(res, 500, { message: error instanceof Error ? error.message : String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, { ok: true, running });
    if (req.method !== 'POST' || req.url !== '/jobs') return send(res, 404, { message: 'not found' });
    if (options.token && !sameToken(req.headers.authorization, `Bearer ${options.token}`)) return send(res, 401, { message: 'bad token' });
    if (running >= options.concurrency) return send(res, 429, { message: `busy: ${running} jobs running` });
    const job = parseJob(await readBody(req));
    if (!job) return send(res, 400, { message: 'not a transcoding job' });
    running++;
    try {
      const sink = s3Sink(process.env, job.tenantId, job.id) ?? workerSink(job.sink.url, job.token);
      const result = await runJob(job, sink, options.tools);
      send(res, 200, result);
    } catch (error) {
      const status = error instanceof JobError ? error.status : 500;
      send(res, status, { message: error instanceof Error ? error.message : String(error) });
    } finally {
      running--;
    }
  }

  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
    server.listen(options.port, options.host, () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://${options.host}:${address.port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

function sameToken(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_JOB_JSON) throw new JobError(413, 'job too large');
  }
  return text;
}

function parseJob(text: string): TranscodeRequest | undefined {
  try {
    const job = JSON.parse(text) as TranscodeRequest;
    const ok = typeof job.id === 'string' && typeof job.tenantId === 'string' && typeof job.plan?.transformation === 'string';
    return ok && typeof job.source?.url === 'string' && typeof job.sink?.url === 'string' && typeof job.token === 'string' ? job : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
