import { inputContext, letterboxPixels, type FlatKeypoints, type InputContext, type Letterbox } from './pose-frame.js';
import { MoveNet } from './pose-runtime.js';

/*
 * The pose model's module Worker (built as its own chunk; pose-estimator.ts starts it from a
 * same-origin blob that imports this file by absolute URL). It loads the model on start, then
 * answers each frame (an ImageBitmap already scaled to its letterbox box, or the letterboxed
 * pixels themselves) with the keypoints.
 */

export type ToWorker = { type: 'estimate'; id: number; box: Letterbox } & ({ bitmap: ImageBitmap } | { pixels: Uint8ClampedArray });

export type FromWorker =
  /** The model is loaded; `bitmaps` says whether the worker can take ImageBitmaps (it has OffscreenCanvas). */
  | { type: 'ready'; backend: string; bitmaps: boolean }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; keypoints: FlatKeypoints }
  | { type: 'error'; id: number; message: string };

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const loading = MoveNet.load();
let ctx: InputContext | undefined;

loading.then(
  (net) => scope.postMessage({ type: 'ready', backend: net.backend, bitmaps: typeof OffscreenCanvas === 'function' }),
  (err: unknown) => scope.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err) }),
);

scope.onmessage = (event) => {
  const msg = event.data;
  if (msg.type !== 'estimate') return;
  void (async () => {
    try {
      const net = await loading;
      let pixels: Uint8ClampedArray;
      if ('bitmap' in msg) {
        ctx ??= inputContext();
        pixels = letterboxPixels(ctx, msg.bitmap, msg.box);
        msg.bitmap.close();
      } else {
        pixels = msg.pixels;
      }
      const keypoints = await net.run(pixels, msg.box);
      scope.postMessage({ type: 'result', id: msg.id, keypoints }, [keypoints.buffer]);
    } catch (err) {
      if ('bitmap' in msg) msg.bitmap.close();
      scope.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
    }
  })();
};
