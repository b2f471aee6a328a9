/**
 * One conformance suite for every origin: what delivery relies on — null for a missing file, metadata
 * without reading the body, bytes and stream equal to what was stored, a new etag for a new version.
 */
import { describe, expect, it } from 'vitest';
import type { Origin } from '../../../src/origins/types';

export interface OriginUnderTest {
  name: string;
  /** A fresh, empty origin plus a way to store a file in it (as the origin's owner would). */
  create(): Promise<{
    origin: Origin;
    put(path: string, bytes: Uint8Array, options?: { contentType?: string; isPrivate?: boolean }): Promise<void>;
  }>;
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

async function readStream(stream: ReadableStream): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function describeOriginConformance(subject: OriginUnderTest): void {
  describe(`origin conformance: ${subject.name}`, () => {
    it('answers null for a missing file', async () => {
      const { origin } = await subject.create();
      expect(await origin.get('nothing/here.jpg')).toBeNull();
    });

    it('describes a file and returns the same bytes as body and as stream', async () => {
      const { origin, put } = await subject.create();
      const content = bytesOf('pretend image bytes ü');
      await put('a/b c/ü.jpg', content, { contentType: 'image/jpeg' });
      const original = await origin.get('a/b c/ü.jpg');
      expect(original).not.toBeNull();
      expect(original!.path).toBe('a/b c/ü.jpg');
      expect(original!.size).toBe(content.length);
      expect(original!.contentType).toBe('image/jpeg');
      expect(original!.etag).toMatch(/\S/);
      expect(original!.isPrivate).toBe(false);
      expect(await original!.bytes()).toEqual(content);
      expect(await readStream(await original!.stream())).toEqual(content);
    });

    it('gives a new etag when the file is replaced', async () => {
      const { origin, put } = await subject.create();
      await put('x.png', bytesOf('one'));
      const first = await origin.get('x.png');
      await put('x.png', bytesOf('two, longer'));
      const second = await origin.get('x.png');
      expect(second!.etag).not.toBe(first!.etag);
      expect(await second!.bytes()).toEqual(bytesOf('two, longer'));
    });

    it('reports the private flag', async () => {
      const { origin, put } = await subject.create();
      await put('secret.jpg', bytesOf('s'), { isPrivate: true });
      expect((await origin.get('secret.jpg'))!.isPrivate).toBe(true);
    });

    it('does not read across paths that share a prefix', async () => {
      const { origin, put } = await subject.create();
      await put('dir/file.jpg', bytesOf('f'));
      expect(await origin.get('dir')).toBeNull();
      expect(await origin.get('dir/file.jp')).toBeNull();
    });
  });
}
