import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import type { FitClassRoom } from '../../widget/index.js';
import type { PoseFrame } from '../../widget/pose/keypoints.js';
import { setPoseEstimatorLoader, type PoseEstimatorLike } from '../../widget/pose/camera-counter.js';
import { backendUrl, byTestId, mount, nextEvent, token, until, mountCounter } from './helpers.js';
import { cycle, sequence, synth } from './pose-synth.js';

/*
 * <fit-rep-counter> counting with the camera: the element, the camera (Chromium's fake device),
 * the detector, the class's synced rep path and the coach's switch are real; the pose model is
 * a stand-in replaying synthetic poses (the real model runs in test/e2e/pose-model.test.ts and
 * test/e2e/camera-counting.test.ts, from the built bundle).
 */

/** Replays `frames` one per call, then the last pose standing; counts the frames it saw. */
function replay(frames: PoseFrame[]): PoseEstimatorLike & { calls: number; sawVideo: boolean } {
  let i = 0;
  const t0 = performance.now();
  return {
    inWorker: false,
    backend: 'stand-in',
    calls: 0,
    sawVideo: false,
    async estimate(source: HTMLVideoElement) {
      this.calls++;
      this.sawVideo ||= source.videoWidth > 0;
      const f = frames[Math.min(i++, frames.length - 1)]!;
      return { ...f, t: performance.now() - t0 };
    },
    dispose() {},
  };
}

const squats = (n: number) => synth(1000 + n * 1200 + 1000, sequence({ ms: 1000, pose: () => ({ drop: 0 }) }, { ms: n * 1200, pose: (t) => ({ drop: 0.9 * cycle(t, 1200) }) }, { ms: 1000, pose: () => ({ drop: 0 }) }));

const counter = mountCounter;

const shown = (el: Element) => el.shadowRoot!.querySelector('[data-testid="rep-count"]')!.textContent!.trim();

afterEach(() => {
  for (const el of document.querySelectorAll('fit-class-room, fit-rep-counter')) el.remove();
  setPoseEstimatorLoader(undefined);
  localStorage.removeItem('fitlive:camera-counting');
});

