// Stories for <fit-rep-counter>: on its own it waits for a class; inside (or attached to) a
// class room it counts toward the member's current exercise. Driven by the mock room model.
import '../widget/index.js';
import { liveRoom } from './mock-room.js';

export default {
  title: 'Elements/fit-rep-counter',
  component: 'fit-rep-counter',
};

type Counter = HTMLElement & { attachRoom(room: unknown): void };

function counter(style = ''): Counter {
  const el = document.createElement('fit-rep-counter') as Counter;
  if (style) el.setAttribute('style', style);
  return el;
}

/** Not in a class yet: the button waits, disabled. */
export const Waiting = { render: () => counter() };

/** In class as a member: the count toward the current card's target (7 of 15 air squats). */
export const Counting = {
  render: () => {
    const el = counter();
    el.attachRoom(liveRoom('member'));
    return el;
  },
};

/** Themed through custom properties: size, accent and the text on it. */
export const Themed = {
  render: () => {
    const el = counter('--fit-rep-size:180px;--fit-accent:#1d4ed8;--fit-on-accent:#fff;--fit-fg:#0f172a');
    el.attachRoom(liveRoom('member'));
    return el;
  },
};

/** Light theme (`theme="light"`), on a light page. */
export const Light = {
  render: () => {
    const wrap = document.createElement('div');
    wrap.style.cssText = 'background:#fff;padding:16px';
    const el = counter();
    el.setAttribute('theme', 'light');
    el.attachRoom(liveRoom('member'));
    wrap.append(el);
    return wrap;
  },
};

// Camera counting, with a stand-in for the pose model that replays a synthetic body (the real
// model is a chunk of the built bundle; see docs/camera-counting.md).
import { setPoseEstimatorLoader } from '../widget/pose/camera-counter.js';
import { cycle, synth } from '../test/widget/pose-synth.js';

function standIn(frames: ReturnType<typeof synth>) {
  setPoseEstimatorLoader(async () => {
    let i = 0;
    const t0 = performance.now();
    return {
      inWorker: true,
      backend: 'stand-in',
      estimate: async () => ({ ...frames[i++ % frames.length]!, t: performance.now() - t0 }),
      dispose: () => undefined,
    };
  });
}

/** `auto exercise="squat"` without a class (practice): the camera counts a squat every 1.6 s. */
export const CameraCounting = {
  render: () => {
    standIn(synth(16_000, (t) => ({ drop: 0.9 * cycle(t, 1600) })));
    const el = counter();
    el.setAttribute('auto', '');
    el.setAttribute('exercise', 'squat');
    return onDark(el);
  },
};

/** Camera counting when the member's hips leave the frame: the hint asks them to step back. */
export const CameraStepBack = {
  render: () => {
    standIn(synth(120_000, () => ({ drop: 0 }), { hide: [{ from: 500, to: 120_000, keypoints: [11, 12, 13, 14, 15, 16] }] }));
    const el = counter();
    el.setAttribute('auto', '');
    el.setAttribute('exercise', 'squat');
    return onDark(el);
  },
};

/** The dark theme's text is meant for a dark page (as inside the class room). */
function onDark(el: HTMLElement): HTMLElement {
  const wrap = document.createElement('div');
  wrap.style.cssText = 'background:#111418;padding:16px;display:inline-block';
  wrap.append(el);
  return wrap;
}
