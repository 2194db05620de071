/** How a grid of video tiles fills an area: columns and tile size. */
export interface GridLayout {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** The tiles do not all fit at the smallest size: the grid scrolls. */
  scrolls: boolean;
}

export interface GridOptions {
  /** Space between tiles (px). */
  gap?: number;
  /** Width over height of a tile. */
  aspect?: number;
  /** Below this width a tile is too small to read a member's form: the grid scrolls instead. */
  minTileWidth?: number;
}

/**
 * The largest 16:9 tile size that fits `count` tiles in a `width` × `height` area, trying every
 * column count (1 to 50 tiles: at most 50 tries, cheap enough to run on each resize). Past the
 * point where tiles would be narrower than `minTileWidth`, the columns that fit at that width are
 * used and the grid scrolls.
 */
export function fitGrid(count: number, width: number, height: number, opts: GridOptions = {}): GridLayout {
  const gap = opts.gap ?? 8;
  const aspect = opts.aspect ?? 16 / 9;
  const minW = opts.minTileWidth ?? 160;
  const n = Math.max(1, Math.floor(count));
  const w = Math.max(0, width);
  const h = Math.max(0, height);
  let best: GridLayout | undefined;
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const byWidth = (w - gap * (columns - 1)) / columns;
    const byHeight = ((h - gap * (rows - 1)) / rows) * aspect;
    const tileWidth = Math.floor(Math.min(byWidth, byHeight));
    // Fewer columns for the same size keeps rows full (no lone tile on a last row when avoidable).
    if (!best || tileWidth > best.tileWidth) best = { columns, rows, tileWidth, tileHeight: Math.floor(tileWidth / aspect), scrolls: false };
  }
  if (best && best.tileWidth >= minW) return best;
  // Too many for the area: as many columns of the smallest tile as the width takes, and scroll.
  const columns = Math.max(1, Math.min(n, Math.floor((w + gap) / (minW + gap))));
  const tileWidth = Math.max(minW, Math.floor((w - gap * (columns - 1)) / columns));
  const rows = Math.ceil(n / columns);
  const tileHeight = Math.floor(tileWidth / aspect);
  return { columns, rows, tileWidth: Math.min(tileWidth, Math.max(minW, w)), tileHeight, scrolls: rows * tileHeight + gap * (rows - 1) > h };
}
