/** The per-isolate font cache: bounded by file bytes, least recently used closed first, misses remembered. */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { registerNodeWasmModules } from '../../../bench/wasm-modules';
import { textModule } from '../../../src/text/engine';
import { FONT_CACHE_BYTES, fallbackFamilies, openFontKeys, openFonts, platformFamily } from '../../../src/text/fonts';
import { fontPath } from '../../shared/text-reference';

beforeAll(registerNodeWasmModules);

it('closes the least recently used fonts beyond the byte bound, and keeps the ones in use', async () => {
  const module = await textModule();
  const serif = new Uint8Array(readFileSync(fontPath('NotoSerif-Regular.ttf')));
  const count = Math.ceil((FONT_CACHE_BYTES * 1.5) / serif.byteLength);
  let reads = 0;
  const request = (i: number) => ({ key: `tenant:t:serif-${i}.ttf:1`, read: async () => (reads++, serif) });
  for (let i = 0; i < count; i++) {
    const opened = await openFonts(module, [request(i)]);
    expect(opened.fonts).not.toContain(null);
    opened.release();
  }
  const keys = openFontKeys(module).filter((k) => k.startsWith('tenant:t:serif-'));
  expect(keys.length * serif.byteLength).toBeLessThanOrEqual(FONT_CACHE_BYTES);
  expect(keys).toContain(`tenant:t:serif-${count - 1}.ttf:1`);
  expect(keys).not.toContain('tenant:t:serif-0.ttf:1');
  // A hit reads nothing; an evicted one is read again.
  reads = 0;
  (await openFonts(module, [request(count - 1)])).release();
  expect(reads).toBe(0);
  (await openFonts(module, [request(0)])).release();
  expect(reads).toBe(1);
});

it('never closes a font a request holds, and trims the cache once it is released', async () => {
  const module = await textModule();
  const serif = new Uint8Array(readFileSync(fontPath('NotoSerif-Regular.ttf')));
  const held = await openFonts(module, [{ key: 'tenant:t:held.ttf:1', read: async () => serif }]);
  const count = Math.ceil((FONT_CACHE_BYTES * 1.5) / serif.byteLength);
  for (let i = 0; i < count; i++) (await openFonts(module, [{ key: `tenant:t:other-${i}.ttf:1`, read: async () => serif }])).release();
  expect(openFontKeys(module)).toContain('tenant:t:held.ttf:1');
  held.release();
  (await openFonts(module, [{ key: 'tenant:t:last.ttf:1', read: async () => serif }])).release();
  expect(openFontKeys(module)).not.toContain('tenant:t:held.ttf:1');
});

it('remembers files that are not fonts as missing', async () => {
  const module = await textModule();
  let reads = 0;
  const bad = { key: 'tenant:t:bad.ttf:1', read: async () => (reads++, new Uint8Array([1, 2, 3, 4])) };
  expect((await openFonts(module, [bad])).fonts).toEqual([null]);
  expect((await openFonts(module, [bad])).fonts).toEqual([null]);
  expect(reads).toBe(1);
});

it('names platform families loosely and picks fallbacks by script', () => {
  expect(platformFamily('open_sans')?.name).toBe('Open Sans');
  expect(platformFamily('NotoSansArabic')?.name).toBe('Noto Sans Arabic');
  expect(platformFamily('Comic Sans')).toBeUndefined();
  expect(fallbackFamilies('abc مرحبا').map((f) => f.name)).toEqual(['Noto Sans Arabic']);
  expect(fallbackFamilies('नमस्ते').map((f) => f.name)).toEqual(['Noto Sans Devanagari']);
  expect(fallbackFamilies('plain')).toEqual([]);
});
