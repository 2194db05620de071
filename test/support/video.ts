import type { Locator } from 'playwright-core';

export interface VideoProbe {
  width: number;
  height: number;
  /** Frames the element decoded during the sampling window (0 when the video is frozen). */
  framesInWindow: number;
  audioTracks: number;
}

/** Samples a <video> in the page: its size, and how many frames it decodes over `windowMs`. */
export function probeVideo(video: Locator, windowMs = 1000): Promise<VideoProbe> {
  // Only anonymous functions in here: tsx names named ones with a helper the page lacks.
  return video.evaluate(async (el, ms) => {
    const v = el as HTMLVideoElement;
    const before = v.getVideoPlaybackQuality().totalVideoFrames;
    await new Promise((resolve) => setTimeout(resolve, ms));
    const stream = v.srcObject as MediaStream | null;
    return {
      width: v.videoWidth,
      height: v.videoHeight,
      framesInWindow: v.getVideoPlaybackQuality().totalVideoFrames - before,
      audioTracks: stream?.getAudioTracks().length ?? 0,
    };
  }, windowMs);
}
