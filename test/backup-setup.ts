/**
 * Global setup of the backup tests (Node side): a bucket of their own — s3rver with a switch that takes it down
 * and back up, and a log of the writes it accepted — so the origin tests' bucket never goes down under them.
 */
import type { TestProject } from 'vitest/node';
import { S3_CREDENTIALS, startS3Server } from './servers/s3';
import type {} from './servers/provided';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const s3 = await startS3Server({ switchable: true });
  project.provide('backupBucket', { url: s3.url, bucket: s3.bucket, accessKey: S3_CREDENTIALS.accessKey, secretKey: S3_CREDENTIALS.secretKey });
  return () => s3.close();
}
