/**
 * An R2 bucket decided only when it is first used: every call awaits `resolve` (memoised), then goes to the
 * bucket it gave. Lets a bucket be handed out before the tenant it belongs to has been looked up.
 */
export function lazyBucket(resolve: () => Promise<R2Bucket>): R2Bucket {
  let target: Promise<R2Bucket> | undefined;
  const bucket = () => (target ??= resolve().catch((error: unknown) => {
    target = undefined;
    throw error;
  }));
  return {
    head: async (key) => (await bucket()).head(key),
    get: (async (key: string, options?: R2GetOptions) => (await bucket()).get(key, options)) as R2Bucket['get'],
    put: (async (key: string, value: Parameters<R2Bucket['put']>[1], options?: R2PutOptions) => (await bucket()).put(key, value, options)) as R2Bucket['put'],
    delete: async (keys) => (await bucket()).delete(keys),
    list: async (options) => (await bucket()).list(options),
    createMultipartUpload: async (key, options) => (await bucket()).createMultipartUpload(key, options),
    resumeMultipartUpload: (key, uploadId) => lazyUpload(bucket, key, uploadId),
  };
}

/** `resumeMultipartUpload` answers synchronously, so its upload defers each call until the bucket is known. */
function lazyUpload(bucket: () => Promise<R2Bucket>, key: string, uploadId: string): R2MultipartUpload {
  const upload = async () => (await bucket()).resumeMultipartUpload(key, uploadId);
  return {
    key,
    uploadId,
    uploadPart: async (partNumber, value, options) => (await upload()).uploadPart(partNumber, value, options),
    abort: async () => (await upload()).abort(),
    complete: async (parts) => (await upload()).complete(parts),
  };
}
