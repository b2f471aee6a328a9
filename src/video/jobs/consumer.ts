/**
 * The queue's push consumer, in front of the transcoder: one message is one attempt, forwarded over HTTP
 * (production: the container; locally: the Node process). The transcoder answers when the files are written;
 * a refusal of the input (4xx) ends the job, anything else is retried with exponential backoff, and after the
 * last retry the queue moves the message to the dead-letter queue, whose consumer records the failure.
 */
import type { Env } from '../../env';
import { jobsOf } from './client';
import { CONTAINER_POOL } from './container';
import { jobFile, SOURCE_NAME } from './storage';
import { jobToken } from './token';
import type { JobMessage, JobRecord } from './types';
import { mediaOf } from '../../storage/media';

/** What the transcoder answers for a finished job. */
export interface TranscodeResult {
  outputs: { name: string; size: number }[];
  input: { width: number; height: number; duration: number };
}

/** The job as the transcoder receives it (transcoder/src/server.ts). */
export interface TranscodeRequest {
  id: string;
  tenantId: string;
  plan: JobMessage['plan'];
  limits: JobRecord['limits'];
  source: { url: string };
  sink: { url: string };
  /** Bearer token for both URLs. */
  token: string;
}

const MAX_RETRY_DELAY_SECONDS = 600;

export async function consumeJobs(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  const deadLetters = batch.queue.endsWith('-dlq');
  for (const message of batch.messages) {
    if (deadLetters) await giveUp(env, message);
    else await attempt(env, message);
  }
}

async function attempt(env: Env, message: Message<JobMessage>): Promise<void> {
  const { id, tenantId } = message.body;
  const jobs = jobsOf(env, tenantId);
  const job = await jobs.start(id, message.attempts);
  if (!job) return message.ack();
  const outcome = await transcode(env, job);
  if (outcome.ok) {
    await jobs.succeed(id, outcome.result.outputs, outcome.result.input);
    await mediaOf(env, tenantId).delete(jobFile(tenantId, id, SOURCE_NAME));
    return message.ack();
  }
  if (outcome.final) {
    await jobs.fail(id, outcome.error);
    await mediaOf(env, tenantId).delete(jobFile(tenantId, id, SOURCE_NAME));
    return message.ack();
  }
  await jobs.retrying(id, outcome.error);
  message.retry({ delaySeconds: retryDelay(env, message.attempts) });
}

/** Exponential backoff: base, 2×base, 4×base… seconds, at most ten minutes. */
export function retryDelay(env: Pick<Env, 'VIDEO_RETRY_BASE_SECONDS'>, attempts: number): number {
  const base = Number(env.VIDEO_RETRY_BASE_SECONDS ?? '10');
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.round(base * 2 ** Math.max(0, attempts - 1)));
}

async function giveUp(env: Env, message: Message<JobMessage>): Promise<void> {
  const { id, tenantId } = message.body;
  const jobs = jobsOf(env, tenantId);
  const last = (await jobs.get(id))?.error;
  await jobs.fail(id, `gave up after the last retry${last ? `: ${last}` : ''}`);
  await mediaOf(env, tenantId).delete(jobFile(tenantId, id, SOURCE_NAME));
  message.ack();
}

type Outcome = { ok: true; result: TranscodeResult } | { ok: false; final: boolean; error: string };

async function transcode(env: Env, job: JobRecord): Promise<Outcome> {
  const base = `${job.callbackBase}/v1/transcoder/jobs/${job.tenantId}/${job.id}`;
  const request: TranscodeRequest = {
    id: job.id,
    tenantId: job.tenantId,
    plan: job.plan,
    limits: job.limits,
    source: { url: `${base}/source` },
    sink: { url: `${base}/files/` },
    token: await jobToken(env.MASTER_KEY, job.tenantId, job.id),
  };
  let response: Response;
  try {
    const init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(env.TRANSCODER_TOKEN ? { Authorization: `Bearer ${env.TRANSCODER_TOKEN}` } : {}) },
      body: JSON.stringify(request),
    };
    response = env.TRANSCODER_URL ? await fetch(`${env.TRANSCODER_URL}/jobs`, init) : await containerFor(env, job.id).fetch('http://transcoder/jobs', init);
  } catch (error) {
    return { ok: false, final: false, error: `the transcoder could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
  const text = await response.text();
  if (response.ok) return { ok: true, result: JSON.parse(text) as TranscodeResult };
  const reason = messageOf(text) ?? `the transcoder answered ${response.status}`;
  // 4xx: the input itself was refused (too large, too long, not a video); trying again cannot help. 408/429 can.
  const final = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
  return { ok: false, final, error: reason };
}

/** Production: one of the container instances, chosen by the job id (src/video/jobs/container.ts). */
function containerFor(env: Env, id: string) {
  if (!env.TRANSCODER) throw new Error('neither TRANSCODER_URL nor the TRANSCODER container binding is configured');
  return env.TRANSCODER.get(env.TRANSCODER.idFromName(`transcoder-${parseInt(id.slice(0, 8), 16) % CONTAINER_POOL}`));
}

function messageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body.message === 'string' ? body.message.slice(0, 500) : undefined;
  } catch {
    return text.slice(0, 200) || undefined;
  }
}
