/** The shapes a transcoding job travels in: its record in the tenant's VideoJobs object, and the queue message. */
import type { VideoJobPlan } from '../ffmpeg-args';

export type JobStatus = 'preparing' | 'queued' | 'running' | 'ready' | 'error';

/** Where a job came from: a delivery URL, or an upload's `transformation.post`. */
export type JobTrigger = 'delivery' | 'upload';

/** What the Worker knows when it asks for a job. */
export interface JobSeed {
  /** The canonical variant key of the output (key.ts): equal requests name the same job. */
  id: string;
  tenantId: string;
  /** The original's path and version (etag). */
  path: string;
  etag: string;
  plan: VideoJobPlan;
  trigger: JobTrigger;
  /** The delivery URL of the output and of the original, for webhooks and the 302. */
  url: string;
  originalUrl: string;
  /** ImageKit's post-transformation type, for upload jobs' webhooks. */
  postType?: 'transformation' | 'gif-to-video' | 'abs';
  /** Where the transcoder reaches this deployment's transcoder routes (src/api/transcoder-callbacks.ts). */
  callbackBase: string;
  /** The tenant's limits when the job was asked for. */
  limits: JobLimits;
}

export interface JobLimits {
  /** Largest input the transcoder downloads. */
  maxInputBytes: number;
  /** Longest input it accepts, and longest output it writes. */
  maxSeconds: number;
  /** Largest output width or height. */
  maxSide: number;
}

export interface JobRecord extends JobSeed {
  status: JobStatus;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  error: string | null;
  /** Files the transcoder wrote (name and bytes), once ready. */
  outputs: { name: string; size: number }[];
  /** The input as ffprobe saw it. */
  input: { width: number; height: number; duration: number } | null;
}

/** The queue message: enough for the consumer to call the transcoder without asking anything else. */
export interface JobMessage {
  id: string;
  tenantId: string;
  plan: VideoJobPlan;
}
