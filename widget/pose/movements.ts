import type { Movement } from '../../protocol/class-constants.js';
import { K, MIN_KEYPOINT_SCORE, type PoseFrame } from './keypoints.js';

/*
 * Per-movement signals from one frame's keypoints. Each signal grows as the body goes into the
 * working position (the bottom of a squat, arms up in a jumping jack) and is scale-free: lengths
 * are in torso lengths or angles, so distance from the camera does not matter. Pure.
 */

interface Point {
  x: number;
  y: number;
  score: number;
}

/** What a signal may keep between frames (the standing hip height for squats and lunges). */
export interface Calibration {
  /** Highest hip position seen lately (pixels; smaller y = higher), drifting down slowly. */
  hipTop: number | null;
  /** Torso length when standing (pixels). */
  torso: number | null;
}

export interface MovementSpec {
  /** Keypoints that must be seen to measure the movement (one side is enough where paired). */
  required: readonly (readonly number[])[];
  /** Signal value that puts the body in the working position… */
  enter: number;
  /** …and the value it must come back under to finish the rep (hysteresis: exit < enter). */
  exit: number;
  /** Whether the signal needs the standing baseline (hip drop). */
  usesBaseline: boolean;
  signal(frame: PoseFrame, cal: Calibration): number | null;
}

function point(frame: PoseFrame, index: number): Point | null {
  const k = frame.keypoints[index];
  return k && k.score >= MIN_KEYPOINT_SCORE ? { x: k.x * frame.width, y: k.y * frame.height, score: k.score } : null;
}

/** Midpoint of a left/right pair, or the one side that is seen. */
function pair(frame: PoseFrame, left: number, right: number): Point | null {
  const l = point(frame, left);
  const r = point(frame, right);
  if (l && r) return { x: (l.x + r.x) / 2, y: (l.y + r.y) / 2, score: Math.min(l.score, r.score) };
  return l ?? r;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** Angle ABC in degrees. */
function angle(a: Point, b: Point, c: Point): number {
  const v1x = a.x - b.x;
  const v1y = a.y - b.y;
  const v2x = c.x - b.x;
  const v2y = c.y - b.y;
  const cos = (v1x * v2x + v1y * v2y) / (Math.hypot(v1x, v1y) * Math.hypot(v2x, v2y) || 1);
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

/** Distance between shoulders' and hips' midpoints, the body's own ruler. */
export function torsoLength(frame: PoseFrame): number | null {
  const shoulders = pair(frame, K.left_shoulder, K.right_shoulder);
  const hips = pair(frame, K.left_hip, K.right_hip);
  return shoulders && hips ? dist(shoulders, hips) : null;
}

/** The hips' drop below their standing height, in standing torso lengths. */
function hipDrop(frame: PoseFrame, cal: Calibration): number | null {
  const hips = pair(frame, K.left_hip, K.right_hip);
  if (!hips || cal.hipTop === null || !cal.torso) return null;
  return (hips.y - cal.hipTop) / cal.torso;
}

/** Elbow bend of the better-seen arm: 0 straight, 1 at a right angle. */
function elbowBend(frame: PoseFrame): number | null {
  const sides = [
    [K.left_shoulder, K.left_elbow, K.left_wrist],
    [K.right_shoulder, K.right_elbow, K.right_wrist],
  ].map((ids) => ids.map((i) => point(frame, i)));
  const seen = sides.filter((s): s is [Point, Point, Point] => s.every(Boolean));
  if (!seen.length) return null;
  const best = seen.reduce((a, b) => (a[0].score + a[1].score + a[2].score >= b[0].score + b[1].score + b[2].score ? a : b));
  return (180 - angle(best[0], best[1], best[2])) / 90;
}

/** How high the wrists are above the shoulders, in torso lengths (negative: below). */
function armsUp(frame: PoseFrame): number | null {
  const shoulders = pair(frame, K.left_shoulder, K.right_shoulder);
  const wrists = pair(frame, K.left_wrist, K.right_wrist);
  const torso = torsoLength(frame);
  if (!shoulders || !wrists || !torso) return null;
  return (shoulders.y - wrists.y) / torso;
}

const SHOULDERS = [K.left_shoulder, K.right_shoulder] as const;
const HIPS = [K.left_hip, K.right_hip] as const;

export const MOVEMENT_SPECS: Record<Movement, MovementSpec> = {
  // A squat drops the hips by most of a torso length; a quarter squat is ~0.3. Hip drop rather
  // than knee angle: knees and ankles are often out of a living-room camera's frame.
  squat: { required: [SHOULDERS, HIPS], enter: 0.4, exit: 0.15, usesBaseline: true, signal: hipDrop },
  // A lunge drops the hips less than a squat.
  lunge: { required: [SHOULDERS, HIPS], enter: 0.3, exit: 0.12, usesBaseline: true, signal: hipDrop },
  // Elbows near a right angle at the bottom, straight at the top (side or front view).
  'push-up': {
    required: [SHOULDERS, [K.left_elbow, K.right_elbow], [K.left_wrist, K.right_wrist]],
    enter: 0.7,
    exit: 0.35,
    usesBaseline: false,
    signal: (frame) => elbowBend(frame),
  },
  // Arms: wrists well above the shoulders when open, down by the hips when closed. Legs are
  // left out: feet are the first thing a camera crops.
  'jumping-jack': {
    required: [SHOULDERS, HIPS, [K.left_wrist, K.right_wrist]],
    enter: 0.35,
    exit: -0.2,
    usesBaseline: false,
    signal: (frame) => armsUp(frame),
  },
};

/** Updates the standing baseline from a frame (hips' highest point drifts down slowly). */
export function updateCalibration(cal: Calibration, frame: PoseFrame, dtMs: number, standing: boolean): void {
  const hips = pair(frame, K.left_hip, K.right_hip);
  const torso = torsoLength(frame);
  if (!hips || !torso) return;
  if (cal.hipTop === null || cal.torso === null) {
    cal.hipTop = hips.y;
    cal.torso = torso;
    return;
  }
  if (!standing) return;
  // Follow the hips up at once; let the top sink by 5 % of a torso a second so a member who
  // moves back or forward is re-measured within seconds.
  cal.hipTop = Math.min(hips.y, cal.hipTop + (0.05 * cal.torso * dtMs) / 1000);
  // The standing torso length: a slow average over standing frames.
  cal.torso += (torso - cal.torso) * Math.min(1, dtMs / 1000);
}

/** Share of the movement's required keypoint groups seen in this frame (0..1). */
export function visibility(frame: PoseFrame, movement: Movement): number {
  const { required } = MOVEMENT_SPECS[movement];
  return required.filter((group) => group.some((i) => point(frame, i))).length / required.length;
}

/** Whether anything that looks like a person is in the frame. */
export function personSeen(frame: PoseFrame): boolean {
  return frame.keypoints.filter((k) => k.score >= MIN_KEYPOINT_SCORE).length >= 5;
}
