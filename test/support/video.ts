import type { Locator } from 'playwright-core';

export interface VideoProbe {
  width: number;
  height: number;
  /** Frames presented during the sampling window (requestVideoFrameCallback): 0 when frozen. */
  framesInWindow: number;
  audioTracks: number;
}

// Installed as source text: tsx would wrap the named callback in a helper the page lacks.
const PROBE_SOURCE = `window.__fitProbe = (v, ms) => new Promise((resolve) => {
  let frames = 0;
  let done = false;
  const tick = () => { if (done) return; frames++; v.requestVideoFrameCallback(tick); };
  v.requestVideoFrameCallback(tick);
  setTimeout(() => {
    done = true;
    const stream = v.srcObject;
    resolve({ width: v.videoWidth, height: v.videoHeight, framesInWindow: frames, audioTracks: stream ? stream.getAudioTracks().length : 0 });
  }, ms);
})`;

/** Samples a <video> in the page: its size, and how many frames it presents over `windowMs`. */
export async function probeVideo(video: Locator, windowMs = 1000): Promise<VideoProbe> {
  await video.page().evaluate(PROBE_SOURCE);
  return video.evaluate((el, ms) => (window as unknown as { __fitProbe: (v: Element, ms: number) => Promise<VideoProbe> }).__fitProbe(el, ms), windowMs);
}
