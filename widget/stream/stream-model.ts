import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { HeartbeatAnswer, PlaybackInfo } from '../../protocol/streams.js';
import { en, type MessageKey } from '../i18n/en.js';

/**
 * The DOM-free side of `<fit-live-stream>`: asks the backend what to play
 * (`GET /api/v1/streams/:id/playback`), waits for a stream that has not started, counts the viewer
 * with heartbeats while playing, and keeps the signed playlist URL fresh. With `recordingId` it
 * plays a recording instead (`GET /api/v1/recordings/:id/playback`, phase `recording`): an HLS VOD
 * whose signed URL is kept fresh the same way, with no polling and no heartbeats. The element renders
 * `state` and drives a `<video>`; it tells the model when playback runs (`setPlaying`) and when a
 * playlist or segment was refused (`sourceRefused`).
 */

/**
 * `loading` until the first answer; `idle` = not started yet (poster, "Starts soon"); `recording` =
 * a recording (HLS VOD) ready to play, only with `recordingId`.
 */
export type StreamPhase = 'loading' | 'idle' | 'live' | 'recording' | 'ended' | 'error';

/** The phases with a source to play. */
export const isPlayable = (phase: StreamPhase): phase is 'live' | 'recording' => phase === 'live' || phase === 'recording';

export type Rendition = PlaybackInfo['renditions'][number];

export interface StreamState {
  phase: StreamPhase;
  title: string;
  posterUrl: string | undefined;
  /** Absolute, signed master (or recording) playlist URL while playable; changes when it is re-signed. */
  sourceUrl: string | undefined;
  /** Bumped whenever `sourceUrl` changes (1 = the first source). */
  sourceVersion: number;
  renditions: readonly Rendition[];
  viewers: number;
  /** The stream has a chat (it comes from a class; never for a recording). */
  chat: boolean;
  /** Why it stopped (phase `error`), or a transient problem while it goes on (e.g. a lost heartbeat). */
  error: ErrorBody | undefined;
}

export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
}>;

export interface StreamOptions {
  server: string;
  /** The live stream (ignored when `recordingId` is set). */
  streamId: string;
  /** Plays this recording (`r_…`) instead; `token` is a viewer token of the recording's stream. */
  recordingId?: string;
  token: string;
  fetch?: FetchLike;
  now?: () => number;
  /** While not started: ask again this often (default 5 s). */
  idlePollMs?: number;
  /** While playing: count the viewer this often (default 15 s). */
  heartbeatMs?: number;
  /** Re-sign the source this long before `expiresAt` (default 30 s, at most half the URL's lifetime). */
  refreshAheadMs?: number;
  /** First retry after an unreachable server (doubles up to 30 s; default 2 s). */
  retryMs?: number;
}

/** The catalog keys of the viewer's error messages (`stream.error.*`). */
export type StreamErrorKey = Extract<MessageKey, `stream.error.${string}`>;

/** The message key for the codes a viewer can meet (`stream.error.other`: the server's message, if any). */
export function streamErrorKey(error: Pick<ErrorBody, 'code'>): StreamErrorKey {
  switch (error.code) {
    case ErrorCode.StreamNotFound:
    case ErrorCode.NotFound:
    case ErrorCode.StreamFull:
    case ErrorCode.StreamNotLive:
    case ErrorCode.TokenExpired:
    case ErrorCode.Forbidden:
    case ErrorCode.ServerUnreachable:
    case ErrorCode.MediaError:
      return `stream.error.${error.code}`;
    case ErrorCode.TokenInvalid:
    case ErrorCode.Unauthorized:
      return 'stream.error.unauthorized';
    case ErrorCode.OriginNotAllowed:
      return 'stream.error.forbidden';
    default:
      return 'stream.error.other';
  }
}

/** Plain-words messages for the codes a viewer can meet, in English (`fit-error`'s message). */
export function streamErrorMessage(error: ErrorBody): string {
  const key = streamErrorKey(error);
  return key === 'stream.error.other' ? error.message || en[key] : en[key];
}

