/**
 * What test/global-setup.ts hands the workerd tests through vitest's provide/inject: the addresses of the local
 * servers the origin tests fetch from. Types only, so both the Node side and the workerd side can import it.
 */
export interface OriginServers {
  /** `http://127.0.0.1:<port>` of the web-folder test server (test/servers/web-folder.ts). */
  webFolder: string;
  /** `http://127.0.0.1:<port>` of s3rver. */
  s3: string;
  s3Bucket: string;
  s3AccessKey: string;
  s3SecretKey: string;
}

/** The backup tests' bucket (test/backup-setup.ts): s3rver with a down/up switch at `<url>/_switch/…`. */
export interface BackupBucketServer {
  url: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    originServers: OriginServers;
    backupBucket: BackupBucketServer;
  }
}
