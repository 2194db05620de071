import { expect } from '@esm-bundle/chai';
import { fitGrid } from '../../widget/room/grid-layout.js';

/* The coach's member grid: the largest 16:9 tile that fits every tile in the stage's area. */

/** The grid's own size for a layout: what must fit the area. */
const extent = (l: ReturnType<typeof fitGrid>, gap = 8) => ({
  width: l.columns * l.tileWidth + (l.columns - 1) * gap,
  height: l.rows * l.tileHeight + (l.rows - 1) * gap,
});

describe('fitGrid', () => {
  it('gives one member the whole area (as wide as 16:9 of its height allows)', () => {
    const l = fitGrid(1, 1000, 400);
    expect([l.columns, l.rows]).to.deep.equal([1, 1]);
    expect(l.tileWidth).to.equal(Math.floor(400 * (16 / 9)));
    expect(l.tileHeight).to.be.at.most(400);
  });

  it('lays three members out 2×2 in a wide-ish area, 3×1 in a very wide one, 1×3 on an upright phone', () => {
    expect(fitGrid(3, 840, 400)).to.include({ columns: 2, rows: 2 });
    expect(fitGrid(3, 1600, 300)).to.include({ columns: 3, rows: 1 });
    expect(fitGrid(3, 350, 340)).to.include({ columns: 1, rows: 3 });
  });

  it('always fits the area and picks the largest tile any column count allows', () => {
    for (const [n, w, h] of [[2, 900, 500], [5, 1200, 600], [12, 1100, 620], [30, 1800, 900], [50, 1900, 1000]] as const) {
      const l = fitGrid(n, w, h);
      const size = extent(l);
      expect(l.scrolls, `${n} in ${w}x${h}`).to.equal(false);
      expect(size.width, `${n} in ${w}x${h} width`).to.be.at.most(w);
      expect(size.height, `${n} in ${w}x${h} height`).to.be.at.most(h);
      expect(l.columns * l.rows).to.be.at.least(n);
      for (let c = 1; c <= n; c++) {
        const rows = Math.ceil(n / c);
        const other = Math.floor(Math.min((w - 8 * (c - 1)) / c, ((h - 8 * (rows - 1)) / rows) * (16 / 9)));
        expect(other, `${c} columns would not be bigger`).to.be.at.most(l.tileWidth);
      }
    }
  });

  it('stops shrinking at the smallest useful tile and scrolls instead', () => {
    const l = fitGrid(50, 900, 300);
    expect(l.tileWidth).to.be.at.least(160);
    expect(l.scrolls).to.equal(true);
    expect(extent(l).width).to.be.at.most(900);
    expect(l.columns * l.rows).to.be.at.least(50);
  });

  it('survives nonsense sizes without throwing', () => {
    expect(fitGrid(0, 0, 0).columns).to.equal(1);
    expect(fitGrid(3, -10, 200).tileWidth).to.be.at.least(0);
  });
});
