/**
 * HEIC inputs for the memory benchmark: iPhone-layout grids (512×512 tiles, 4:3) of 12, 24 and 48 MP made in
 * memory from the tiles of the committed 12 MP fixture (scripts/heic-grid.mjs; each cell is decoded on its
 * own), and the reference decode's CPU: heif-convert (libheif + native libde265, Debian's libheif-examples) to
 * Y4M, the cheapest output it writes (no RGB conversion, no PNG compression), timed in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gridHeic } from '../scripts/heic-grid.mjs';

const TILES = new URL('../test/fixtures/images/heic/iphone-12mp.heic', import.meta.url);
/** iPhone sizes: 12 MP (4032×3024), 24 MP (5712×4284), 48 MP (8064×6048). */
const SIZES: Record<number, [number, number]> = { 12: [4032, 3024], 24: [5712, 4284], 50: [8064, 6048] };

export function heicGrid(megapixels: number): Uint8Array {
  const [width, height] = SIZES[megapixels] ?? SIZES[12]!;
  const columns = Math.ceil(width / 512);
  const rows = Math.ceil(height / 512);
  // The fixture's 48 cells, reused row by row (they repeat four distinct tiles).
  const layout = Array.from({ length: columns * rows }, (_, i) => ((Math.floor(i / columns) % 6) * 8 + (i % columns) % 8));
  return gridHeic(readFileSync(TILES), { columns, rows, width, height, layout });
}

/** CPU ms (user + system) heif-convert takes to decode `bytes` to Y4M; null when it is not installed. */
export function heifConvertCpuMs(bytes: Uint8Array): number | null {
  const dir = mkdtempSync(join(tmpdir(), 'heic-bench-'));
  try {
    writeFileSync(join(dir, 'in.heic'), bytes);
    // bash's `times` prints the children's user and system time after the run.
    const out = execFileSync('bash', ['-c', 'heif-convert in.heic out.y4m >/dev/null && times'], { cwd: dir, encoding: 'utf8' });
    const [, children] = out.trim().split('\n');
    const seconds = children!.split(/\s+/).map((t) => {
      const [m, s] = t.split('m');
      return Number(m) * 60 + Number.parseFloat(s!);
    });
    return (seconds[0]! + seconds[1]!) * 1000;
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true });
  }
}
