/** Types of scripts/avif-grid.mjs for the TypeScript benchmarks. */
export function writeAvifGrid(grid: {
  files: Uint8Array[];
  tiles: number[];
  rows: number;
  columns: number;
  width: number;
  height: number;
}): Uint8Array;
