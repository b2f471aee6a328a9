/**
 * Video transcoding jobs in the Worker: dedupe by variant key, ImageKit's 202/302 semantics, serving the output
 * from R2 with Range, the push consumer's acks, retries and dead letters, and the job status API. The
 * transcoder is the stand-in of fake-transcoder.ts; the real queue runs the consumer in the pool.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import { libraryOf } from '../../../src/library/client';
import { parseTransformation } from '../../../src/transform/parse';
import { planVideoJob } from '../../../src/video/ffmpeg-args';
import { jobsOf } from '../../../src/video/jobs/client';
import { retryDelay } from '../../../src/video/jobs/consumer';
import { requestVideoJob } from '../../../src/video/jobs/create';
import { jobFile, SOURCE_NAME, videoJobKey } from '../../../src/video/jobs/storage';
import type { JobMessage, JobRecord, JobSeed } from '../../../src/video/jobs/types';
import { callApi, basicAuth, newTenantWithKey } from '../api-helpers';
import { get, json, newTenant, ORIGIN, putOriginal } from '../helpers';
import { fakeTranscoder, OUTPUT_VIDEO, type FakeTranscoder } from './fake-transcoder';

const CLIP = new Uint8Array(4096).map((_, i) => (i * 7) % 251);
let transcoder: FakeTranscoder | undefined;
const queueHandler = worker.queue as unknown as (batch: MessageBatch<JobMessage>, env: unknown, ctx: ExecutionContext) => Promise<void>;
afterEach(() => transcoder?.restore());

async function tenantWithClip(): Promise<string> {
  const tenant = await newTenant();
  await putOriginal(tenant, 'v/clip.mp4', CLIP, 'video/mp4');
  return tenant;
}

/** Waits until the tenant's only job (or the job `id`) reaches `status`. */
async function jobReaching(tenant: string, status: JobRecord['status'], id?: string): Promise<JobRecord> {
  for (let i = 0; i < 200; i++) {
    const jobs = id ? [await jobsOf(env, tenant).get(id)] : await jobsOf(env, tenant).list(null, 10);
    const job = jobs.find((j) => j?.status === status);
    if (job) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no job of ${tenant} reached ${status}: ${JSON.stringify(await jobsOf(env, tenant).list(null, 10))}`);
}

describe('a video transform', () => {
  it('answers 302 to the original while the job runs, then the output from R2 with ranges', async () => {
    transcoder = fakeTranscoder('hold');
    const tenant = await tenantWithClip();
    const first = await get(`/${tenant}/v/clip.mp4?tr=w-300,h-200`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('Location')).toBe(`${ORIGIN}/${tenant}/v/clip.mp4`);
    expect(first.headers.get('Cache-Control')).toBe('no-store');
    const id = first.headers.get('X-Edgepix-Job')!;
    transcoder.release();
    const job = await jobReaching(tenant, 'ready', id);
    expect(job.outputs).toEqual([{ name: 'video.mp4', size: OUTPUT_VIDEO.length }]);
    expect(transcoder.sourcesRead).toEqual([CLIP.length]);
    // The source copy is gone once the job is done.
    expect(await env.MEDIA.head(jobFile(tenant, id, SOURCE_NAME))).toBeNull();

    const whole = await get(`/${tenant}/tr:h-200,w-300/v/clip.mp4`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('Content-Type')).toBe('video/mp4');
    expect(whole.headers.get('ETag')).toBe(`"${id}"`);
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(OUTPUT_VIDEO);
    const part = await get(`/${tenant}/v/clip.mp4?tr=w-300,h-200`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('Content-Range')).toBe(`bytes 10-19/${OUTPUT_VIDEO.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(OUTPUT_VIDEO.slice(10, 20));
    expect(transcoder.calls).toHaveLength(1);
  });

  it('makes one job of 50 identical requests at once', async () => {
    transcoder = fakeTranscoder('hold');
    const tenant = await tenantWithClip();
    // Equivalent spellings share the canonical variant key.
    const urls = ['tr:w-320,vc-vp9/v/clip.mp4', 'v/clip.mp4?tr=vc-vp9,w-320', 'tr:w-320/v/clip.mp4?tr=vc-vp9'];
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => get(`/${tenant}/${urls[i % 3]}`, { redirect: 'manual' })));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(302));
    expect(new Set(answers.map((r) => r.headers.get('X-Edgepix-Job'))).size).toBe(1);
    transcoder.release();
    await jobReaching(tenant, 'ready');
    expect(transcoder.calls).toHaveLength(1);
    expect(await jobsOf(env, tenant).list(null, 100)).toHaveLength(1);
    expect(transcoder.sourcesRead).toEqual([CLIP.length]);
  });

  it('refuses a video over the tenant cap with a 413 before queueing', async () => {
    transcoder = fakeTranscoder('ok');
    const tenant = await newTenant({ limits: { maxVideoInputBytes: 1024 } });
    await putOriginal(tenant, 'big.mp4', CLIP, 'video/mp4');
    const res = await get(`/${tenant}/big.mp4?tr=w-100`);
    expect(res.status).toBe(413);
    expect((await json(res)).message).toMatch(/at most 1024 bytes/);
    expect(transcoder.calls).toHaveLength(0);
  });

  it('gives an image a 400 naming the video parameter, and an unsupported video operation a 422', async () => {
    const tenant = await tenantWithClip();
    const image = await get(`/${tenant}/photo.jpg?tr=vc-h264`);
    expect(image.status).toBe(400);
    expect((await json(image)).message).toMatch(/"vc" applies to videos/);
    const corners = await get(`/${tenant}/v/clip.mp4?tr=r-10`);
    expect(corners.status).toBe(422);
    expect((await json(corners)).message).toMatch(/Rounded corners/);
  });
});

