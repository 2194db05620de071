/*
 * Frames in and keypoints out of MoveNet's square input, without tfjs: used on the page (to
 * grab a small frame cheaply) and next to the model (pose-runtime.ts). A frame is letterboxed
 * into the 192×192 square (aspect kept, centred, black bars); the model's keypoints are mapped
 * back to 0..1 of the frame.
 */

export const INPUT_SIZE = 192;
export const KEYPOINT_COUNT = 17;

/** Where a width×height frame sits inside the model's square input, in input pixels. */
export interface Letterbox {
  dx: number;
  dy: number;
  dw: number;
  dh: number;
}

export function letterbox(width: number, height: number): Letterbox {
  if (!(width > 0 && height > 0)) throw new Error(`The frame has no size (${width}×${height}): is the video playing?`);
  const scale = INPUT_SIZE / Math.max(width, height);
  const dw = Math.max(1, Math.round(width * scale));
  const dh = Math.max(1, Math.round(height * scale));
  return { dx: Math.floor((INPUT_SIZE - dw) / 2), dy: Math.floor((INPUT_SIZE - dh) / 2), dw, dh };
}

export type FrameSource = HTMLVideoElement | HTMLCanvasElement | HTMLImageElement | ImageBitmap;

/** The source's own size in pixels (a video's frames, an image's file, not their CSS boxes). */
export function frameSize(source: FrameSource): { width: number; height: number } {
  if (typeof HTMLVideoElement !== 'undefined' && source instanceof HTMLVideoElement) return { width: source.videoWidth, height: source.videoHeight };
  if (typeof HTMLImageElement !== 'undefined' && source instanceof HTMLImageElement) return { width: source.naturalWidth, height: source.naturalHeight };
  return { width: source.width, height: source.height };
}

/** A letterboxed frame as the model's input: 192×192 RGBA pixels (canvas ImageData order). */
export type InputPixels = Uint8ClampedArray;

/**
 * Keypoints as a flat array, 17 × (x, y, score), x and y 0..1 of the frame (before the
 * letterbox). Flat so it crosses from the worker as one small buffer.
 */
export type FlatKeypoints = Float32Array;

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** The model's raw output (y, x, score in the square) → x, y, score in the frame. */
export function unletterbox(raw: ArrayLike<number>, box: Letterbox): FlatKeypoints {
  const out = new Float32Array(KEYPOINT_COUNT * 3);
  for (let i = 0; i < KEYPOINT_COUNT; i++) {
    const y = raw[i * 3]!;
    const x = raw[i * 3 + 1]!;
    out[i * 3] = clamp01((x * INPUT_SIZE - box.dx) / box.dw);
    out[i * 3 + 1] = clamp01((y * INPUT_SIZE - box.dy) / box.dh);
    out[i * 3 + 2] = raw[i * 3 + 2]!;
  }
  return out;
}

export type InputContext = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** A 192×192 2D context to letterbox frames in (OffscreenCanvas where there is one). */
export function inputContext(): InputContext {
  const opts = { willReadFrequently: true, alpha: false } as const;
  let ctx: InputContext | null;
  if (typeof OffscreenCanvas === 'function') {
    ctx = new OffscreenCanvas(INPUT_SIZE, INPUT_SIZE).getContext('2d', opts) as OffscreenCanvasRenderingContext2D | null;
  } else {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = INPUT_SIZE;
    ctx = canvas.getContext('2d', opts) as CanvasRenderingContext2D | null;
  }
  if (!ctx) throw new Error('No 2D canvas to prepare frames for the pose model');
  return ctx;
}

/** Draws `image` letterboxed into the square (scaled to the box) and reads the pixels back. */
export function letterboxPixels(ctx: InputContext, image: CanvasImageSource, box: Letterbox): InputPixels {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, INPUT_SIZE, INPUT_SIZE);
  ctx.drawImage(image, box.dx, box.dy, box.dw, box.dh);
  return ctx.getImageData(0, 0, INPUT_SIZE, INPUT_SIZE).data;
}
