/*
 * The 17 body keypoints a single-person pose model (MoveNet) reports, in its order (COCO).
 * Positions are normalised to the frame: x and y in 0..1 from the top-left, `score` 0..1.
 * DOM-free: shared by the counting core, the model runtime and the tests.
 */

export const KEYPOINTS = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;

export type KeypointName = (typeof KEYPOINTS)[number];

/** Index of each keypoint in a pose's `keypoints` array. */
export const K = Object.fromEntries(KEYPOINTS.map((name, i) => [name, i])) as Record<KeypointName, number>;

export interface Keypoint {
  /** 0..1 across the frame, left to right as the camera sees it. */
  x: number;
  /** 0..1 down the frame. */
  y: number;
  /** The model's confidence, 0..1. */
  score: number;
}

/** One frame's pose: 17 keypoints in KEYPOINTS order, the frame's size in pixels, and when. */
export interface PoseFrame {
  keypoints: Keypoint[];
  /** Frame width/height in pixels (x and y are fractions of these; angles need the aspect). */
  width: number;
  height: number;
  /** Milliseconds (performance.now() of the capture, or the fixture's clock). */
  t: number;
}

/** A keypoint counts as seen at or above this score (MoveNet's own demos use 0.3). */
export const MIN_KEYPOINT_SCORE = 0.3;
