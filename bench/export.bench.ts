/**
 * What writing an export archive costs: src/exports/archive-writer.ts (fflate's streaming Zip into fixed-size
 * multipart chunks, hashed as they leave) over a library of random (incompressible) files read 64 KiB at a time,
 * beside the reference, fflate's `zipSync` (stored, no compression) of the same files held whole in memory, in
 * this run. CPU ms per 100 MiB and the most memory (heap + ArrayBuffers) each held above the library's own bytes.
 * The R2 upload is a stand-in that keeps only the chunk count, and DigestStream (a Workers API) is node:crypto.
 *
 * Usage: npm run bench:export -- [--mib N] [--files N]
 */
import { createHash, webcrypto } from 'node:crypto';
import { zipSync } from 'fflate';
import { ArchiveWriter, CHUNK_BYTES } from '../src/exports/archive-writer';
import { cpuMs, round } from './measure';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const totalMiB = arg('--mib', 200);
const files = arg('--files', 50);
const READ = 64 * 1024;

// Workers' DigestStream, for Node: a writable stream that hashes what is written.
class DigestStream extends WritableStream<Uint8Array> {
  readonly digest: Promise<ArrayBuffer>;
  constructor(_algorithm: string) {
    const hash = createHash('sha256');
    let done!: (value: ArrayBuffer) => void;
    super({ write: (chunk) => void hash.update(chunk), close: () => done(new Uint8Array(hash.digest()).buffer) });
    this.digest = new Promise((resolve) => (done = resolve));
  }
}
Object.assign(webcrypto, { DigestStream });

/** An R2 bucket that accepts a multipart upload and keeps nothing but counts. */
function countingBucket() {
  const seen = { parts: 0, bytes: 0 };
  const bucket = {
    createMultipartUpload: async () => ({
      uploadPart: async (n: number, bytes: Uint8Array) => {
        seen.parts++;
        seen.bytes += bytes.byteLength;
        return { partNumber: n, etag: String(n) };
      },
      complete: async () => ({}),
      abort: async () => undefined,
    }),
  } as unknown as R2Bucket;
  return { bucket, seen };
}

const fileBytes = Math.floor((totalMiB * 1024 * 1024) / files);
const library = Array.from({ length: files }, () => {
  const bytes = new Uint8Array(fileBytes);
  for (let o = 0; o < bytes.length; o += 65_536) crypto.getRandomValues(bytes.subarray(o, Math.min(o + 65_536, bytes.length)));
  return bytes;
});

/** A file as R2 hands it out: a stream of 64 KiB chunks (views of the stored bytes, as a read would make copies of). */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + READ));
      offset += READ;
    },
  });
}

/** Runs `work` while sampling memory; answers CPU ms and the peak above the start. */
async function measured(work: () => Promise<unknown>): Promise<{ cpu: number; peakMiB: number }> {
  global.gc?.();
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const start = used();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, used())), 5);
  const cpu = await cpuMs(async () => {
    await work();
    peak = Math.max(peak, used());
  });
  clearInterval(timer);
  return { cpu, peakMiB: (peak - start) / 1024 / 1024 };
}

const streamed = await measured(async () => {
  const { bucket, seen } = countingBucket();
  const writer = await ArchiveWriter.open(bucket, 'bench.zip', 'bench.zip');
  for (const [i, bytes] of library.entries()) await writer.addStream(`library/f${i}/v1/file.bin`, streamOf(bytes));
  await writer.close();
  if (seen.bytes < totalMiB * 1024 * 1024) throw new Error('the archive is short');
});
const whole = await measured(async () => {
  const entries: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const [i, bytes] of library.entries()) entries[`library/f${i}/v1/file.bin`] = [new Uint8Array(bytes), { level: 0 }];
  const zip = zipSync(entries);
  createHash('sha256').update(zip).digest();
});

const per100 = (ms: number) => round((ms * 100) / totalMiB, 1);
console.log(`export archive of ${files} files, ${totalMiB} MiB (chunks of ${CHUNK_BYTES / 1024 / 1024} MiB)`);
console.table({
  'archive-writer (streamed)': { 'CPU ms / 100 MiB': per100(streamed.cpu), 'peak MiB above library': round(streamed.peakMiB, 1) },
  'zipSync (whole, reference)': { 'CPU ms / 100 MiB': per100(whole.cpu), 'peak MiB above library': round(whole.peakMiB, 1) },
});
console.log(`CPU ratio streamed/reference: ${round(streamed.cpu / whole.cpu, 2)}; memory ratio: ${round(streamed.peakMiB / whole.peakMiB, 3)}`);
