import type Hls from 'hls.js';
import type { ErrorData, Level } from 'hls.js';
import { hlsConfig, loadHls, REFUSED } from '../../stream/hls-config.js';
import { isPlayable, resignUrl, type StreamModel } from '../../stream/stream-model.js';

export type PlayerEngine = 'native' | 'hls';

export interface QualityLevel {
  /** hls.js level index. */
  index: number;
  label: string;
  height: number;
  bitrate: number;
}

const HLS_MIME = 'application/vnd.apple.mpegurl';

/** Seconds behind the newest media beyond which the viewer is "behind live". */
export const BEHIND_LIVE_S = 4;

/**
 * Puts the model's signed source into a `<video>`: the browser's own HLS where it has it
 * (Safari, iOS), otherwise hls.js, imported on first use. Owns re-signing (hls.js requests are
 * rewritten to the newest signature, so a re-sign does not reload anything), recovery, quality
 * levels and the live edge; for a recording (phase `recording`, HLS VOD), seeking and keeping the
 * position across a re-sign. `onChange` fires whenever something shown may have changed.
 */
export class StreamPlayer {
  engine: PlayerEngine | undefined;
  levels: QualityLevel[] = [];
  /** -1 = automatic. */
  selectedLevel = -1;
  /** The level hls.js plays now. */
  playingLevel = -1;
  private hls: Hls | undefined;
  /** Every master URL before the current one (their signatures may still be in hls.js's URLs). */
  private earlierUrls: string[] = [];
  private currentUrl: string | undefined;
  private version = 0;
  private nativeRetries = 0;
  private mediaRecoveries = 0;
  private loading: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly model: StreamModel,
    private readonly onChange: () => void,
    /** Test and story hook: force an engine. */
    private readonly prefer?: PlayerEngine,
  ) {
    video.addEventListener('error', this.onNativeError);
  }

  /** Call on every model change: starts, re-signs or stops playback. */
  sync(): void {
    const { phase, sourceUrl, sourceVersion } = this.model.state;
    if (!isPlayable(phase) || !sourceUrl) {
      if (this.currentUrl) this.stop();
      return;
    }
    if (sourceVersion === this.version) return;
    this.version = sourceVersion;
    const first = !this.currentUrl;
    if (this.currentUrl) this.earlierUrls.push(this.currentUrl);
    this.currentUrl = sourceUrl;
    if (first) {
      this.loading = this.start(sourceUrl);
    } else if (this.engine === 'native') {
      // Safari fetches playlists itself: a new signature means a new source (a short reload).
      this.reloadNative();
    }
    // hls.js: nothing to do, the next request carries the new signature (xhrSetup).
  }

  /** Resolves once the engine is chosen and the source attached. */
  get ready(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  /**
   * hls.js wherever Media Source Extensions can play H.264/AAC: it holds the live edge much
   * tighter (measured here: native HLS in Chromium ~5.4 s glass-to-glass, hls.js tuned ~2 s).
   * Native HLS where there is no MSE (iPhone Safari), which is also the lighter path there.
   */
  private useNative(): boolean {
    if (this.prefer) return this.prefer === 'native';
    const mse = (globalThis as { ManagedMediaSource?: typeof MediaSource }).ManagedMediaSource ?? globalThis.MediaSource;
    if (mse?.isTypeSupported?.('video/mp4; codecs="avc1.4d401f,mp4a.40.2"')) return false;
    return this.video.canPlayType(HLS_MIME) !== '';
  }

  private async start(url: string): Promise<void> {
    if (this.useNative()) {
      this.engine = 'native';
      this.video.src = url;
      this.onChange();
      return;
    }
    let HlsClass: typeof Hls;
    try {
      HlsClass = await loadHls();
    } catch {
      this.model.mediaFailed('hls.js could not be loaded');
      return;
    }
    if (this.disposed || this.currentUrl === undefined) return;
    if (!HlsClass.isSupported()) {
      this.model.mediaFailed('no Media Source Extensions (hls.js unsupported)');
      return;
    }
    const hls = new HlsClass(hlsConfig((u) => resignUrl(u, this.earlierUrls, this.currentUrl), () => void this.model.sourceRefused(), this.isVod));
    this.hls = hls;
    this.engine = 'hls';
    const E = HlsClass.Events;
    hls.on(E.MANIFEST_PARSED, (_e, data) => {
      this.levels = this.describe(data.levels);
      this.onChange();
    });
    hls.on(E.LEVELS_UPDATED, (_e, data) => {
      this.levels = this.describe(data.levels);
      this.onChange();
    });
    hls.on(E.LEVEL_SWITCHED, (_e, data) => {
      this.playingLevel = data.level;
      this.onChange();
    });
    hls.on(E.FRAG_BUFFERED, () => {
      this.mediaRecoveries = 0;
    });
    hls.on(E.ERROR, (_e, data) => this.onHlsError(data, HlsClass));
    hls.attachMedia(this.video);
    hls.loadSource(this.currentUrl);
    this.onChange();
  }

  private describe(levels: Level[]): QualityLevel[] {
    const names = new Map(this.model.state.renditions.map((r) => [r.height, r.name]));
    return levels
      .map((l, index) => ({ index, height: l.height, bitrate: l.bitrate, label: names.get(l.height) ?? (l.height ? `${l.height}p` : `${Math.round(l.bitrate / 1000)} kbps`) }))
      .sort((a, b) => b.height - a.height || b.bitrate - a.bitrate);
  }

  private onHlsError(data: ErrorData, HlsClass: typeof Hls): void {
    const hls = this.hls;
    if (!hls || !data.fatal) return;
    const code = data.response?.code ?? 0;
    if (data.type === HlsClass.ErrorTypes.MEDIA_ERROR) {
      // Recover in place once or twice (a decode hiccup); then give up with a clear message.
      if (this.mediaRecoveries++ < 2) {
        if (this.mediaRecoveries === 2) hls.swapAudioCodec();
        hls.recoverMediaError();
      } else this.model.mediaFailed('media error (decoding failed after recovery)');
      return;
    }
    // A fatal network error (the playlist is gone or refused beyond retries): re-sign, reload.
    // A recording whose playlist is in already only needs its segments again, from where it is.
    const reload = () => {
      if (this.hls !== hls || !this.currentUrl) return;
      if (this.isVod && hls.levels?.length) hls.startLoad(this.video.currentTime);
      else hls.loadSource(this.currentUrl);
    };
    if (REFUSED.has(code) || data.type === HlsClass.ErrorTypes.NETWORK_ERROR) {
      void this.model.sourceRefused().then(() => setTimeout(reload, 1000));
      return;
    }
    this.model.mediaFailed(data.error?.message ?? `hls.js fatal error: ${data.details}`);
  }

  private readonly onNativeError = () => {
    if (this.engine !== 'native' || !this.currentUrl) return;
    const err = this.video.error;
    if (err?.code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED && this.nativeRetries > 0) {
      this.model.mediaFailed('source not supported by the native player');
      return;
    }
    // Most likely an expired signature: ask for a fresh one and load it (a few times at most).
    if (this.nativeRetries++ >= 3) {
      this.model.mediaFailed(err?.message || `native playback failed (code ${err?.code ?? '?'})`);
      return;
    }
    void this.model.sourceRefused().then(() => {
      if (this.currentUrl && this.engine === 'native') this.reloadNative();
    });
  };

  /** A recording (VOD): seekable, has a duration, is never chased to an edge. */
  get isVod(): boolean {
    return this.model.state.phase === 'recording';
  }

  /**
   * Loads the current (re-signed) source into the native player. Live plays on at the edge; a
   * recording comes back where it was, playing only if it was.
   */
  private reloadNative(): void {
    const v = this.video;
    if (!this.currentUrl) return;
    if (!this.isVod) {
      v.src = this.currentUrl;
      void v.play().catch(() => undefined);
      return;
    }
    const at = v.currentTime;
    const wasPlaying = !v.paused && !v.ended;
    v.src = this.currentUrl;
    v.addEventListener(
      'loadedmetadata',
      () => {
        if (at > 0) v.currentTime = at;
        if (wasPlaying) void v.play().catch(() => undefined);
      },
      { once: true },
    );
  }

  /** Seconds into a recording (clamped to it); no-op while live. */
  seek(seconds: number): void {
    const v = this.video;
    if (!this.isVod || !Number.isFinite(seconds)) return;
    const end = Number.isFinite(v.duration) ? v.duration : seconds;
    v.currentTime = Math.max(0, Math.min(end, seconds));
    this.onChange();
  }

  /** Picks a rendition (hls.js only): `-1` = automatic. Switches at the next segment, without a stall. */
  setLevel(index: number): void {
    this.selectedLevel = index;
    if (this.hls) this.hls.nextLevel = index;
    this.onChange();
  }

  /** Seconds between the playhead and the newest media (0 at the edge; NaN when unknown). */
  behindLive(): number {
    const v = this.video;
    if (this.hls) {
      const latency = this.hls.latency;
      const target = this.hls.targetLatency ?? 0;
      if (Number.isFinite(latency) && latency > 0) return Math.max(0, latency - target);
    }
    const r = v.seekable;
    if (!r.length) return Number.NaN;
    return Math.max(0, r.end(r.length - 1) - v.currentTime);
  }

  /** At the live edge (playing and less than `BEHIND_LIVE_S` behind it). */
  atLiveEdge(): boolean {
    if (this.video.paused) return false;
    const behind = this.behindLive();
    if (Number.isNaN(behind)) return true;
    // hls.js reports distance beyond its target; native reports distance from the very end.
    return behind < (this.hls ? BEHIND_LIVE_S - 2 : BEHIND_LIVE_S);
  }

  /** Jumps to the live edge and plays. */
  goLive(): void {
    const v = this.video;
    const sync = this.hls?.liveSyncPosition;
    if (sync != null && Number.isFinite(sync)) v.currentTime = sync;
    else if (v.seekable.length) v.currentTime = Math.max(0, v.seekable.end(v.seekable.length - 1) - 2);
    void v.play().catch(() => undefined);
  }

  private stop(): void {
    this.hls?.destroy();
    this.hls = undefined;
    this.loading = undefined;
    this.currentUrl = undefined;
    this.earlierUrls = [];
    this.version = 0;
    this.levels = [];
    this.selectedLevel = -1;
    this.playingLevel = -1;
    this.engine = undefined;
    this.nativeRetries = 0;
    this.video.removeAttribute('src');
    this.video.load();
    this.onChange();
  }

  dispose(): void {
    this.disposed = true;
    this.video.removeEventListener('error', this.onNativeError);
    if (this.currentUrl) this.stop();
    this.hls?.destroy();
  }
}
