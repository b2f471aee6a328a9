/**
 * A zip archive written straight into an R2 object as it is made: fflate's streaming `Zip` hands out bytes as
 * entries are pushed, and they leave in fixed-size multipart chunks (R2 wants every part but the last the same
 * size). What is held at once is one chunk plus what one push produced, never a whole file or the archive, so a
 * part of any size fits a 128 MB isolate. Media is stored as it is (it is compressed already); JSON is deflated.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

/** R2's smallest multipart chunk is 5 MiB. */
export const CHUNK_BYTES = 5 * 1024 * 1024;

export interface WrittenArchive {
  size: number;
  sha256: string;
}

export class ArchiveWriter {
  private readonly zip: Zip;
  private chunk = new Uint8Array(CHUNK_BYTES);
  private filled = 0;
  /** Full chunks made by the last push, waiting to be uploaded. */
  private full: Uint8Array[] = [];
  private readonly parts: R2UploadedPart[] = [];
  private readonly digest = new crypto.DigestStream('SHA-256');
  private readonly hashing = this.digest.getWriter();
  private size = 0;
  private failure: Error | null = null;
  private ended = false;

  private constructor(private readonly upload: R2MultipartUpload) {
    this.zip = new Zip((error, data, final) => {
      if (error) this.failure = error;
      else this.take(data);
      if (final) this.ended = true;
    });
  }

  static async open(bucket: R2Bucket, key: string, downloadName: string): Promise<ArchiveWriter> {
    const upload = await bucket.createMultipartUpload(key, {
      httpMetadata: { contentType: 'application/zip', contentDisposition: `attachment; filename="${downloadName}"` },
    });
    return new ArchiveWriter(upload);
  }

  /** A small entry given whole (JSON, text), deflated. */
  addText(name: string, text: string, mtime?: Date): Promise<void> {
    return this.addPieces(name, [new TextEncoder().encode(text)], { deflate: true, mtime });
  }

  /** An entry read from a stream (a file's bytes from R2), stored as it is, a chunk at a time. */
  addStream(name: string, stream: ReadableStream<Uint8Array>, mtime?: Date): Promise<void> {
    return this.addPieces(name, stream, { deflate: false, mtime });
  }

  /** An entry made of pieces as they come (a long log, a page at a time); each piece is pushed, then let go. */
  async addPieces(name: string, pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: { deflate: boolean; mtime?: Date }): Promise<void> {
    const entry = options.deflate ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    entry.mtime = options.mtime ?? new Date();
    this.zip.add(entry);
    for await (const piece of pieces) {
      entry.push(piece, false);
      await this.flush();
    }
    entry.push(new Uint8Array(), true);
    await this.flush();
  }

  /** Ends the archive and completes the object. */
  async close(): Promise<WrittenArchive> {
    this.zip.end();
    await this.flush();
    if (!this.ended) throw new Error('the archive did not end');
    if (this.filled > 0 || this.parts.length === 0) await this.send(this.chunk.subarray(0, this.filled));
    await this.upload.complete(this.parts);
    await this.hashing.close();
    const sha256 = [...new Uint8Array(await this.digest.digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return { size: this.size, sha256 };
  }

  /** Gives up: the chunks uploaded so far are dropped. */
  async abort(): Promise<void> {
    try {
      await this.upload.abort();
    } catch {
      // Nothing to drop, or R2 forgot the upload already: either way nothing is left behind.
    }
  }

  private take(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.byteLength) {
      const n = Math.min(CHUNK_BYTES - this.filled, data.byteLength - offset);
      this.chunk.set(data.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === CHUNK_BYTES) {
        this.full.push(this.chunk);
        this.chunk = new Uint8Array(CHUNK_BYTES);
        this.filled = 0;
      }
    }
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    while (this.full.length > 0) await this.send(this.full.shift()!);
  }

  private async send(bytes: Uint8Array): Promise<void> {
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, bytes));
    await this.hashing.write(bytes);
    this.size += bytes.byteLength;
  }
}
