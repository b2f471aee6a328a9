/**
 * An uploaded file taken in as it streams, so that its size never decides how much the isolate holds: the
 * bytes are hashed as they pass, the first part is kept (it is what sniffing and metadata read), and a file
 * larger than one part goes on to an R2 multipart upload under a staging key, a part at a time. At most two
 * parts are in memory, whatever the file's size.
 *
 * Nothing is stored until the upload is accepted: the multipart upload is completed only by `store`, after
 * authentication and every field check; `discard` aborts it. R2 forgets a multipart upload that is never
 * completed, so a request that dies half-way leaves nothing behind.
 */
import { hex } from '../security/crypto';

/** R2's parts must all have one size (the last may be shorter) of at least 5 MiB. */
export const PART_BYTES = 8 * 1024 * 1024;
/** What an upload holds at most while it streams: the first part, the part being filled, and slack. */
export const SPOOL_PEAK_BYTES = 2 * PART_BYTES + 1024 * 1024;

const STAGING_PREFIX = 'staging/';

export class SpoolTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

/** A file that has streamed in completely and is waiting to be stored (or discarded). */
export interface SpooledFile {
  readonly size: number;
  /** SHA-256 of the bytes, lowercase hex. */
  readonly hash: string;
  /** The file's first bytes (up to PART_BYTES): the whole file when it fits in one part. */
  readonly head: Uint8Array;
  /** Stores the bytes under `key`; the staging copy (if any) is removed. */
  store(key: string, contentType: string): Promise<void>;
  /** Gives up the bytes: nothing is stored. Safe to call more than once, and after `store`. */
  discard(): Promise<void>;
}

export class FileSpool {
  private readonly digest = new crypto.DigestStream('SHA-256');
  private readonly digestWriter = this.digest.getWriter();
  private first: Uint8Array = new Uint8Array(PART_BYTES);
  private part: Uint8Array = this.first;
  private filled = 0;
  private size = 0;
  private upload: R2MultipartUpload | undefined;
  private readonly parts: R2UploadedPart[] = [];

  constructor(
    private readonly bucket: R2Bucket,
    private readonly maxBytes: number,
  ) {
    // An abandoned spool rejects its digest; that is expected, not an unhandled failure.
    this.digest.digest.catch(() => undefined);
  }

  /** Bytes of part buffers the spool holds now. */
  get heldBytes(): number {
    return this.first.length + (this.part === this.first ? 0 : this.part.length);
  }

  /** Takes the next bytes of the file; throws SpoolTooLarge past `maxBytes` (the caller discards). */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.size + chunk.length > this.maxBytes) throw new SpoolTooLarge(this.maxBytes);
    this.size += chunk.length;
    await this.digestWriter.write(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(chunk.length - offset, PART_BYTES - this.filled);
      this.part.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === PART_BYTES && offset < chunk.length) await this.flushPart();
    }
  }

  /** The file has ended: hashes it and sends its last part (a full part waits here, as it may be the only one). */
  async finish(): Promise<SpooledFile> {
    await this.digestWriter.close();
    const hash = hex(await this.digest.digest);
    if (this.upload) await this.flushPart();
    const upload = this.upload;
    const parts = this.parts;
    const head = this.upload ? this.first : this.first.subarray(0, this.filled);
    let settled = false;
    return {
      size: this.size,
      hash,
      head,
      store: async (key, contentType) => {
        settled = true;
        if (!upload) {
          await this.bucket.put(key, head, { httpMetadata: { contentType } });
          return;
        }
        await upload.complete(parts);
        try {
          // R2 has no server-side copy: the bytes stream through once more, never held whole.
          const staged = await this.bucket.get(upload.key);
          if (!staged) throw new Error(`staged upload ${upload.key} vanished`);
          await this.bucket.put(key, staged.body.pipeThrough(new FixedLengthStream(this.size)), { httpMetadata: { contentType } });
        } finally {
          await this.bucket.delete(upload.key);
        }
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await upload?.abort();
      },
    };
  }

  /** Gives up a file that did not finish streaming. */
  async abandon(): Promise<void> {
    await this.digestWriter.abort().catch(() => undefined);
    await this.upload?.abort().catch(() => undefined);
  }

  private async flushPart(): Promise<void> {
    if (this.filled === 0) return;
    this.upload ??= await this.bucket.createMultipartUpload(`${STAGING_PREFIX}${crypto.randomUUID()}`);
    const bytes = this.part.subarray(0, this.filled);
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, bytes));
    // The first part stays as the file's head; later parts reuse one buffer once R2 has taken it.
    if (this.part === this.first) this.part = new Uint8Array(PART_BYTES);
    this.filled = 0;
  }
}
