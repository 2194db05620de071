import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import type { FitClassRoom } from '../../widget/index.js';
import { COACH, liveRoom, MEMBERS } from '../../stories/mock-room.js';
import { allByTestId, byTestId, until } from './helpers.js';

/*
 * The stage in Chromium, on the Storybook mock room (canvas cameras, no backend): media elements
 * are not re-bound on re-renders (Chromium reloads a <video> whose srcObject is set, even to the
 * same stream), what the stage says while media is missing, and the coach's grid filling it.
 */

afterEach(() => {
  for (const el of document.querySelectorAll('[data-stage-test]')) el.remove();
});

async function mountRoom(room: ReturnType<typeof liveRoom>, width = 1100): Promise<FitClassRoom> {
  const el = document.createElement('fit-class-room');
  el.dataset.stageTest = '';
  el.style.width = `${width}px`;
  document.body.append(el);
  el.attachRoom(room);
  await el.updateComplete;
  return el;
}

describe('the stage', () => {
  it('re-renders never re-assign a shown stream: the coach video keeps playing', async () => {
    let assigned = 0;
    const desc = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!;
    Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
      configurable: true,
      get: desc.get,
      set(this: HTMLMediaElement, v: MediaProvider | null) {
        if (this.dataset.testid === 'coach-video') assigned++;
        desc.set!.call(this, v);
      },
    });
    try {
      const room = liveRoom('member');
      const el = await mountRoom(room);
      const video = await until(() => byTestId(el, 'coach-video') as HTMLVideoElement | null, 5000, 'coach video');
      expect(assigned).to.equal(1);
      // What the quality tick, the timer and chat do every second or two: re-render the room.
      for (let i = 0; i < 5; i++) {
        room.show({ speaking: i % 2 ? ['p_coach'] : [] });
        el.requestUpdate();
        await el.updateComplete;
      }
      expect(byTestId(el, 'coach-video')).to.equal(video);
      expect(assigned, 'srcObject set once, not on every render').to.equal(1);
      expect(video.muted, 'pictures are muted; sound plays from its own <audio>').to.equal(true);
    } finally {
      Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', desc);
    }
  });

  it('says the coach’s video is on its way instead of a black box, and Reconnecting… over the picture', async () => {
    const noVideo = { ...COACH(), hasVideo: false, views: { camera: undefined, mic: undefined, screen: undefined, screenAudio: undefined } };
    const room = liveRoom('member', { participants: [noVideo, ...MEMBERS()] });
    const el = await mountRoom(room);
    expect(byTestId(el, 'stage')!.textContent).to.contain("Waiting for Coach Sam's video…");
    expect(byTestId(el, 'coach-video')).to.equal(null);

    room.show({ participants: [COACH(), ...MEMBERS()], connection: 'reconnecting' });
    await el.updateComplete;
    expect(byTestId(el, 'coach-video'), 'the last picture stays').to.exist;
    expect(byTestId(el, 'stage-status')!.textContent).to.equal('Reconnecting…');
    room.show({ connection: 'connected', notice: { code: 'media_reconnecting', message: 'Reconnecting the video…' } });
    await el.updateComplete;
    expect(byTestId(el, 'stage-status'), 'ICE restarting counts too').to.exist;
    room.show({ notice: undefined });
    await el.updateComplete;
    expect(byTestId(el, 'stage-status')).to.equal(null);
  });

  it('the coach’s stage is the member grid, tiles sized to fill it, the coach’s camera beside it', async () => {
    const el = await mountRoom(liveRoom('coach'));
    const area = byTestId(el, 'grid-area')!;
    const grid = byTestId(el, 'grid')!;
    await until(() => grid.dataset.columns, 5000, 'the grid laid out');
    const tiles = allByTestId(el, 'participant-tile');
    expect(tiles.length).to.equal(3);
    const a = area.getBoundingClientRect();
    const widths = new Set(tiles.map((t) => Math.round(t.getBoundingClientRect().width)));
    expect(widths.size, 'every tile the same size').to.equal(1);
    for (const t of tiles) {
      const r = t.getBoundingClientRect();
      expect(r.left).to.be.at.least(a.left - 1);
      expect(r.right).to.be.at.most(a.right + 1);
      expect(r.top).to.be.at.least(a.top - 1);
      expect(r.bottom).to.be.at.most(a.bottom + 1);
    }
    // The tiles use the area: at least half of it is pictures.
    const covered = tiles.reduce((sum, t) => sum + t.getBoundingClientRect().width * t.getBoundingClientRect().height, 0);
    expect(covered / (a.width * a.height)).to.be.greaterThan(0.5);
    const self = byTestId(el, 'coach-self')!.getBoundingClientRect();
    expect(self.left, 'the coach’s own camera sits beside the grid, over no tile').to.be.at.least(a.right);

    // Tile controls are there, but transparent until the tile is focused (or hovered).
    const controls = tiles[0]!.querySelector<HTMLElement>('.tile-controls')!;
    expect(getComputedStyle(controls).opacity).to.equal('0');
    tiles[0]!.focus();
    await until(() => getComputedStyle(controls).opacity === '1', 2000, 'controls shown on focus');
  });
});