/** Errors that a retry cannot fix without a new token or a different stream. */
const FINAL_CODES = new Set<string>([
  ErrorCode.StreamNotFound,
  ErrorCode.NotFound,
  ErrorCode.TokenExpired,
  ErrorCode.TokenInvalid,
  ErrorCode.Unauthorized,
  ErrorCode.Forbidden,
  ErrorCode.OriginNotAllowed,
]);

export class StreamModel extends EventTarget {
  state: StreamState = {
    phase: 'loading',
    title: '',
    posterUrl: undefined,
    sourceUrl: undefined,
    sourceVersion: 0,
    renditions: [],
    viewers: 0,
    chat: false,
    error: undefined,
  };
  /** When the current source stops working (ms since epoch). */
  expiresAt = 0;

  private readonly fetch: FetchLike;
  private readonly now: () => number;
  private readonly timers = new Map<'poll' | 'heartbeat' | 'refresh', ReturnType<typeof setTimeout>>();
  private playing = false;
  private disposed = false;
  private started = false;
  private inflight: Promise<void> | undefined;
  private failures = 0;

  constructor(private readonly options: StreamOptions) {
    super();
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.now = options.now ?? Date.now;
  }

  private get base(): string {
    return this.options.server.replace(/\/+$/, '');
  }

  /** A fresh viewer token for the same viewer (a renewed sign-in): used from the next request on. */
  setToken(token: string): void {
    this.options.token = token;
  }

  /** Playing a recording (set at construction). */
  get isRecording(): boolean {
    return !!this.options.recordingId;
  }

  private url(path: string): string {
    const { recordingId, streamId } = this.options;
    if (recordingId) return `${this.base}/api/v1/recordings/${encodeURIComponent(recordingId)}/${path}`;
    return `${this.base}/api/v1/streams/${encodeURIComponent(streamId)}/${path}`;
  }

  private set(patch: Partial<StreamState>): void {
    const before = this.state.phase;
    this.state = { ...this.state, ...patch };
    this.dispatchEvent(new Event('change'));
    if (this.state.phase !== before) this.dispatchEvent(new CustomEvent('phase', { detail: this.state.phase }));
  }

