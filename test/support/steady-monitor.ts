import type { Page } from 'playwright-core';

/** What one remote video in a page did since its first frame (see `installSteadyMonitor`). */
export interface SteadyRecord {
  /** `coach` (a member's coach video) or the participant id a coach's tile shows. */
  key: string;
  firstFrameAt: number | undefined;
  /** Frames presented (requestVideoFrameCallback) since the phase mark. */
  framesSinceMark: number;
  /** ms the video had frames since the phase mark (from the later of the mark and its first frame). */
  msSinceMark: number;
  /** The decoder's frame counter went back (the player was reloaded). */
  counterResets: number;
  /** `videoWidth` read 0 after the first frame. */
  zeroWidth: number;
  /** The load algorithm ran again after the first frame (`loadstart`/`emptied`). */
  reloads: number;
  /** The <video> was replaced by another element after the first frame. */
  replaced: number;
  /** The stream bound to it changed after the first frame. */
  sourceChanges: number;
  width: number;
  height: number;
}

// Installed as source text: tsx would wrap the named callbacks in a helper the page lacks.
// Watches every remote <video> in the room's shadow root: a coach's tiles (data-view-of) and a
// member's coach video. Sampled every 100 ms; frames are counted per element as presented.
const MONITOR_SOURCE = `(() => {
  if (window.__steady) return;
  const records = new Map();
  const byEl = new WeakMap();
  let markAt = performance.now();
  const keyOf = (v) => v.dataset.testid === 'coach-video' ? 'coach' : v.dataset.viewOf;
  const track = (v) => {
    if (byEl.has(v)) return;
    const key = keyOf(v);
    let r = records.get(key);
    if (!r) {
      r = { key, firstFrameAt: undefined, framesSinceMark: 0, counterResets: 0, zeroWidth: 0, reloads: 0, replaced: 0, sourceChanges: 0, lastTotal: 0, el: v, src: v.srcObject, width: 0, height: 0 };
      records.set(key, r);
    } else if (r.el !== v) {
      if (r.firstFrameAt !== undefined) r.replaced++;
      r.el = v; r.src = v.srcObject; r.lastTotal = 0;
    }
    byEl.set(v, r);
    const onLoad = () => { if (r.firstFrameAt !== undefined && r.el === v) r.reloads++; };
    v.addEventListener('loadstart', onLoad);
    v.addEventListener('emptied', onLoad);
    const tick = (now, meta) => {
      if (!v.isConnected) return;
      if (r.el === v) {
        if (r.firstFrameAt === undefined) r.firstFrameAt = now;
        r.framesSinceMark++;
        if (meta && meta.width) { r.width = meta.width; r.height = meta.height; }
      }
      v.requestVideoFrameCallback(tick);
    };
    v.requestVideoFrameCallback(tick);
  };
  const scan = () => {
    const root = document.querySelector('fit-class-room')?.shadowRoot;
    if (!root) return;
    for (const v of root.querySelectorAll('video[data-view-of]')) track(v);
    for (const r of records.values()) {
      const v = r.el;
      if (!v.isConnected || r.firstFrameAt === undefined) continue;
      if (v.srcObject !== r.src) { r.sourceChanges++; r.src = v.srcObject; }
      const total = v.getVideoPlaybackQuality().totalVideoFrames;
      if (total < r.lastTotal) r.counterResets++;
      r.lastTotal = total;
      if (v.videoWidth === 0) r.zeroWidth++;
    }
  };
  setInterval(scan, 100);
  window.__steady = {
    mark() { markAt = performance.now(); for (const r of records.values()) r.framesSinceMark = 0; },
    snapshot() {
      const now = performance.now();
      return [...records.values()].map(({ el, src, lastTotal, ...r }) => ({ ...r, msSinceMark: r.firstFrameAt === undefined ? 0 : now - Math.max(markAt, r.firstFrameAt) }));
    },
  };
})()`;

/** Starts watching the page's remote videos for reloads and frame rate (idempotent). */
export async function installSteadyMonitor(page: Page): Promise<void> {
  await page.evaluate(MONITOR_SOURCE);
}

/** Starts a new measuring phase: frame counts restart from here. */
export async function markSteadyPhase(page: Page): Promise<void> {
  await page.evaluate('window.__steady.mark()');
}

export async function readSteady(page: Page): Promise<SteadyRecord[]> {
  return (await page.evaluate('window.__steady.snapshot()')) as SteadyRecord[];
}

/** Presented frames per second of a record over its phase. */
export const fpsOf = (r: SteadyRecord) => (r.msSinceMark > 0 ? (r.framesSinceMark * 1000) / r.msSinceMark : 0);
