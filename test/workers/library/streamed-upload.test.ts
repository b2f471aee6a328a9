/**
 * Uploads stream: the file part is hashed and spooled to R2 a part at a time as it arrives, completed and moved
 * under its content hash only once the upload is accepted. Large files arrive intact, duplicates are stored
 * once, and a refused, oversized or broken upload leaves nothing in the bucket, staging included.
 */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { FileSpool, PART_BYTES } from '../../../src/library/file-spool';
import { hex } from '../../../src/security/crypto';
import { ORIGIN } from '../helpers';
import { newLibraryTenant } from '../library-helpers';

const MiB = 1024 * 1024;

/** Bytes that do not repeat, so each size gives a distinct hash. */
function noise(size: number, seed: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, size);
}

const sha256 = async (bytes: Uint8Array) => hex(await crypto.subtle.digest('SHA-256', bytes));

async function keys(prefix: string): Promise<string[]> {
  return (await env.MEDIA.list({ prefix })).objects.map((o) => o.key);
}

/** A multipart body by hand, so the order of the parts (and a broken ending) is ours to choose. */
function multipart(parts: [string, string | Uint8Array][], { close = true } = {}): { body: Uint8Array; contentType: string } {
  const boundary = `----edgepix${crypto.randomUUID()}`;
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const [name, value] of parts) {
    const file = typeof value !== 'string';
    chunks.push(
      encoder.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="blob.bin"' : ''}\r\n` +
          `${file ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`,
      ),
      file ? value : encoder.encode(value),
      encoder.encode('\r\n'),
    );
  }
  if (close) chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.length;
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function post(parts: [string, string | Uint8Array][], headers: Record<string, string> = {}, options?: { close?: boolean }) {
  const { body, contentType } = multipart(parts, options);
  return SELF.fetch(`${ORIGIN}/api/v1/files/upload`, { method: 'POST', body, headers: { 'Content-Type': contentType, ...headers } });
}


describe('streamed uploads', () => {
  it('stores a file of several parts byte for byte under its hash, and leaves no staging copy', async () => {
    const t = await newLibraryTenant();
    const bytes = noise(2 * PART_BYTES + 123_457, 1);
    const response = await post([['fileName', 'big.bin'], ['useUniqueFileName', 'false'], ['file', bytes]], t.auth);
    expect(response.status).toBe(200);
    const file = (await response.json()) as { size: number; url: string };
    expect(file.size).toBe(bytes.length);
    expect(await keys(`library/${t.tenantId}/`)).toEqual([`library/${t.tenantId}/${await sha256(bytes)}`]);
    expect(await keys('staging/')).toEqual([]);
    const delivered = new Uint8Array(await (await SELF.fetch(file.url)).arrayBuffer());
    expect(delivered.length).toBe(bytes.length);
    expect(await sha256(delivered)).toBe(await sha256(bytes));
  });

  it('stores the same large bytes once, whatever the number of files', async () => {
    const t = await newLibraryTenant();
    const bytes = noise(PART_BYTES + 1, 2);
    for (const name of ['one.bin', 'two.bin']) {
      expect((await post([['file', bytes], ['fileName', name]], t.auth)).status).toBe(200);
    }
    expect(await keys(`library/${t.tenantId}/`)).toHaveLength(1);
    expect(await keys('staging/')).toEqual([]);
  });

  it('authenticates after the file has streamed in, and a refused upload stores nothing', async () => {
    const t = await newLibraryTenant();
    // The file comes first and the client-side fields after it, as a browser form may send them.
    const refused = await post([
      ['file', noise(PART_BYTES + 5, 3)],
      ['fileName', 'x.bin'],
      ['publicKey', t.publicKey],
      ['signature', '0'.repeat(40)],
      ['token', crypto.randomUUID()],
      ['expire', String(Math.floor(Date.now() / 1000) + 600)],
    ]);
    expect(refused.status).toBe(400);
    expect(await keys(`library/${t.tenantId}/`)).toEqual([]);
    expect(await keys('staging/')).toEqual([]);
  });

  it('refuses a file over the tenant\'s limit with a 413 and stores nothing', async () => {
    const t = await newLibraryTenant(undefined, { limits: { maxUploadBytes: 10 * MiB } });
    const response = await post([['fileName', 'x.bin'], ['file', noise(10 * MiB + 1, 4)]], t.auth);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toContain(`${10 * MiB} bytes`);
    expect(await keys(`library/${t.tenantId}/`)).toEqual([]);
    expect(await keys('staging/')).toEqual([]);
  });

  it('answers a body cut off mid-file with a 400 naming the problem, and stores nothing', async () => {
    const t = await newLibraryTenant();
    const response = await post([['fileName', 'x.bin'], ['file', noise(PART_BYTES + 9, 5)]], t.auth, { close: false });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^The multipart body could not be parsed: /);
    expect(await keys(`library/${t.tenantId}/`)).toEqual([]);
    expect(await keys('staging/')).toEqual([]);
  });

  it('refuses two file parts', async () => {
    const t = await newLibraryTenant();
    const response = await post([['fileName', 'x.bin'], ['file', noise(100, 6)], ['file', noise(100, 7)]], t.auth);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('more than one "file" part');
  });
});

describe('FileSpool', () => {
  it('holds at most two parts however large the file, and hashes what passed through', async () => {
    const spool = new FileSpool(env.MEDIA, 64 * MiB);
    const bytes = noise(5 * PART_BYTES + 77, 9);
    let held = 0;
    for (let offset = 0; offset < bytes.length; offset += 65_536) {
      await spool.write(bytes.subarray(offset, offset + 65_536));
      held = Math.max(held, spool.heldBytes);
    }
    const file = await spool.finish();
    expect(held).toBe(2 * PART_BYTES);
    expect(file.size).toBe(bytes.length);
    expect(file.hash).toBe(await sha256(bytes));
    expect(await sha256(file.head)).toBe(await sha256(bytes.subarray(0, PART_BYTES)));
    await file.discard();
    expect(await keys('staging/')).toEqual([]);
  });

  it('keeps a file of one part in memory, its head the whole file', async () => {
    const spool = new FileSpool(env.MEDIA, 64 * MiB);
    const bytes = noise(PART_BYTES, 10);
    await spool.write(bytes);
    const file = await spool.finish();
    expect(spool.heldBytes).toBe(PART_BYTES);
    expect(await sha256(file.head)).toBe(await sha256(bytes));
    await file.store('spool-test/one-part', 'application/octet-stream');
    expect(await sha256(new Uint8Array(await (await env.MEDIA.get('spool-test/one-part'))!.arrayBuffer()))).toBe(await sha256(bytes));
  });
});
