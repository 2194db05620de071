import type { Movement } from '../../protocol/class-constants.js';
import type { PoseFrame } from './keypoints.js';
import { MOVEMENT_SPECS, personSeen, updateCalibration, visibility, type Calibration } from './movements.js';

/*
 * Counts reps from a stream of poses: per-movement signal → median-of-3 smoothing → a
 * hysteresis state machine (up → down → up is one rep). Pure and clock-free: time comes from
 * the frames, so recorded model output replays exactly in tests.
 */

export type Phase = 'up' | 'down' | 'unknown';

/** What the member should be told, as a key the element translates; null when all is well. */
export type PoseHint = 'no-person' | 'step-back' | 'calibrating';

export interface DetectorUpdate {
  /** Reps counted so far. */
  count: number;
  /** True on the frame that finished a rep. */
  counted: boolean;
  phase: Phase;
  hint: PoseHint | null;
  /** The smoothed signal (null while the body is not measurable). */
  signal: number | null;
}

export interface DetectorOptions {
  /** A gap without a measurable body longer than this forgets the half-done rep. */
  maxGapMs?: number;
  /** Two reps closer than this are one rep seen twice (jitter at a threshold). */
  minRepMs?: number;
  /** Stuck at the bottom this long: not a rep (sat down, camera moved); start again from there. */
  maxDownMs?: number;
  /** How long the body must be out of view before the hint shows. */
  hintAfterMs?: number;
}

const DEFAULTS: Required<DetectorOptions> = { maxGapMs: 1500, minRepMs: 450, maxDownMs: 12_000, hintAfterMs: 800 };

export class RepDetector {
  readonly movement: Movement;
  private readonly options: Required<DetectorOptions>;
  private phaseNow: Phase = 'unknown';
  private total = 0;
  private recent: number[] = [];
  private cal: Calibration = { hipTop: null, torso: null };
  private lastSeenAt: number | null = null;
  private lastFrameAt: number | null = null;
  private downSince = 0;
  private lastRepAt = -Infinity;
  private unseenSince: number | null = null;
  private seenSince: number | null = null;
  private lastHint: PoseHint | null = 'calibrating';
  private noPerson = false;

  constructor(movement: Movement, options: DetectorOptions = {}) {
    if (!(movement in MOVEMENT_SPECS)) throw new Error(`Unknown movement: ${movement}`);
    this.movement = movement;
    this.options = { ...DEFAULTS, ...options };
  }

  get count(): number {
    return this.total;
  }

  get phase(): Phase {
    return this.phaseNow;
  }

  /** Starts counting again from zero (keeps nothing of the body measured so far). */
  reset(): void {
    this.total = 0;
    this.phaseNow = 'unknown';
    this.recent = [];
    this.cal = { hipTop: null, torso: null };
    this.lastSeenAt = this.lastFrameAt = this.unseenSince = this.seenSince = null;
    this.lastRepAt = -Infinity;
    this.lastHint = 'calibrating';
  }

  push(frame: PoseFrame): DetectorUpdate {
    const spec = MOVEMENT_SPECS[this.movement];
    const t = frame.t;
    const dt = this.lastFrameAt === null ? 0 : Math.max(0, t - this.lastFrameAt);
    this.lastFrameAt = t;

    const seen = visibility(frame, this.movement) === 1;
    if (spec.usesBaseline && seen) updateCalibration(this.cal, frame, dt, this.phaseNow !== 'down');
    const raw = seen ? spec.signal(frame, this.cal) : null;

    if (raw === null || !Number.isFinite(raw)) {
      this.unseenSince ??= t;
      this.seenSince = null;
      this.noPerson = !personSeen(frame);
      // A long gap: the rep in progress cannot be trusted; wait for the top again.
      if (this.lastSeenAt !== null && t - this.lastSeenAt > this.options.maxGapMs) {
        this.phaseNow = 'unknown';
        this.recent = [];
      }
      return this.update(false, null, t);
    }

    if (this.lastSeenAt !== null && t - this.lastSeenAt > this.options.maxGapMs) this.recent = [];
    this.lastSeenAt = t;
    this.unseenSince = null;
    this.seenSince ??= t;
    this.recent.push(raw);
    if (this.recent.length > 3) this.recent.shift();
    const signal = median(this.recent);

    let counted = false;
    if (this.phaseNow === 'down') {
      if (signal <= spec.exit) {
        this.phaseNow = 'up';
        if (t - this.lastRepAt >= this.options.minRepMs) {
          this.total++;
          this.lastRepAt = t;
          counted = true;
        }
      } else if (t - this.downSince > this.options.maxDownMs) {
        // Not a rep: sat down, knelt, or the camera moved. Measure the standing height afresh.
        this.phaseNow = 'unknown';
        this.cal = { hipTop: null, torso: null };
        this.recent = [];
      }
    } else if (this.phaseNow === 'up') {
      if (signal >= spec.enter) {
        this.phaseNow = 'down';
        this.downSince = t;
      }
    } else if (signal <= spec.exit) {
      // From unknown, a rep starts only from the top: a body first seen at the bottom does
      // not count its way up.
      this.phaseNow = 'up';
    }
    return this.update(counted, signal, t);
  }

  private update(counted: boolean, signal: number | null, t: number): DetectorUpdate {
    let hint: PoseHint | null = null;
    if (this.unseenSince !== null && t - this.unseenSince >= this.options.hintAfterMs) hint = this.noPerson ? 'no-person' : 'step-back';
    else if (this.phaseNow === 'unknown' && this.unseenSince === null) hint = 'calibrating';
    else if (this.unseenSince !== null) hint = this.lastHint; // a brief dropout keeps what was shown
    this.lastHint = hint;
    return { count: this.total, counted, phase: this.phaseNow, hint, signal };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
