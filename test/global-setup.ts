/**
 * Global setup of the workerd tests (Node side): starts the local servers the origin tests fetch from — s3rver
 * and the web-folder server — on random loopback ports, and hands their addresses to the tests
 * (`inject('originServers')`). Random ports keep parallel runs on one machine apart.
 */
import type { TestProject } from 'vitest/node';
import type { OriginServers } from './servers/provided';
import { S3_CREDENTIALS, startS3Server } from './servers/s3';
import { startWebFolderServer } from './servers/web-folder';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [web, s3] = await Promise.all([startWebFolderServer(), startS3Server()]);
  const servers: OriginServers = {
    webFolder: web.url,
    s3: s3.url,
    s3Bucket: s3.bucket,
    s3AccessKey: S3_CREDENTIALS.accessKey,
    s3SecretKey: S3_CREDENTIALS.secretKey,
  };
  project.provide('originServers', servers);
  return async () => {
    await Promise.all([web.close(), s3.close()]);
  };
}