  private schedule(name: 'poll' | 'heartbeat' | 'refresh', ms: number, fn: () => void): void {
    this.clear(name);
    if (this.disposed) return;
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        fn();
      }, Math.max(0, ms)),
    );
  }

  private clear(name: 'poll' | 'heartbeat' | 'refresh'): void {
    const t = this.timers.get(name);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(name);
  }

  /** Asks for the stream the first time. */
  start(): Promise<void> {
    if (this.started) return this.inflight ?? Promise.resolve();
    this.started = true;
    return this.load();
  }

  /** After an error: try again from the start. */
  retry(): Promise<void> {
    this.failures = 0;
    this.set({ phase: this.state.phase === 'error' ? 'loading' : this.state.phase, error: undefined });
    return this.load();
  }

  /**
   * A playlist or segment was refused (401/403/410) or the source is about to expire: ask for a
   * fresh signed URL. Concurrent calls share one request.
   */
  sourceRefused(): Promise<void> {
    return this.load();
  }

  /** The element reports whether the video is playing: heartbeats run only then. */
  setPlaying(playing: boolean): void {
    if (this.playing === playing || this.isRecording) return;
    this.playing = playing;
    if (playing && this.state.phase === 'live') void this.heartbeat();
    else if (!playing) this.clear('heartbeat');
  }

  /**
   * The video could not be decoded or loaded at all (not an auth problem). `detail` says why, for
   * developers (the viewer reads the words for `media_error`).
   */
  mediaFailed(detail: string): void {
    this.stopTimers();
    this.set({ phase: 'error', error: { code: ErrorCode.MediaError, message: detail } });
  }

  dispose(): void {
    this.disposed = true;
    this.stopTimers();
  }

  private stopTimers(): void {
    for (const name of [...this.timers.keys()]) this.clear(name);
  }

  private load(): Promise<void> {
    this.inflight ??= this.fetchPlayback().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchPlayback(): Promise<void> {
    if (this.disposed) return;
    let status: number;
    let body: unknown;
    try {
      const res = await this.fetch(this.url('playback'), { headers: { authorization: `Bearer ${this.options.token}` } });
      status = res.status;
      body = await res.json().catch(() => undefined);
    } catch {
      status = 0;
    }
    if (this.disposed) return;
    if (status >= 200 && status < 300 && isPlaybackInfo(body)) return this.apply(body);
    const error = status === 0 ? { code: ErrorCode.ServerUnreachable, message: 'Cannot reach the stream server' } : errorOf(body, status, this.isRecording);
    this.fail(error);
  }

  private fail(error: ErrorBody): void {
    if (error.code === ErrorCode.StreamNotLive && !this.isRecording) {
      // Not started (or between sessions): wait for it like an idle stream.
      this.set({ phase: this.state.phase === 'ended' ? 'ended' : 'idle', error: undefined, sourceUrl: undefined });
      this.schedule('poll', this.options.idlePollMs ?? 5000, () => void this.load());
      return;
    }
    if (FINAL_CODES.has(error.code)) {
      this.stopTimers();
      this.set({ phase: 'error', error });
      return;
    }
    // Unreachable, full, rate limited, server error: keep the picture if there is one and retry.
    this.failures++;
    const delay = Math.min(30_000, (this.options.retryMs ?? 2000) * 2 ** (this.failures - 1));
    const keepPlaying = isPlayable(this.state.phase) && this.expiresAt > this.now();
    this.set(keepPlaying ? { error } : { phase: 'error', error });
    this.schedule('poll', delay, () => void this.load());
  }

  private apply(info: PlaybackInfo): void {
    this.failures = 0;
    const common = {
      title: info.title,
      posterUrl: info.posterUrl ? new URL(info.posterUrl, `${this.base}/`).href : undefined,
      renditions: info.renditions,
      viewers: info.viewers,
      chat: !!info.chat && !this.isRecording,
      error: undefined,
    };
    this.clear('poll');
    if (this.isRecording) {
      // A recording answers `ended` with its VOD playlist: it plays as long as there is a link.
      if (!info.masterUrl) return this.fail({ code: ErrorCode.NotFound, message: 'No such recording' });
      this.useSource(info, 'recording', { ...common, viewers: 0 });
      return;
    }
    if (info.status === 'live' && info.masterUrl) {
      this.useSource(info, 'live', common);
      if (this.playing && !this.timers.has('heartbeat')) void this.heartbeat();
      return;
    }
    if (info.status === 'ended') {
      this.stopTimers();
      this.set({ ...common, phase: 'ended', sourceUrl: undefined });
      return;
    }
    // idle, or live without a playlist yet (the encoder is warming up): ask again soon.
    this.clear('refresh');
    this.clear('heartbeat');
    this.set({ ...common, phase: 'idle', sourceUrl: undefined });
    this.schedule('poll', this.options.idlePollMs ?? 5000, () => void this.load());
  }

  /** Takes a signed source and schedules its re-sign ahead of `expiresAt`. */
  private useSource(info: PlaybackInfo, phase: 'live' | 'recording', common: Partial<StreamState>): void {
    const sourceUrl = new URL(info.masterUrl!, `${this.base}/`).href;
    const changed = sourceUrl !== this.state.sourceUrl;
    this.expiresAt = info.expiresAt;
    this.set({ ...common, phase, sourceUrl, sourceVersion: changed ? this.state.sourceVersion + 1 : this.state.sourceVersion });
    const lifetime = info.expiresAt - this.now();
    const ahead = Math.min(this.options.refreshAheadMs ?? 30_000, lifetime / 2);
    if (Number.isFinite(lifetime)) this.schedule('refresh', lifetime - ahead, () => void this.load());
  }

  private async heartbeat(): Promise<void> {
    this.schedule('heartbeat', this.options.heartbeatMs ?? 15_000, () => void this.heartbeat());
    let status = 0;
    let body: unknown;
    try {
      const res = await this.fetch(this.url('heartbeat'), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      status = res.status;
      body = await res.json().catch(() => undefined);
    } catch {
      return; // A lost heartbeat is not worth interrupting the picture; the next one may land.
    }
    if (this.disposed) return;
    if (status >= 200 && status < 300 && isHeartbeat(body)) {
      const viewers = body.viewers;
      if (body.status === 'ended') {
        this.stopTimers();
        this.set({ phase: 'ended', viewers, sourceUrl: undefined });
      } else if (body.status === 'idle' && this.state.phase === 'live') {
        this.set({ viewers });
        void this.load();
      } else if (viewers !== this.state.viewers) this.set({ viewers });
      return;
    }
    const error = errorOf(body, status);
    if (error.code === ErrorCode.StreamNotLive) void this.load();
    else if (FINAL_CODES.has(error.code) || error.code === ErrorCode.StreamFull) {
      this.stopTimers();
      this.set({ phase: 'error', error, sourceUrl: undefined });
    }
  }
}

function errorOf(body: unknown, status: number, recording = false): ErrorBody {
  const e = (body as { error?: Partial<ErrorBody> } | undefined)?.error;
  if (e && typeof e.code === 'string') return { code: e.code, message: typeof e.message === 'string' ? e.message : '' };
  if (status === 401) return { code: ErrorCode.Unauthorized, message: 'Not signed in' };
  if (status === 403) return { code: ErrorCode.Forbidden, message: 'Not allowed' };
  if (status === 404) return recording ? { code: ErrorCode.NotFound, message: 'No such recording' } : { code: ErrorCode.StreamNotFound, message: 'No such stream' };
  return { code: ErrorCode.Internal, message: `The server answered ${status}` };
}

function isPlaybackInfo(v: unknown): v is PlaybackInfo {
  const o = v as Partial<PlaybackInfo> | undefined;
  return !!o && typeof o === 'object' && (o.status === 'idle' || o.status === 'live' || o.status === 'ended') && Array.isArray(o.renditions);
}

function isHeartbeat(v: unknown): v is HeartbeatAnswer {
  const o = v as Partial<HeartbeatAnswer> | undefined;
  return !!o && typeof o === 'object' && typeof o.status === 'string' && typeof o.viewers === 'number';
}

/**
 * Carries the newest signature onto a URL signed earlier, so hls.js keeps its buffer and levels
 * across a re-sign instead of reloading the source. Two schemes:
 * - in the path (the backend's `/hls/<stream>/<exp>/<sig>/master.m3u8`): a URL under the folder
 *   of an earlier master URL is moved under the current master's folder;
 * - in the query: the parameters that differ between the first master URL and the current one
 *   (signature, expiry) take the current values wherever the URL carries them.
 * Other URLs (another origin, unsigned) are unchanged.
 */
export function resignUrl(url: string, earlier: readonly string[], currentMaster: string | undefined): string {
  const first = earlier[0];
  if (!first || !currentMaster) return url;
  const folder = (u: string) => u.slice(0, u.lastIndexOf('/') + 1);
  const noQuery = (u: string) => u.split(/[?#]/)[0]!;
  const currentFolder = folder(noQuery(currentMaster));
  let out = url;
  for (const e of earlier) {
    const f = folder(noQuery(e));
    if (f !== currentFolder && f.length > 8 && out.startsWith(f)) {
      out = currentFolder + out.slice(f.length);
      break;
    }
  }
  let target: URL;
  let firstUrl: URL;
  let current: URL;
  try {
    target = new URL(out);
    firstUrl = new URL(first);
    current = new URL(currentMaster);
  } catch {
    return out;
  }
  if (target.origin !== current.origin) return url;
  let changed = false;
  for (const [name, value] of current.searchParams) {
    if (firstUrl.searchParams.get(name) === value) continue;
    const had = target.searchParams.get(name);
    if (had === null || had === value) continue;
    target.searchParams.set(name, value);
    changed = true;
  }
  return changed ? target.href : out;
}
