import { expect } from '@esm-bundle/chai';
import { ADAPT, adapt, classifySample, effectiveView, initialAdapt, layerForHeight, type AdaptSample, type AdaptState } from '../../widget/room/adaptation.js';

/* The receive-side adaptation as a state machine: samples over (simulated) time in, decisions out. */

const GOOD: Omit<AdaptSample, 'at'> = { lossPct: 0, rttMs: 40, fps: 30, freezes: 0 };
const BAD: Omit<AdaptSample, 'at'> = { lossPct: 25, rttMs: 400, fps: 3, freezes: 2 };
const OK: Omit<AdaptSample, 'at'> = { lossPct: 4, rttMs: 100, fps: 20 };

/** Feeds one sample every `every` ms from `from`; returns the states after each. */
function run(state: AdaptState, samples: Array<Omit<AdaptSample, 'at'>>, from: number, every = 2000): AdaptState[] {
  const out: AdaptState[] = [];
  samples.forEach((s, i) => out.push((state = adapt(state, { ...s, at: from + i * every }))));
  return out;
}
const times = <T>(n: number, x: T) => Array.from({ length: n }, () => x);
const last = <T>(xs: T[]) => xs[xs.length - 1]!;

describe('adaptation: samples', () => {
  it('classifies loss, RTT, slow video and a low path estimate as bad; freezes only stop stepping up', () => {
    expect(classifySample({ at: 0, ...GOOD })).to.equal('good');
    expect(classifySample({ at: 0 })).to.equal('good');
    expect(classifySample({ at: 0, lossPct: ADAPT.badLossPct })).to.equal('bad');
    expect(classifySample({ at: 0, rttMs: ADAPT.badRttMs })).to.equal('bad');
    expect(classifySample({ at: 0, fps: ADAPT.badFps - 1, freezes: 1 })).to.equal('bad');
    // Slow but smooth video is the sender's doing as often as ours: not a reason to drop it.
    expect(classifySample({ at: 0, fps: ADAPT.badFps - 1, freezes: 0 })).to.not.equal('bad');
    expect(classifySample({ at: 0, availableKbps: ADAPT.badAvailableKbps - 1 })).to.equal('bad');
    expect(classifySample({ at: 0, freezes: 1 })).to.equal('ok');
    expect(classifySample({ at: 0, ...OK })).to.equal('ok');
  });
});

describe('adaptation: the state machine', () => {
  it('drops one layer at a time, then to audio only, not faster than it can see the effect', () => {
    const start = initialAdapt(0);
    expect(start).to.include({ cap: 2, audioOnly: false });
    const states = run(start, times(12, BAD), 10_000);
    const caps = states.map((s) => (s.audioOnly ? 'audio' : s.cap));
    // Two bad samples per step; the first sample after a change is inside the settle time.
    expect(caps).to.deep.equal([2, 1, 1, 1, 0, 0, 0, 'audio', 'audio', 'audio', 'audio', 'audio']);
    expect(last(states).probeAt).to.equal(10_000 + 7 * 2000 + ADAPT.probeAfterMs);
  });

  it('one bad sample among good ones changes nothing', () => {
    const states = run(initialAdapt(0), [GOOD, BAD, GOOD, BAD, GOOD, OK, BAD, GOOD], 10_000);
    expect(states.every((s) => s.cap === 2 && !s.audioOnly)).to.equal(true);
  });

  it('probes the lowest layer after the wait, and steps up while it stays good', () => {
    let s = last(run(initialAdapt(0), times(8, BAD), 10_000));
    expect(s.audioOnly).to.equal(true);
    const probeAt = s.probeAt;
    // Good samples before the probe time keep audio only.
    s = adapt(s, { ...GOOD, at: probeAt - 1 });
    expect(s.audioOnly).to.equal(true);
    // A bad sample at the probe time waits for a better one.
    s = adapt(s, { ...BAD, at: probeAt });
    expect(s.audioOnly).to.equal(true);
    s = adapt(s, { ...GOOD, at: probeAt + 2000 });
    expect(s).to.include({ audioOnly: false, cap: 0, probing: true });
    const up = run(s, times(3 + 2 * ADAPT.upAfter, GOOD), probeAt + 4000);
    const caps = up.map((x) => x.cap);
    expect(up[ADAPT.probeConfirm - 1]!.probing, 'confirmed').to.equal(false);
    expect(caps.indexOf(1)).to.equal(ADAPT.probeConfirm - 1 + ADAPT.upAfter);
    expect(last(caps)).to.equal(2);
    expect(last(up).backoffMs, 'fully recovered: short probe wait again').to.equal(ADAPT.probeAfterMs);
  });

  it('a failed probe goes back to audio only and waits twice as long, up to a limit', () => {
    let s = last(run(initialAdapt(0), times(8, BAD), 10_000));
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const wentAt = s.lastChangeAt;
      waits.push(s.probeAt - wentAt);
      s = adapt(s, { ...GOOD, at: s.probeAt });
      expect(s.probing).to.equal(true);
      // Bad right after the probe starts: inside the settle time it is not held against it…
      s = adapt(s, { ...BAD, at: s.lastChangeAt + 1000 });
      expect(s.audioOnly).to.equal(false);
      // …after it, one bad sample ends the probe.
      s = adapt(s, { ...BAD, at: s.lastChangeAt + ADAPT.settleMs });
      expect(s.audioOnly).to.equal(true);
    }
    expect(waits).to.deep.equal([10_000, 20_000, 40_000, 80_000, 120_000, 120_000]);
  });

  it('"ok" samples hold the current step: neither down nor up', () => {
    const down = last(run(initialAdapt(0), times(2, BAD), 10_000));
    expect(down.cap).to.equal(1);
    const held = run(down, times(20, OK), 14_000);
    expect(held.every((x) => x.cap === 1 && !x.audioOnly)).to.equal(true);
  });
});

describe('adaptation: the view a consumer gets', () => {
  it('is the smaller of the tile layer and the cap; hidden or audio only pauses it', () => {
    expect(layerForHeight(120)).to.equal(0);
    expect(layerForHeight(360)).to.equal(1);
    expect(layerForHeight(720)).to.equal(2);
    expect(effectiveView({ visible: true, layer: 2 }, { cap: 1, audioOnly: false }, false)).to.deep.equal({ visible: true, spatialLayer: 1 });
    expect(effectiveView({ visible: true, layer: 0 }, { cap: 2, audioOnly: false }, false)).to.deep.equal({ visible: true, spatialLayer: 0 });
    expect(effectiveView({ visible: false, layer: 2 }, { cap: 2, audioOnly: false }, false).visible).to.equal(false);
    expect(effectiveView({ visible: true, layer: 2 }, { cap: 0, audioOnly: true }, false).visible).to.equal(false);
    expect(effectiveView({ visible: true, layer: 2 }, { cap: 2, audioOnly: false }, true).visible).to.equal(false);
  });
});
