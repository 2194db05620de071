import type { Movement } from '../../protocol/class-constants.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';
import { FitError } from '../room/fit-error.js';
import { describeMediaError } from '../room/local-media.js';
import type { PoseFrame } from './keypoints.js';
import type { PoseEstimator } from './pose-estimator.js';
import type { PoseHint, RepDetector } from './rep-detector.js';

/*
 * Camera counting in the member's browser: camera → pose model (a lazy chunk, in a Worker where
 * the browser allows) → RepDetector → one rep at a time to `onRep`. No video leaves the device:
 * frames go to the model and nowhere else. The model loads on the first start, never before.
 */

/** The model runtime (widget/pose/pose-estimator.ts; a type import: the chunk loads lazily). */
export type PoseEstimatorLike = PoseEstimator;

export type CameraCountStatus = 'off' | 'starting' | 'running' | 'error';

export interface CameraCountState {
  status: CameraCountStatus;
  movement: Movement | undefined;
  hint: PoseHint | null;
  /** Reps this run counted (the room's count is the server's). */
  count: number;
  /** Frames the model handled per second, lately. */
  fps: number;
  inferenceMs: number;
  inWorker: boolean;
  error: ErrorBody | undefined;
}

/** At most this many frames a second: reps are slower than 4 a second; more only costs battery. */
const MAX_FPS = 15;

let loaderOverride: (() => Promise<PoseEstimatorLike>) | undefined;

/**
 * Tests and stories: a stand-in for the pose model (the real one is a chunk of the built
 * bundle). Pass nothing to go back to the real model.
 */
export function setPoseEstimatorLoader(loader?: () => Promise<PoseEstimatorLike>): void {
  loaderOverride = loader;
  sharedEstimator = undefined;
}

// The one place the pose chunk is imported: nothing of it loads until counting starts.
const loadEstimator = (): Promise<PoseEstimatorLike> => (loaderOverride ? loaderOverride() : import('./pose-estimator.js').then((m) => m.createPoseEstimator()));

let sharedEstimator: Promise<PoseEstimatorLike> | undefined;

export class CameraCounter {
  state: CameraCountState = { status: 'off', movement: undefined, hint: null, count: 0, fps: 0, inferenceMs: 0, inWorker: false, error: undefined };
  private run = 0;
  private detector: RepDetector | undefined;
  private video: HTMLVideoElement | undefined;
  private ownStream: MediaStream | undefined;

  constructor(
    private readonly onChange: () => void,
    /** Called once per counted rep. */
    private readonly onRep: () => void,
  ) {}

  private set(patch: Partial<CameraCountState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange();
  }

  /**
   * Starts counting `movement`. `stream` is the camera the page already has (the class room's);
   * without one the counter opens the camera itself (video only).
   */
  async start(movement: Movement, stream?: MediaStream): Promise<void> {
    if (this.state.status !== 'off' && this.state.status !== 'error' && this.state.movement === movement) return;
    this.stop();
    const run = ++this.run;
    this.detector = undefined;
    this.set({ status: 'starting', movement, hint: null, count: 0, error: undefined });
    try {
      const track = stream?.getVideoTracks().find((t) => t.readyState === 'live');
      let source: MediaStream;
      if (track) source = new MediaStream([track]);
      else {
        if (!navigator.mediaDevices?.getUserMedia) throw describeMediaError(undefined);
        try {
          source = this.ownStream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } }, audio: false });
        } catch (err) {
          throw describeMediaError(err);
        }
      }
      const estimator = await (sharedEstimator ??= loadEstimator().catch((err) => {
        sharedEstimator = undefined;
        throw new FitError(ErrorCode.PoseModelFailed, `The movement model could not start here: ${(err as Error)?.message ?? err}`);
      }));
      // The counting core comes with the model (a lazy chunk too): the eager bundle stays small.
      const { RepDetector } = await import('./rep-detector.js');
      if (run !== this.run) return;
      this.detector = new RepDetector(movement);
      const video = (this.video = document.createElement('video'));
      video.muted = true;
      video.playsInline = true;
      video.srcObject = source;
      await video.play();
      if (run !== this.run) return;
      this.set({ status: 'running', inWorker: estimator.inWorker });
      void this.loop(run, estimator, video);
    } catch (err) {
      if (run !== this.run) return;
      this.releaseCamera();
      const e = err instanceof FitError ? err : new FitError(ErrorCode.PoseModelFailed, String((err as Error)?.message ?? err));
      this.set({ status: 'error', error: e.toJSON() });
    }
  }

  stop(): void {
    this.run++;
    this.releaseCamera();
    this.detector = undefined;
    if (this.state.status !== 'off') this.set({ status: 'off', hint: null, fps: 0 });
  }

  private releaseCamera(): void {
    if (this.video) {
      this.video.pause();
      this.video.srcObject = null;
      this.video = undefined;
    }
    // Only the camera this counter opened; the room's stays with the room.
    this.ownStream?.getTracks().forEach((t) => t.stop());
    this.ownStream = undefined;
  }

  private async loop(run: number, estimator: PoseEstimatorLike, video: HTMLVideoElement): Promise<void> {
    let fps = 0;
    let last = performance.now();
    while (run === this.run) {
      if (document.hidden || video.readyState < 2 || !video.videoWidth) {
        await sleep(250);
        continue;
      }
      const t0 = performance.now();
      let frame: PoseFrame;
      try {
        frame = await estimator.estimate(video);
      } catch (err) {
        if (run !== this.run) return;
        this.releaseCamera();
        this.set({ status: 'error', error: new FitError(ErrorCode.PoseModelFailed, `The movement model stopped: ${(err as Error)?.message ?? err}`).toJSON() });
        return;
      }
      if (run !== this.run) return;
      const t1 = performance.now();
      const took = t1 - t0;
      fps = fps ? fps * 0.9 + (1000 / Math.max(1, t1 - last)) * 0.1 : 1000 / Math.max(1, t1 - last);
      last = t1;
      const update = this.detector!.push(frame);
      if (update.counted) this.onRep();
      if (update.counted || update.hint !== this.state.hint || Math.abs(fps - this.state.fps) > 1) {
        this.set({ count: update.count, hint: update.hint, fps: Math.round(fps * 10) / 10, inferenceMs: Math.round(took) });
      }
      // Adapt to the device: never above MAX_FPS, and on the main thread leave the page at
      // least as much time as the model took (a slow phone counts at a lower rate, still smoothly).
      await sleep(Math.max(1000 / MAX_FPS - took, estimator.inWorker ? 0 : took));
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