describe('a streaming manifest', () => {
  it('answers 202 with an empty body first, then the manifest whose every part is served', async () => {
    transcoder = fakeTranscoder('hold');
    const tenant = await tenantWithClip();
    const first = await get(`/${tenant}/v/clip.mp4/ik-master.m3u8?tr=sr-240_360`);
    expect(first.status).toBe(202);
    expect(await first.text()).toBe('');
    expect((await get(`/${tenant}/v/clip.mp4/ik-master.m3u8?tr=sr-360_240`)).status).toBe(202);
    transcoder.release();
    const job = await jobReaching(tenant, 'ready');
    const master = await get(`/${tenant}/v/clip.mp4/ik-master.m3u8?tr=sr-240_360`);
    expect(master.status).toBe(200);
    expect(master.headers.get('Content-Type')).toBe('application/vnd.apple.mpegurl');
    const text = new TextDecoder().decode(await master.arrayBuffer());
    const base = new URL(`${ORIGIN}/${tenant}/v/clip.mp4/ik-master.m3u8?tr=sr-240_360`);
    const playlists = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(playlists).toEqual([`ik-stream/${job.id}/stream_0.m3u8`]);
    for (const playlist of playlists) {
      const url = new URL(playlist, base);
      const media = await get(url.pathname);
      expect(media.status).toBe(200);
      const segments = new TextDecoder().decode(await media.arrayBuffer()).split('\n').filter((l) => l && !l.startsWith('#'));
      expect(segments.length).toBeGreaterThan(0);
      for (const segment of segments) {
        const res = await get(new URL(segment, url).pathname);
        expect(res.status).toBe(200);
        expect(res.headers.get('Content-Type')).toBe('video/mp2t');
        expect((await res.arrayBuffer()).byteLength).toBe(188 * 4);
      }
    }
    expect(transcoder.calls).toHaveLength(1);
  });

  it('points a DASH manifest at its parts', async () => {
    transcoder = fakeTranscoder('ok');
    const tenant = await tenantWithClip();
    expect((await get(`/${tenant}/v/clip.mp4/ik-master.mpd?tr=sr-240`)).status).toBe(202);
    const job = await jobReaching(tenant, 'ready');
    const mpd = new TextDecoder().decode(await (await get(`/${tenant}/v/clip.mp4/ik-master.mpd?tr=sr-240`)).arrayBuffer());
    expect(mpd).toContain(`<BaseURL>ik-stream/${job.id}/</BaseURL>`);
    expect((await get(`/${tenant}/v/clip.mp4/ik-stream/${job.id}/chunk_0_00001.m4s`)).status).toBe(200);
    expect((await get(`/${tenant}/v/clip.mp4/ik-stream/${job.id}/chunk_0_00009.m4s`)).status).toBe(404);
  });
});

