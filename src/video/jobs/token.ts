/**
 * The capability a job hands the transcoder: a MAC over the tenant and job id, good for reading that job's
 * source and writing that job's files, and nothing else. Only the Worker makes and checks it (keyed from
 * MASTER_KEY), so no secret is shared with the transcoder.
 */
import { constantTimeEqual, hmacSha1Hex } from '../../security/crypto';

export const jobToken = (masterKey: string, tenantId: string, jobId: string) => hmacSha1Hex(masterKey, `edgepix-video-job\n${tenantId}\n${jobId}`);

export async function jobTokenValid(masterKey: string, tenantId: string, jobId: string, header: string | null): Promise<boolean> {
  const presented = header?.startsWith('Bearer ') ? header.slice(7) : '';
  return presented !== '' && constantTimeEqual(presented, await jobToken(masterKey, tenantId, jobId));
}
