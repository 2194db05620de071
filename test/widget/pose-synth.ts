import { K, type Keypoint, type PoseFrame } from '../../widget/pose/keypoints.js';

/*
 * Synthetic pose series for the counting core: a stick figure in pixels, posed by a few
 * parameters per frame, with seeded noise and dropped keypoints. Not a model's output (the
 * recorded fixtures are); this exercises the edges the model rarely gives on cue.
 */

export interface Pose {
  /** Hips (and everything above them) lowered by this many torso lengths. */
  drop?: number;
  /** Wrists above the shoulders by this many torso lengths (negative: below, by the hips). */
  arms?: number;
  /** Side-view push-up: elbow angle in degrees (180 straight). */
  elbow?: number;
}

export interface SynthOptions {
  fps?: number;
  /** Torso length in pixels (distance from the camera). */
  torso?: number;
  /** Where the hips are when standing (pixels). */
  hipX?: number;
  hipY?: number;
  /** Gaussian-ish noise on every coordinate, pixels. */
  noise?: number;
  seed?: number;
  /** Keypoints to hide (score 0.05) in a time window [fromMs, toMs). */
  hide?: Array<{ from: number; to: number; keypoints?: number[] }>;
}

const W = 640;
const H = 480;

/** mulberry32: small, seeded, good enough for test noise. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Keypoints (pixels) of a figure facing the camera, or side-on for a push-up. */
function figure(pose: Pose, torso: number, hipX: number, hipY: number): Array<[number, number]> {
  const pts: Array<[number, number]> = new Array(17).fill([0, 0]);
  if (pose.elbow !== undefined) {
    // Side view on the floor: wrists planted under the shoulders, upper arm = forearm.
    const arm = torso * 0.5;
    const wrist: [number, number] = [hipX - torso, hipY + torso * 0.6];
    const reach = 2 * arm * Math.sin(((pose.elbow / 2) * Math.PI) / 180);
    const shoulder: [number, number] = [wrist[0], wrist[1] - reach];
    const elbow: [number, number] = [wrist[0] + arm * Math.cos(((pose.elbow / 2) * Math.PI) / 180), wrist[1] - reach / 2];
    const hip: [number, number] = [shoulder[0] + torso, shoulder[1] + torso * 0.2];
    const ankle: [number, number] = [hip[0] + torso * 1.6, wrist[1]];
    const knee: [number, number] = [(hip[0] + ankle[0]) / 2, (hip[1] + ankle[1]) / 2];
    const head: [number, number] = [shoulder[0] - torso * 0.3, shoulder[1] - torso * 0.1];
    for (const i of [K.nose, K.left_eye, K.right_eye, K.left_ear, K.right_ear]) pts[i] = head;
    pts[K.left_shoulder] = pts[K.right_shoulder] = shoulder;
    pts[K.left_elbow] = pts[K.right_elbow] = elbow;
    pts[K.left_wrist] = pts[K.right_wrist] = wrist;
    pts[K.left_hip] = pts[K.right_hip] = hip;
    pts[K.left_knee] = pts[K.right_knee] = knee;
    pts[K.left_ankle] = pts[K.right_ankle] = ankle;
    return pts;
  }
  const drop = (pose.drop ?? 0) * torso;
  const hy = hipY + drop;
  const sy = hy - torso;
  const half = torso * 0.35;
  const arms = pose.arms ?? -0.9;
  const wristY = sy - arms * torso;
  const elbowY = (sy + wristY) / 2;
  const spread = torso * (0.5 + 0.4 * Math.max(0, arms));
  pts[K.nose] = [hipX, sy - torso * 0.45];
  pts[K.left_eye] = [hipX + torso * 0.08, sy - torso * 0.52];
  pts[K.right_eye] = [hipX - torso * 0.08, sy - torso * 0.52];
  pts[K.left_ear] = [hipX + torso * 0.16, sy - torso * 0.48];
  pts[K.right_ear] = [hipX - torso * 0.16, sy - torso * 0.48];
  pts[K.left_shoulder] = [hipX + half, sy];
  pts[K.right_shoulder] = [hipX - half, sy];
  pts[K.left_elbow] = [hipX + half + spread / 2, elbowY];
  pts[K.right_elbow] = [hipX - half - spread / 2, elbowY];
  pts[K.left_wrist] = [hipX + half + spread, wristY];
  pts[K.right_wrist] = [hipX - half - spread, wristY];
  pts[K.left_hip] = [hipX + half * 0.7, hy];
  pts[K.right_hip] = [hipX - half * 0.7, hy];
  // Feet stay planted; knees go forward and take up the drop.
  const ankleY = hipY + torso * 1.7;
  pts[K.left_knee] = [hipX + half, (hy + ankleY) / 2];
  pts[K.right_knee] = [hipX - half, (hy + ankleY) / 2];
  pts[K.left_ankle] = [hipX + half, ankleY];
  pts[K.right_ankle] = [hipX - half, ankleY];
  return pts;
}

/** Frames for `durationMs`, posed by `poseAt(tMs)`. */
export function synth(durationMs: number, poseAt: (t: number) => Pose, options: SynthOptions = {}): PoseFrame[] {
  const { fps = 15, torso = 110, hipX = W / 2, hipY = 250, noise = 2, seed = 1, hide = [] } = options;
  const random = rng(seed);
  const gauss = () => (random() + random() + random() - 1.5) * 2 * noise;
  const frames: PoseFrame[] = [];
  for (let t = 0; t < durationMs; t += 1000 / fps) {
    const pts = figure(poseAt(t), torso, hipX, hipY);
    const hidden = new Set(hide.filter((h) => t >= h.from && t < h.to).flatMap((h) => h.keypoints ?? pts.map((_, i) => i)));
    const keypoints: Keypoint[] = pts.map(([x, y], i) => ({
      x: Math.min(1, Math.max(0, (x + gauss()) / W)),
      y: Math.min(1, Math.max(0, (y + gauss()) / H)),
      score: hidden.has(i) ? 0.05 : 0.6 + random() * 0.3,
    }));
    frames.push({ keypoints, width: W, height: H, t: Math.round(t) });
  }
  return frames;
}

/** 0 at the top of each cycle, 1 at the bottom (a smooth rep). */
export const cycle = (t: number, periodMs: number, phaseMs = 0) => (1 - Math.cos((2 * Math.PI * (t - phaseMs)) / periodMs)) / 2;

/** A series of segments, each with its own pose function over its own clock. */
export function sequence(...segments: Array<{ ms: number; pose: (t: number) => Pose }>): (t: number) => Pose {
  return (t) => {
    let start = 0;
    for (const s of segments) {
      if (t < start + s.ms) return s.pose(t - start);
      start += s.ms;
    }
    return segments[segments.length - 1]!.pose(t - start);
  };
}

export { K };
