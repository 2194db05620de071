import { expect } from '@esm-bundle/chai';
import type { Movement } from '../../protocol/class-constants.js';
import type { PoseFrame } from '../../widget/pose/keypoints.js';
import { RepDetector, type DetectorOptions, type PoseHint } from '../../widget/pose/rep-detector.js';
import { K, cycle, sequence, synth } from './pose-synth.js';

/* The camera counting core on landmark time series: synthetic (noise, partial reps, pauses,
 * missing keypoints) here, and recorded from the real model at the end. Counts are exact. */

function run(movement: Movement, frames: PoseFrame[], options?: DetectorOptions) {
  const detector = new RepDetector(movement, options);
  const countedAt: number[] = [];
  const hints: Array<{ t: number; hint: PoseHint | null }> = [];
  for (const f of frames) {
    const u = detector.push(f);
    if (u.counted) countedAt.push(f.t);
    if (hints.at(-1)?.hint !== u.hint) hints.push({ t: f.t, hint: u.hint });
  }
  return { count: detector.count, countedAt, hints, detector };
}

const squats = (n: number, periodMs = 2000, depth = 0.9) => ({ ms: n * periodMs, pose: (t: number) => ({ drop: depth * cycle(t, periodMs) }) });
const stand = (ms: number) => ({ ms, pose: () => ({ drop: 0 }) });

describe('RepDetector: squats', () => {
  it('counts every full squat, with noise, once each', () => {
    const r = run('squat', synth(21_500, sequence(stand(1000), squats(10)), { noise: 3 }));
    expect(r.count).to.equal(10);
    // Each rep is counted on the way up, in its own cycle.
    r.countedAt.forEach((t, i) => expect(t).to.be.within(1000 + i * 2000 + 1000, 1000 + (i + 1) * 2000));
  });

  it('does not count partial reps (a quarter squat) and counts the full ones around them', () => {
    const pose = sequence(stand(1000), squats(3), squats(4, 2000, 0.3), squats(2));
    expect(run('squat', synth(20_000, pose, { noise: 3 })).count).to.equal(5);
  });

  it('keeps counting across pauses standing and a slow hold at the bottom', () => {
    const holdAtBottom = { ms: 5000, pose: (t: number) => ({ drop: t < 1000 ? 0.9 * cycle(t, 2000) : t < 4000 ? 0.9 : 0.9 * cycle(t - 3000, 2000) }) };
    const pose = sequence(stand(1000), squats(3), stand(5000), squats(2), holdAtBottom, stand(1000));
    expect(run('squat', synth(22_000, pose)).count).to.equal(6);
  });

  it('is the same at 7 frames a second (a slow device) and far from the camera', () => {
    const pose = sequence(stand(1000), squats(8));
    expect(run('squat', synth(17_000, pose, { fps: 7 })).count).to.equal(8);
    expect(run('squat', synth(17_000, pose, { torso: 45, noise: 1.5 })).count).to.equal(8);
  });

  it('rides out a short dropout of the hips mid-rep, and forgets a rep across a long one', () => {
    const pose = sequence(stand(1000), squats(6));
    const hips = [K.left_hip, K.right_hip];
    // 400 ms without hips around the bottom of rep 2: still counted.
    expect(run('squat', synth(13_000, pose, { hide: [{ from: 3700, to: 4100, keypoints: hips }] })).count).to.equal(6);
    // 3 s without anyone from the bottom of rep 2 to the middle of rep 3: rep 2 is not counted, rep 3 is not either (the figure came back mid-way down).
    expect(run('squat', synth(13_000, pose, { hide: [{ from: 4000, to: 7000 }] })).count).to.equal(4);
  });

  it('does not double count when the signal hovers at a threshold', () => {
    // Down past the bottom threshold, then shaky at the top threshold for a while.
    const shaky = { ms: 4000, pose: (t: number) => ({ drop: t < 1000 ? 0.9 * cycle(t, 2000) : 0.15 + 0.04 * Math.sin(t / 40) }) };
    const r = run('squat', synth(8000, sequence(stand(1000), shaky, stand(3000)), { noise: 3 }));
    expect(r.count).to.equal(1);
  });

  it('a member who steps back between sets is re-measured and counted', () => {
    const near = synth(9000, sequence(stand(1000), squats(4)), { torso: 110, hipY: 250 });
    const far = synth(11_000, sequence(stand(3000), squats(4)), { torso: 70, hipY: 210, seed: 2 }).map((f) => ({ ...f, t: f.t + 9000 }));
    expect(run('squat', [...near, ...far]).count).to.equal(8);
  });

  it('sitting down is not a rep, and counting resumes after', () => {
    const sit = { ms: 15_000, pose: (t: number) => ({ drop: Math.min(1, t / 1000) * 0.9 }) };
    const getUp = { ms: 1000, pose: (t: number) => ({ drop: 0.9 * (1 - t / 1000) }) };
    const pose = sequence(stand(1000), squats(2), sit, getUp, stand(2000), squats(3));
    expect(run('squat', synth(29_500, pose)).count).to.equal(5);
  });

  it('a body first seen at the bottom does not count its way up', () => {
    const fromBottom = { ms: 1000, pose: (t: number) => ({ drop: 0.9 * (1 - t / 1000) }) };
    expect(run('squat', synth(7000, sequence(fromBottom, squats(3)))).count).to.equal(3);
  });
});

