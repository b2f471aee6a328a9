/** The part of s3rver's (untyped) API the test servers use. */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  import type { IncomingMessage, ServerResponse } from 'node:http';

  export default class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** Creates the configured buckets (run() does it too). */
    configureBuckets(): Promise<void>;
    /** The Koa request handler, to mount under another server. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