describe('<fit-rep-counter auto>: camera counting', () => {
  it('practice (no class): counts squats from the camera, asks to step back, takes one back, and the member can opt out', async () => {
    const model = replay(squats(3));
    setPoseEstimatorLoader(async () => model);
    const reps: Array<{ count: number; source: string }> = [];
    const el = await counter({ auto: '', exercise: 'squat' });
    el.addEventListener('fit-rep', (e) => reps.push((e as CustomEvent).detail));
    await until(() => byTestId(el, 'camera-counting')?.dataset.status === 'running', 10_000, 'camera counting running');
    expect(byTestId(el, 'camera-status')!.textContent).to.match(/Counting squats with your camera/);
    expect(el.shadowRoot!.textContent).to.match(/Video stays on this device/);
    await until(() => shown(el) === '3', 15_000, 'three squats counted');
    expect(model.sawVideo, 'the model was given real camera frames').to.equal(true);
    expect(reps.map((r) => r.source)).to.deep.equal(['camera', 'camera', 'camera']);
    // A tap adds one the camera missed; −1 takes one back.
    await el.tap();
    expect(shown(el)).to.equal('4');
    byTestId(el, 'rep-undo')!.click();
    await until(() => shown(el) === '3', 2000, 'one taken back');
    // Opting out stops the camera and is remembered.
    byTestId(el, 'camera-toggle')!.click();
    await until(() => byTestId(el, 'camera-counting')?.dataset.status === 'opted-out', 2000, 'opted out');
    expect(localStorage.getItem('fitlive:camera-counting')).to.equal('off');
    const calls = model.calls;
    await new Promise((r) => setTimeout(r, 500));
    expect(model.calls).to.equal(calls, 'no frames go to the model after opting out');
  });

  it('tells the member to step back when their body leaves the frame', async () => {
    const hips = [11, 12, 13, 14, 15, 16];
    setPoseEstimatorLoader(async () => replay(synth(8000, () => ({ drop: 0 }), { hide: [{ from: 700, to: 8000, keypoints: hips }] })));
    const el = await counter({ auto: '', exercise: 'squat', lang: 'es' });
    await until(() => byTestId(el, 'camera-hint')?.dataset.hint === 'step-back', 10_000, 'step-back hint');
    expect(byTestId(el, 'camera-hint')!.textContent).to.match(/Aléjate un poco/);
  });

  it('says so when the model cannot load, and taps still count', async () => {
    setPoseEstimatorLoader(() => Promise.reject(new Error('no wasm here')));
    const errors: Array<{ code: string }> = [];
    const el = await counter({ auto: '', exercise: 'push-up' });
    el.addEventListener('fit-error', (e) => errors.push((e as CustomEvent).detail));
    await until(() => byTestId(el, 'camera-counting')?.dataset.status === 'error', 10_000, 'error shown');
    expect(errors[0]?.code).to.equal('pose_model_failed');
    await el.tap();
    expect(shown(el)).to.equal('1');
  });

  it('in a class: the coach turns it on for everyone; camera reps reach the coach marked as camera-counted', async () => {
    setPoseEstimatorLoader(async () => replay(squats(2)));
    const coach: FitClassRoom = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: await token('coach', 'Coach Camera') });
    await coach.join();
    const member: FitClassRoom = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: await token('member', 'Cam Member') });
    await member.join();
    const inner = await until(() => member.shadowRoot!.querySelector('fit-rep-counter'), 10_000, 'counter in the room');
    const memberId = member.room!.state.self!.id;
    expect(byTestId(inner, 'camera-counting'), 'nothing about the camera until the coach turns it on').to.equal(null);

    // The coach, in their controls: show the plan's first exercise to everyone, then 📷 → squats.
    byTestId(coach, 'show-exercise')!.click();
    const exerciseId = coach.room!.fitness.state!.plan[0]!.id;
    await until(() => member.room!.fitness.currentExerciseId(memberId) === exerciseId, 5000, 'the member on the first exercise');
    const counted = nextEvent<{ source: string }>(inner, 'fit-rep');
    const autoCount = byTestId(coach, 'auto-count') as HTMLSelectElement;
    autoCount.value = 'squat';
    autoCount.dispatchEvent(new Event('change'));
    await until(() => byTestId(inner, 'camera-counting')?.dataset.status === 'running', 10_000, 'member counting with the camera');
    expect((await counted).detail.source).to.equal('camera');
    await until(() => coach.room!.fitness.state?.participants[memberId]?.cameraReps?.[exerciseId] === 2, 15_000, 'coach sees two camera reps');
    expect(coach.room!.fitness.currentReps(memberId)).to.be.at.least(2);
    // On the coach's tile: the reps, marked as camera-counted.
    const coachTileReps = () => coach.shadowRoot!.querySelector<HTMLElement>(`[data-testid="participant-tile"][data-participant-id="${memberId}"] [data-testid="tile-reps"]`);
    await until(() => coachTileReps()?.dataset.camera === '2', 5000, 'the coach’s tile marks two camera reps');
    expect(coachTileReps()!.title).to.match(/2 counted by camera/);
    // The member takes one back with −1: the server takes back a camera rep, the coach sees it.
    const before = coach.room!.fitness.currentReps(memberId);
    byTestId(inner, 'rep-undo')!.click();
    await until(() => coach.room!.fitness.currentReps(memberId) === before - 1, 5000, 'the coach sees one rep fewer');
    expect(coach.room!.fitness.state?.participants[memberId]?.cameraReps?.[exerciseId]).to.equal(1);

    // The member turns their camera off: counting does not turn it back on, and says why.
    await member.room!.setCameraOff(true);
    await until(() => byTestId(inner, 'camera-counting')?.dataset.status === 'camera-off', 5000, 'camera-off status');
    expect(byTestId(inner, 'camera-status')!.textContent).to.match(/Turn your camera on to count squats/);
    await member.room!.setCameraOff(false);
    await until(() => byTestId(inner, 'camera-counting')?.dataset.status === 'running', 10_000, 'counting again with the camera back on');

    // The coach turns it off: the member's camera stops counting.
    autoCount.value = '';
    autoCount.dispatchEvent(new Event('change'));
    await until(() => !byTestId(inner, 'camera-counting'), 5000, 'camera counting gone');
    await member.leave();
    await coach.leave();
  });
});
