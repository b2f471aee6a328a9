/**
 * Where a job's files live in R2: beside the tenant's other variants (`variants/<tenant>/…`), so erasing the
 * tenant or purging all its variants removes them too. The job id is the output's variant key, so a new version
 * of the original names new files and never meets stale ones.
 */
import { variantKey } from '../../cache/keys';
import type { VideoJobPlan } from '../ffmpeg-args';
import type { VideoSuffix } from '../suffix';

export const jobFolder = (tenantId: string, jobId: string) => `variants/${tenantId}/video/${jobId}/`;
export const jobFile = (tenantId: string, jobId: string, name: string) => `${jobFolder(tenantId, jobId)}${name}`;
/** The original's bytes copied for the transcoder; deleted when the job ends. */
export const SOURCE_NAME = 'source';

/** An output file's name: letters, digits, `_`, `-` and one extension; nothing that could climb out of the folder. */
export const OUTPUT_NAME = /^[A-Za-z0-9_-]{1,64}\.(mp4|webm|m3u8|mpd|ts|m4s)$/;

/** The job's id: the variant key of what it makes. Format is never negotiated for video (f-auto is mp4 or webm). */
export function videoJobKey(tenantId: string, path: string, etag: string, plan: VideoJobPlan, suffix: VideoSuffix | undefined): Promise<string> {
  return variantKey({ tenantId, path, etag, canonical: `${plan.transformation}\n${suffix ?? plan.main}`, negotiated: '' });
}
