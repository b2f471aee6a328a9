/**
 * Splitting a library into parts, and writing one part. A part is the files whose ids fall in its range, read
 * again when the part is written: each part is a consistent view of its own files, taken when it runs (a file
 * added after planning lands in the last part, one deleted is left out).
 */
import type { Env } from '../env';
import { libraryOf } from '../library/client';
import { blobKey } from '../library/store/blobs';
import { mediaOf } from '../storage/media';
import { writeAccount } from './account';
import { ArchiveWriter, type WrittenArchive } from './archive-writer';
import { exportPrefix, partName, safeEntryName } from './keys';
import type { ExportRecord, PartBounds, PartPlan, PartRecord } from './types';

const PAGE = 100;

/** Every file of the library, in id order, cut into parts no bigger than `bounds` (a part has one file at least). */
export async function planParts(env: Env, tenantId: string, bounds: PartBounds): Promise<PartPlan[]> {
  const library = libraryOf(env, tenantId);
  const parts: PartPlan[] = [];
  let current: PartPlan = { afterId: '', lastId: null, files: 0, bytes: 0 };
  let after = '';
  for (;;) {
    const page = await library.exportPage(after, PAGE, null);
    for (const { file, versions } of page) {
      const bytes = versions.reduce((sum, v) => sum + v.media.size, 0);
      const fits = current.files + 1 <= bounds.maxFiles && current.bytes + bytes <= bounds.maxBytes;
      if (current.files > 0 && !fits) {
        parts.push(current);
        current = { afterId: current.lastId!, lastId: null, files: 0, bytes: 0 };
      }
      current.files++;
      current.bytes += bytes;
      current.lastId = file.id;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.file.id;
  }
  // The last part runs to the end of the library, whatever was added since.
  parts.push({ ...current, lastId: null });
  return parts;
}

/** Writes part `part.n` of `record` into the tenant's bucket; the first part carries the account files. */
export async function writePart(env: Env, record: ExportRecord, part: PartRecord): Promise<WrittenArchive> {
  const { tenantId } = record;
  const bucket = mediaOf(env, tenantId);
  const name = partName(part.n);
  const archive = await ArchiveWriter.open(bucket, exportPrefix(tenantId, record.id) + name, `${tenantId}-${record.id}-${name}`);
  try {
    if (part.n === 1) await writeAccount(env, record, archive);
    const index: { fileId: string; path: string; versions: { id: string; number: number; entry: string; size: number }[] }[] = [];
    let after = part.afterId;
    for (;;) {
      const page = await libraryOf(env, tenantId).exportPage(after, PAGE, part.lastId);
      for (const { file, versions } of page) {
        const listed = [];
        for (const version of versions) {
          const object = await bucket.get(blobKey(tenantId, version.blob));
          if (!object) throw new Error(`the bytes of ${file.path} (version ${version.number}) are missing from storage`);
          const entry = `library/${file.id}/v${version.number}/${safeEntryName(version.name)}`;
          await archive.addStream(entry, object.body, new Date(version.createdAt));
          listed.push({ id: version.id, number: version.number, entry, size: version.media.size });
        }
        await archive.addText(`library/${file.id}/file.json`, `${JSON.stringify({ file, versions }, null, 2)}\n`, new Date(file.updatedAt));
        index.push({ fileId: file.id, path: file.path, versions: listed });
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.file.id;
    }
    await archive.addText('part.json', `${JSON.stringify({ export: record.id, part: part.n, files: index }, null, 2)}\n`);
    return await archive.close();
  } catch (error) {
    await archive.abort();
    throw error;
  }
}
