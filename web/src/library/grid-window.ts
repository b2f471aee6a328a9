/**
 * Which cells of a uniform grid are on screen: the grid renders only those (plus a few rows either side), so a
 * folder of 10 000 files keeps a few dozen elements in the page however far it is scrolled.
 */
export interface GridInput {
  scrollTop: number;
  viewportHeight: number;
  width: number;
  /** Cell edge in pixels (cells are square, gaps included). */
  cell: number;
  total: number;
  overscanRows?: number;
}

export interface GridWindow {
  columns: number;
  /** First cell to render (inclusive) and the last (exclusive). */
  start: number;
  end: number;
  /** Height of the whole grid, so the scroll bar is true to the list. */
  height: number;
}

export function gridWindow({ scrollTop, viewportHeight, width, cell, total, overscanRows = 2 }: GridInput): GridWindow {
  const columns = Math.max(1, Math.floor(width / cell));
  const rows = Math.ceil(total / columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / cell) - overscanRows);
  const lastRow = Math.min(rows, Math.ceil((scrollTop + viewportHeight) / cell) + overscanRows);
  return { columns, start: Math.min(total, firstRow * columns), end: Math.min(total, lastRow * columns), height: rows * cell };
}

/** Where cell `index` sits. */
export function cellPosition(index: number, columns: number, cell: number): { top: number; left: number } {
  return { top: Math.floor(index / columns) * cell, left: (index % columns) * cell };
}
