import type { Locator } from 'playwright-core';

export interface VideoProbe {
  width: number;
  height: number;
  /** Frames presented during the sampling window (requestVideoFrameCallback): 0 when frozen. */
  framesInWindow: number;
  audioTracks: number;
}

// Installed as source text: tsx would wrap the named callback in a helper the page lacks.
// The size comes from the presented frames themselves: while the decoder takes a new resolution
// (the SFU stepping up simulcast layers), videoWidth can read 0 even as frames are shown.
const PROBE_SOURCE = `window.__fitProbe = (v, ms) => new Promise((resolve) => {
  let frames = 0, width = 0, height = 0;
  let done = false;
  const tick = (now, meta) => { if (done) return; frames++; if (meta && meta.width) { width = meta.width; height = meta.height; } v.requestVideoFrameCallback(tick); };
  v.requestVideoFrameCallback(tick);
  setTimeout(() => {
    done = true;
    const stream = v.srcObject;
    resolve({ width: v.videoWidth || width, height: v.videoHeight || height, framesInWindow: frames, audioTracks: stream ? stream.getAudioTracks().length : 0 });
  }, ms);
})`;

/** Samples a <video> in the page: its size, and how many frames it presents over `windowMs`. */
export async function probeVideo(video: Locator, windowMs = 1000): Promise<VideoProbe> {
  await video.page().evaluate(PROBE_SOURCE);
  return video.evaluate((el, ms) => (window as unknown as { __fitProbe: (v: Element, ms: number) => Promise<VideoProbe> }).__fitProbe(el, ms), windowMs);
}
