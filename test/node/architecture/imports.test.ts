/**
 * The floors of src/ and which way imports may go (docs/architecture.md): the request-facing layers (api/,
 * delivery/) build on everything below them, and nothing below reaches back up. Pixel code (image/, codecs/)
 * knows nothing of URL transformations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../../src');

const BELOW_THE_API = ['audit', 'backup', 'cache', 'codecs', 'exports', 'http', 'image', 'insight', 'library', 'mail', 'origins', 'people', 'security', 'status', 'storage', 'tenants', 'text', 'validate'];
const RULES: { floors: string[]; mayNotImport: string[] }[] = [
  { floors: BELOW_THE_API, mayNotImport: ['api', 'delivery'] },
  { floors: ['codecs', 'image', 'text'], mayNotImport: ['transform', 'library', 'origins', 'tenants'] },
  { floors: ['http', 'validate'], mayNotImport: [...BELOW_THE_API.filter((f) => f !== 'http'), 'transform', 'durable'] },
  // The video Worker is its own bundle: ffmpeg and the one error type, nothing of the image Worker.
  { floors: ['video-worker'], mayNotImport: [...BELOW_THE_API.filter((f) => f !== 'http'), 'api', 'delivery', 'durable', 'transform', 'video'] },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top folder under src/ of every module `file` imports (relative imports only; packages are not floors). */
function importedFloors(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => relative(SRC, resolve(dirname(file), specifier)).split('/')[0]!);
}

const floorOf = (file: string) => relative(SRC, file).split('/')[0]!;

describe('import directions', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  for (const rule of RULES) {
    it(`${rule.floors.join(', ')} import nothing from ${rule.mayNotImport.join(', ')}`, () => {
      const violations = files
        .filter((file) => rule.floors.includes(floorOf(file)))
        .flatMap((file) => importedFloors(file).filter((f) => f !== floorOf(file) && rule.mayNotImport.includes(f)).map((f) => `${relative(SRC, file)} → ${f}/`));
      expect(violations).toEqual([]);
    });
  }
});
