/**
 * Asking for a job: claim it in the tenant's ledger; the one caller that claims it copies the original next to
 * where the outputs will go (so the transcoder reads one place whatever the origin was: the library, a bucket, a
 * web folder) and queues it. Everyone else just learns the job's state.
 */
import type { Env } from '../../env';
import { HttpError } from '../../http/errors';
import { jobsOf } from './client';
import { jobFile, SOURCE_NAME } from './storage';
import type { JobRecord, JobSeed } from './types';
import { mediaOf } from '../../storage/media';

export interface SourceReader {
  size: number;
  contentType?: string;
  stream(): Promise<ReadableStream>;
}

export async function requestVideoJob(env: Env, seed: JobSeed, source: SourceReader): Promise<JobRecord> {
  if (source.size > seed.limits.maxInputBytes) {
    throw new HttpError(
      413,
      `The video is ${source.size} bytes; this account transcodes videos of at most ${seed.limits.maxInputBytes} bytes.`,
      'Raise limits.maxVideoInputBytes in the account settings, or use a smaller file.',
    );
  }
  const jobs = jobsOf(env, seed.tenantId);
  const { job, claimed } = await jobs.claim(seed);
  if (!claimed) return job;
  try {
    // A known length lets R2 take the stream as it comes, without holding the file in the isolate.
    const body = (await source.stream()).pipeThrough(new FixedLengthStream(source.size));
    await mediaOf(env, seed.tenantId).put(jobFile(seed.tenantId, seed.id, SOURCE_NAME), body, { httpMetadata: { contentType: source.contentType } });
    return await jobs.enqueue(seed.id);
  } catch (error) {
    await jobs.fail(seed.id, `could not prepare the job: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}