describe('RepDetector: other movements', () => {
  it('counts jumping jacks by the arms, legs cropped or not', () => {
    const jacks = (t: number) => ({ arms: -0.9 + 2 * cycle(t, 1000) });
    expect(run('jumping-jack', synth(12_000, sequence(stand(1000), { ms: 11_000, pose: jacks }), { noise: 3 })).count).to.equal(11);
    const feet = [K.left_ankle, K.right_ankle, K.left_knee, K.right_knee];
    expect(run('jumping-jack', synth(12_000, sequence(stand(1000), { ms: 11_000, pose: jacks }), { hide: [{ from: 0, to: 12_000, keypoints: feet }] })).count).to.equal(11);
    // Arms only to shoulder height: not a jumping jack.
    expect(run('jumping-jack', synth(6000, (t) => ({ arms: -0.9 + 0.9 * cycle(t, 1000) }))).count).to.equal(0);
  });

  it('counts push-ups by the elbow angle, not half ones', () => {
    const pushUps = (n: number, bottom: number) => ({ ms: n * 2500, pose: (t: number) => ({ elbow: 175 - (175 - bottom) * cycle(t, 2500) }) });
    const top = { ms: 1000, pose: () => ({ elbow: 175 }) };
    expect(run('push-up', synth(22_000, sequence(top, pushUps(8, 80)), { noise: 2 })).count).to.equal(8);
    expect(run('push-up', synth(13_500, sequence(top, pushUps(3, 80), pushUps(2, 140)))).count).to.equal(3);
  });

  it('counts lunges (a smaller hip drop than a squat)', () => {
    expect(run('lunge', synth(15_000, sequence(stand(1000), squats(6, 2200, 0.55)), { noise: 2 })).count).to.equal(6);
  });
});

describe('RepDetector: hints', () => {
  it('asks to step back when the hips leave the frame, and says when nobody is there', () => {
    const hips = [K.left_hip, K.right_hip, K.left_knee, K.right_knee, K.left_ankle, K.right_ankle];
    const r = run('squat', synth(9000, stand(9000).pose, { hide: [{ from: 2000, to: 4000, keypoints: hips }, { from: 6000, to: 8000 }] }));
    const at = (t: number) => [...r.hints].reverse().find((h) => h.t <= t)?.hint ?? null;
    expect(at(100)).to.equal(null); // measured at once: standing is the top
    expect(at(2300)).to.equal(null); // a short dropout is ridden out
    expect(at(3500)).to.equal('step-back');
    expect(at(5000)).to.equal(null);
    expect(at(7500)).to.equal('no-person');
    expect(at(8800)).to.equal(null);
  });

  it('rejects an unknown movement', () => {
    expect(() => new RepDetector('burpee' as Movement)).to.throw(/Unknown movement/);
  });
});

describe('RepDetector on recorded model output', () => {
  // Real MoveNet output (test/support/record-pose-fixture.ts): a public-domain photo moved down
  // and up by about a torso length in front of Chromium's fake camera; each .meta.json says how.
  for (const name of ['bob-2s', 'bob-2s-pause']) {
    it(`${name}: counts exactly the recorded cycles as squats`, async () => {
      const frames = (await (await fetch(`/test/fixtures/pose/${name}.json`)).json()) as PoseFrame[];
      const meta = (await (await fetch(`/test/fixtures/pose/${name}.meta.json`)).json()) as { expectedCycles: number };
      const r = run('squat', frames);
      expect(r.count).to.equal(meta.expectedCycles);
      // No double counts: reps are at least most of a period apart.
      r.countedAt.slice(1).forEach((t, i) => expect(t - r.countedAt[i]!).to.be.greaterThan(1500));
      // Lunges (a smaller drop) count them too; push-ups and jumping jacks (arms) do not.
      expect(run('lunge', frames).count).to.equal(meta.expectedCycles);
      expect(run('jumping-jack', frames).count).to.equal(0);
    });
  }

  it('bob-2s at half the frame rate (a slow device) still counts every cycle', async () => {
    const frames = (await (await fetch('/test/fixtures/pose/bob-2s.json')).json()) as PoseFrame[];
    expect(run('squat', frames.filter((_, i) => i % 2 === 0)).count).to.equal(5);
  });
});
