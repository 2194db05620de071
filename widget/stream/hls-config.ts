import type { HlsConfig, LoaderResponse, RetryConfig } from 'hls.js';

/**
 * hls.js settings for watching a live class at the live edge. Our backend writes ~1 s segments
 * (issue 7), so every "count" below is about a second.
 */
export const LOW_LATENCY: Partial<HlsConfig> = {
  // Uses LL-HLS parts (EXT-X-PART) and blocking playlist reloads when a playlist has them;
  // harmless for plain HLS (FFmpeg's muxer), so a later LL-HLS packager gets it for free.
  lowLatencyMode: true,
  // Start and stay 2 segments (~2 s) behind the newest one: 1 would stall whenever a segment is
  // a little late; the default 3 adds a second of latency for nothing.
  liveSyncDurationCount: 2,
  // More than 5 segments behind (a stall, a background tab): jump back to the edge.
  liveMaxLatencyDurationCount: 5,
  // In between, catch up by playing up to 10% faster (barely audible) instead of jumping.
  maxLiveSyncPlaybackRate: 1.1,
  // Live has little to buffer ahead; a short forward buffer keeps the first frame early and
  // quality switches quick, and 10 s behind keeps memory small on phones.
  maxBufferLength: 4,
  maxMaxBufferLength: 8,
  backBufferLength: 10,
  // Fetch the first segment while the codecs are set up: an earlier first frame.
  startFragPrefetch: true,
  // Never download 720p for a 360 px wide embed.
  capLevelToPlayerSize: true,
  // `video.duration` is Infinity while live, as with native HLS.
  liveDurationInfinity: true,
};

/**
 * A recording (HLS VOD) is watched, not chased: buffer well ahead so a slow link does not stall,
 * and keep some behind for short seeks back. (The live-edge settings above do nothing for VOD.)
 */
export const VOD: Partial<HlsConfig> = {
  maxBufferLength: 30,
  maxMaxBufferLength: 60,
  backBufferLength: 30,
};

/** Playlist/segment answers that mean "your signed URL is no longer good": re-sign and retry. */
export const REFUSED = new Set([401, 403, 410]);

/**
 * Builds the hls.js config: the low-latency settings (with `vod`, a recording's buffering), plus URL re-signing (every request goes to
 * `rewrite(url)`, so a re-signed source takes effect on the next request without reloading) and
 * retries of refused requests once the model has a fresh signature (`onRefused`).
 */
export function hlsConfig(rewrite: (url: string) => string, onRefused: () => void, vod = false): Partial<HlsConfig> {
  const retryRefused = (base: RetryConfig): RetryConfig => ({
    ...base,
    // hls.js retries no 4xx by itself; a refused one is worth a retry once re-signed.
    shouldRetry: (_config: RetryConfig | null | undefined, count: number, _timeout: boolean, response: LoaderResponse | undefined, retry: boolean) => {
      if (response?.code && REFUSED.has(response.code)) {
        onRefused();
        return count < 3;
      }
      return retry;
    },
  });
  const policy = (maxTimeToFirstByteMs: number, maxLoadTimeMs: number, retries: number) => ({
    default: {
      maxTimeToFirstByteMs,
      maxLoadTimeMs,
      timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: retryRefused({ maxNumRetry: retries, retryDelayMs: 1000, maxRetryDelayMs: 4000 }),
    },
  });
  return {
    ...LOW_LATENCY,
    ...(vod ? VOD : {}),
    xhrSetup(xhr: XMLHttpRequest, url: string) {
      const to = rewrite(url);
      if (to !== url) xhr.open('GET', to, true);
    },
    manifestLoadPolicy: policy(10_000, 20_000, 2),
    playlistLoadPolicy: policy(5_000, 10_000, 3),
    fragLoadPolicy: policy(5_000, 20_000, 4),
  };
}

/** hls.js, fetched as its own chunk the first time a stream actually plays (never in fitlive.js). */
export async function loadHls(): Promise<typeof import('hls.js').default> {
  const mod = await import('hls.js/light');
  return mod.default;
}
