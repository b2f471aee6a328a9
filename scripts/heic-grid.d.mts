// Types of heic-grid.mjs, for the benchmark and the tests that build grids from committed tiles.
export interface GridOptions {
  columns: number;
  rows: number;
  width: number;
  height: number;
  layout?: number[];
  rotate?: number;
  nclx?: { primaries: number; transfer: number; matrix: number; fullRange: boolean };
}
export interface Tile {
  data: Uint8Array;
  hvcC: Uint8Array;
  ispe: Uint8Array;
  colr?: Uint8Array;
}
export function readTiles(file: Uint8Array): Tile[];
export function gridHeic(tilesHeic: Uint8Array, options: GridOptions): Uint8Array;
