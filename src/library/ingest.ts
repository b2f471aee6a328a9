/**
 * Storing a file in the library, in the order that never leaves a record without its bytes: reserve the
 * content hash, write the bytes to R2 under it, then commit the record. A failure after the R2 write leaves
 * only unreferenced bytes, which the library's sweep deletes once the reservation is given back or runs out.
 */
import { HttpError } from '../http/errors';
import { hex } from '../security/crypto';
import type { LibraryClient } from './client';
import type { SpooledFile } from './file-spool';
import type { UploadCommit } from './operations/upload';
import type { FileRecord } from './records';

/**
 * A file's bytes: in memory, or spooled as they streamed in (src/library/file-spool.ts), already hashed and
 * waiting to be stored, so that a large upload is never held whole.
 */
export type Content = Uint8Array | SpooledFile;

const isSpooled = (content: Content): content is SpooledFile => !(content instanceof Uint8Array);

export const contentSize = (content: Content) => (isSpooled(content) ? content.size : content.length);

/** Where the bytes go; tests swap in one that fails. */
export interface BlobWriter {
  put(key: string, content: Content, contentType: string): Promise<void>;
}

export const r2Writer = (bucket: R2Bucket): BlobWriter => ({
  async put(key, content, contentType) {
    if (isSpooled(content)) await content.store(key, contentType);
    else await bucket.put(key, content, { httpMetadata: { contentType } });
  },
});

export type IngestRequest = Omit<UploadCommit, 'blob'>;

/** A file stored under its own name, replacing what is there, with no tags or metadata (ImageKit's overwrite defaults). */
export const PLAIN_FILE: Omit<IngestRequest, 'folder' | 'name' | 'media'> = {
  useUniqueFileName: false,
  overwriteFile: true,
  overwriteTags: true,
  overwriteCustomMetadata: true,
  overwriteAITags: true,
  attributes: { tags: [], customCoordinates: null, customMetadata: {}, description: null, isPrivate: false, isPublished: true },
};

export async function ingest(
  library: Pick<LibraryClient, 'reserveBlob' | 'commitUpload' | 'releaseBlob'>,
  content: Content,
  request: IngestRequest,
  writer: BlobWriter,
): Promise<FileRecord> {
  const hash = isSpooled(content) ? content.hash : hex(await crypto.subtle.digest('SHA-256', content));
  const { key, present } = await library.reserveBlob(hash, contentSize(content));
  try {
    if (present) await discard(content);
    else await writeBytes(writer, key, content, request.media.mime);
    return await library.commitUpload({ ...request, blob: hash });
  } catch (error) {
    await library.releaseBlob(hash).catch(() => undefined);
    throw error;
  }
}

/** Bytes the library already has need no second copy. */
export async function discard(content: Content): Promise<void> {
  if (isSpooled(content)) await content.discard().catch((error) => console.error('library: discarding a spooled upload failed', error));
}

async function writeBytes(writer: BlobWriter, key: string, content: Content, contentType: string): Promise<void> {
  try {
    await writer.put(key, content, contentType);
  } catch (error) {
    // A refusal that says why (the tenant's region unreachable, storage/media.ts) reaches the client as it is.
    if (error instanceof HttpError) throw error;
    console.error('library: storing bytes failed', error);
    throw new HttpError(503, 'The file could not be stored; nothing was saved', 'Retry the upload.', { 'Retry-After': '1' });
  }
}

