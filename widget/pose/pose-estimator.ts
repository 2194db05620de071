import WORKER_URL from './pose-worker-url.js';
import type { Keypoint, PoseFrame } from './keypoints.js';
import { frameSize, inputContext, letterbox, letterboxPixels, type FlatKeypoints, type FrameSource, type InputContext, type Letterbox } from './pose-frame.js';
import type { FromWorker, ToWorker } from './pose-worker.js';

/*
 * The in-browser pose model (issue 11): MoveNet SinglePose Lightning on tfjs's wasm backend, the
 * weights and binaries served next to the bundle (no CDN, no model hub). A lazy chunk: load it
 * with `await import(...)`, never statically from the entry (the model runtime is ~1 MB of code
 * and wasm plus 4.6 MB of weights).
 *
 * Inference runs in a module Worker when one can start. The bundle is loaded cross-origin (a
 * club's page on one origin, our server on another), and `new Worker(url)` takes same-origin URLs
 * only, so the worker is a same-origin blob that imports the real worker module by its absolute
 * URL (our static files send CORS headers). Where that fails (a CSP without `worker-src blob:`,
 * no module workers) the model runs on the page's own thread: `inWorker` says which.
 *
 * Frames are grabbed on the page cheaply (createImageBitmap scaled to the model's input, off the
 * main thread in Chromium) and transferred to the worker, which letterboxes them and runs the model.
 */

export interface PoseEstimator {
  /** Runs the model on one frame. Resolves to the 17 keypoints normalised to the source frame (t = performance.now() when the frame was grabbed). */
  estimate(source: FrameSource): Promise<PoseFrame>;
  /** True when inference runs in a Worker (off the main thread). */
  readonly inWorker: boolean;
  /** Wasm backend flavour in use, e.g. 'wasm-simd'. */
  readonly backend: string;
  dispose(): void;
}

export interface PoseEstimatorOptions {
  /** Run the model in a Worker when the browser allows (default true); false runs it on the page's thread. */
  worker?: boolean;
}

export async function createPoseEstimator(options: PoseEstimatorOptions = {}): Promise<PoseEstimator> {
  if (options.worker !== false) {
    const inWorker = await WorkerEstimator.start().catch((err: unknown) => {
      console.warn('fitlive: the pose model runs on the page (no worker):', err instanceof Error ? err.message : err);
      return undefined;
    });
    if (inWorker) return inWorker;
  }
  return MainThreadEstimator.start();
}

function toPoseFrame(flat: FlatKeypoints, width: number, height: number, t: number): PoseFrame {
  const keypoints: Keypoint[] = [];
  for (let i = 0; i < flat.length; i += 3) keypoints.push({ x: flat[i]!, y: flat[i + 1]!, score: flat[i + 2]! });
  return { keypoints, width, height, t };
}

interface Pending {
  resolve(keypoints: FlatKeypoints): void;
  reject(err: Error): void;
}

class WorkerEstimator implements PoseEstimator {
  readonly inWorker = true;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private ctx: InputContext | undefined;
  private broken: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly backend: string,
    /** The worker has OffscreenCanvas: send it scaled ImageBitmaps, else letterboxed pixels. */
    private readonly bitmaps: boolean,
  ) {
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const msg = event.data;
      if (msg.type !== 'result' && msg.type !== 'error') return;
      const job = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.type === 'result') job?.resolve(msg.keypoints);
      else job?.reject(new Error(msg.message));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(new Error(`The pose worker stopped: ${event.message || 'unknown error'}`));
    };
  }

  /** Starts the worker from a same-origin blob and waits for its model; rejects if it cannot start. */
  static start(): Promise<WorkerEstimator> {
    return new Promise((resolve, reject) => {
      if (typeof Worker !== 'function') return reject(new Error('no Worker'));
      const blobUrl = URL.createObjectURL(new Blob([`import ${JSON.stringify(WORKER_URL)};\n`], { type: 'text/javascript' }));
      let worker: Worker;
      try {
        worker = new Worker(blobUrl, { type: 'module', name: 'fitlive-pose' });
      } catch (err) {
        URL.revokeObjectURL(blobUrl);
        return reject(err instanceof Error ? err : new Error(String(err)));
      }
      const settle = () => {
        URL.revokeObjectURL(blobUrl);
        worker.onmessage = null;
        worker.onerror = null;
      };
      worker.onerror = (event) => {
        event.preventDefault();
        settle();
        worker.terminate();
        reject(new Error(event.message || 'the worker did not start (blocked by the page, or no module workers)'));
      };
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const msg = event.data;
        if (msg.type === 'ready') {
          settle();
          resolve(new WorkerEstimator(worker, msg.backend, msg.bitmaps && typeof createImageBitmap === 'function'));
        } else if (msg.type === 'failed') {
          settle();
          worker.terminate();
          reject(new Error(msg.message));
        }
      };
    });
  }

  async estimate(source: FrameSource): Promise<PoseFrame> {
    if (this.broken) throw this.broken;
    const t = performance.now();
    const { width, height } = frameSize(source);
    const box: Letterbox = letterbox(width, height);
    const id = ++this.seq;
    let msg: ToWorker;
    let transfer: Transferable[];
    if (this.bitmaps) {
      const bitmap = await createImageBitmap(source, { resizeWidth: box.dw, resizeHeight: box.dh, resizeQuality: 'medium' });
      msg = { type: 'estimate', id, box, bitmap };
      transfer = [bitmap];
    } else {
      this.ctx ??= inputContext();
      const pixels = letterboxPixels(this.ctx, source, box);
      msg = { type: 'estimate', id, box, pixels };
      transfer = [pixels.buffer];
    }
    if (this.broken) throw this.broken;
    const keypoints = await new Promise<FlatKeypoints>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(msg, transfer);
    });
    return toPoseFrame(keypoints, width, height, t);
  }

  private fail(err: Error): void {
    this.broken ??= err;
    for (const job of this.pending.values()) job.reject(err);
    this.pending.clear();
  }

  dispose(): void {
    this.worker.terminate();
    this.fail(new Error('The pose estimator was disposed'));
  }
}

class MainThreadEstimator implements PoseEstimator {
  readonly inWorker = false;
  private ctx: InputContext | undefined;
  private disposed = false;

  private constructor(private readonly net: import('./pose-runtime.js').MoveNet) {}

  get backend(): string {
    return this.net.backend;
  }

  static async start(): Promise<MainThreadEstimator> {
    const { MoveNet } = await import('./pose-runtime.js');
    return new MainThreadEstimator(await MoveNet.load());
  }

  async estimate(source: FrameSource): Promise<PoseFrame> {
    if (this.disposed) throw new Error('The pose estimator was disposed');
    const t = performance.now();
    const { width, height } = frameSize(source);
    const box = letterbox(width, height);
    this.ctx ??= inputContext();
    const keypoints = await this.net.run(letterboxPixels(this.ctx, source, box), box);
    return toPoseFrame(keypoints, width, height, t);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.net.dispose();
  }
}