describe('the queue consumer', () => {
  async function queuedJob(tenant: string, tr = 'w-200'): Promise<JobSeed> {
    const plan = planVideoJob(parseTransformation(tr), 'video');
    const id = await videoJobKey(tenant, 'v/clip.mp4', 'etag-1', plan, undefined);
    const seed: JobSeed = {
      id,
      tenantId: tenant,
      path: 'v/clip.mp4',
      etag: 'etag-1',
      plan,
      trigger: 'delivery',
      url: `${ORIGIN}/${tenant}/v/clip.mp4?tr=${tr}`,
      originalUrl: `${ORIGIN}/${tenant}/v/clip.mp4`,
      callbackBase: ORIGIN,
      limits: { maxInputBytes: 1e6, maxSeconds: 60, maxSide: 1920 },
    };
    // Claimed and prepared as delivery does, but with the queue's own run of it swapped for the test's batch.
    const claimed = await jobsOf(env, tenant).claim(seed);
    expect(claimed.claimed).toBe(true);
    await env.MEDIA.put(jobFile(tenant, id, SOURCE_NAME), CLIP);
    return seed;
  }

  const batchOf = (queue: string, seed: JobSeed, attempts: number) =>
    createMessageBatch<JobMessage>(queue, [{ id: `m-${attempts}`, timestamp: new Date(), attempts, body: { id: seed.id, tenantId: seed.tenantId, plan: seed.plan } }]);

  async function consume(batch: MessageBatch<JobMessage>) {
    const ctx = createExecutionContext();
    await queueHandler(batch, env, ctx);
    return getQueueResult(batch, ctx);
  }

  it('acks a finished job and records its outputs', async () => {
    transcoder = fakeTranscoder('ok');
    const seed = await queuedJob(await newTenant());
    const result = await consume(batchOf('edgepix-jobs', seed, 1));
    expect(result.explicitAcks).toEqual(['m-1']);
    expect(result.retryMessages).toEqual([]);
    const job = await jobsOf(env, seed.tenantId).get(seed.id);
    expect(job).toMatchObject({ status: 'ready', attempts: 1, outputs: [{ name: 'video.mp4', size: OUTPUT_VIDEO.length }] });
    expect((await env.MEDIA.get(jobFile(seed.tenantId, seed.id, 'video.mp4')))?.size).toBe(OUTPUT_VIDEO.length);
    // The 3 s the transcoder read count as the tenant's video minutes (usage thresholds and quotas).
    const today = new Date().toISOString().slice(0, 10);
    expect((await libraryOf(env, seed.tenantId).usage(today, today)).videoSeconds).toBe(3);
  });

  it('retries a failed attempt with exponential backoff', async () => {
    transcoder = fakeTranscoder('fail');
    const seed = await queuedJob(await newTenant());
    const withBase = { ...env, VIDEO_RETRY_BASE_SECONDS: '10' };
    for (const [attempts, delay] of [[1, 10], [2, 20], [3, 40]] as const) {
      const batch = batchOf('edgepix-jobs', seed, attempts);
      const ctx = createExecutionContext();
      await queueHandler(batch, withBase, ctx);
      const result = await getQueueResult(batch, ctx);
      // The pool's result names the retried message; the delay it was given is retryDelay's.
      expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual([`m-${attempts}`]);
      expect(retryDelay(withBase, attempts)).toBe(delay);
      expect(await jobsOf(env, seed.tenantId).get(seed.id)).toMatchObject({ status: 'queued', attempts, error: 'ffmpeg failed: simulated crash' });
    }
  });

  it('ends the job on a refused input, and on a dead letter', async () => {
    transcoder = fakeTranscoder('refuse');
    const refused = await queuedJob(await newTenant());
    expect((await consume(batchOf('edgepix-jobs', refused, 1))).explicitAcks).toEqual(['m-1']);
    expect(await jobsOf(env, refused.tenantId).get(refused.id)).toMatchObject({ status: 'error', error: 'The file is not a video this transcoder can read.' });

    const dead = await queuedJob(await newTenant(), 'w-300');
    await jobsOf(env, dead.tenantId).retrying(dead.id, 'ffmpeg failed: simulated crash');
    expect((await consume(batchOf('edgepix-jobs-dlq', dead, 1))).explicitAcks).toEqual(['m-1']);
    const job = await jobsOf(env, dead.tenantId).get(dead.id);
    expect(job).toMatchObject({ status: 'error', error: 'gave up after the last retry: ffmpeg failed: simulated crash' });
    expect(await env.MEDIA.head(jobFile(dead.tenantId, dead.id, SOURCE_NAME))).toBeNull();
  });

  it('runs through the real local queue: retried, then dead-lettered, then a 302 and an error status', async () => {
    transcoder = fakeTranscoder('fail');
    const tenant = await tenantWithClip();
    const res = await get(`/${tenant}/v/clip.mp4?tr=w-100`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const job = await jobReaching(tenant, 'error', res.headers.get('X-Edgepix-Job')!);
    // The first attempt and max_retries (3) more, then the dead-letter queue.
    expect(transcoder.calls).toHaveLength(4);
    expect(job.error).toMatch(/^gave up after the last retry/);
    const again = await get(`/${tenant}/v/clip.mp4?tr=w-100`, { redirect: 'manual' });
    expect(again.status).toBe(302);
    expect(transcoder.calls).toHaveLength(4);
  });
});

describe('the job status API', () => {
  it('shows a job by id and lists them by status, for keys that may read files', async () => {
    transcoder = fakeTranscoder('ok');
    const owner = await newTenantWithKey();
    await putOriginal(owner.tenantId, 'v/clip.mp4', CLIP, 'video/mp4');
    const plan = planVideoJob(parseTransformation('w-50'), 'video');
    const id = await videoJobKey(owner.tenantId, 'v/clip.mp4', 'e', plan, undefined);
    const seed: JobSeed = {
      id,
      tenantId: owner.tenantId,
      path: 'v/clip.mp4',
      etag: 'e',
      plan,
      trigger: 'delivery',
      url: `${ORIGIN}/${owner.tenantId}/v/clip.mp4?tr=w-50`,
      originalUrl: `${ORIGIN}/${owner.tenantId}/v/clip.mp4`,
      callbackBase: ORIGIN,
      limits: { maxInputBytes: 1e6, maxSeconds: 60, maxSide: 1920 },
    };
    await requestVideoJob(env, seed, { size: CLIP.length, stream: async () => new Blob([CLIP]).stream() });
    await jobReaching(owner.tenantId, 'ready', id);
    const auth = { Authorization: basicAuth(owner.privateKey) };
    const one = await callApi(auth, 'GET', `/v1/accounts/video-jobs/${id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id, status: 'ready', type: 'video', container: 'mp4', transformation: 'w-50', path: '/v/clip.mp4', attempts: 1 });
    const listed = (await (await callApi(auth, 'GET', '/v1/accounts/video-jobs?status=ready')).json()) as { id: string }[];
    expect(listed.map((j) => j.id)).toEqual([id]);
    expect(await (await callApi(auth, 'GET', '/v1/accounts/video-jobs?status=error')).json()).toEqual([]);
    expect((await callApi(auth, 'GET', '/v1/accounts/video-jobs?status=done')).status).toBe(400);
    expect((await callApi(auth, 'GET', `/v1/accounts/video-jobs/${'0'.repeat(40)}`)).status).toBe(404);
    const blind = await newTenantWithKey({ files: 'none', settings: 'read', audit: 'none' });
    expect((await callApi({ Authorization: basicAuth(blind.privateKey) }, 'GET', '/v1/accounts/video-jobs')).status).toBe(403);
  });

  it('lets only the job token read the source or write files', async () => {
    const tenant = await newTenant();
    const id = 'a'.repeat(40);
    await env.MEDIA.put(jobFile(tenant, id, SOURCE_NAME), CLIP);
    for (const auth of [{}, { Authorization: 'Bearer nope' }] as Record<string, string>[]) {
      expect((await get(`/v1/transcoder/jobs/${tenant}/${id}/source`, { headers: auth })).status).toBe(401);
    }
    const put = await get(`/v1/transcoder/jobs/${tenant}/${id}/files/..%2Fx.mp4`, { method: 'PUT', body: 'x', headers: { Authorization: 'Bearer nope' } });
    expect(put.status).toBe(401);
  });
});
