import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { StreamModel, streamErrorMessage, type StreamPhase } from '../../stream/stream-model.js';
import { FitElement } from '../fit-element.js';
import { RoomController } from '../room-controller.js';
import { styles } from './fit-live-stream.styles.js';
import { StreamPlayer, type PlayerEngine } from './stream-player.js';

/**
 * A club's live broadcast (HLS) for many viewers.
 *
 * @summary Plays the stream at the live edge: muted autoplay with a tap-to-unmute button, play and
 * pause, a quality menu, a LIVE indicator with "Go live" when behind, the viewer count and
 * fullscreen. hls.js is loaded as its own file only when a stream plays (never where the browser
 * plays HLS itself, as Safari and iOS do). Keys: Space/K play-pause, M mute, F fullscreen.
 *
 * @fires fit-stream-state - The state changed. `detail: { state }`: `loading` | `idle` (not started) | `live` | `ended` | `error`.
 * @fires fit-viewers - The live viewer count changed. `detail: { viewers }`.
 * @fires fit-error - The stream cannot be played. `detail: { code, message }` (`stream_not_found`, `stream_full`, `token_expired`, `media_error`, …).
 *
 * @slot starts-soon - What a stream that has not started says (default "Starts soon").
 * @slot ended - What an ended stream says (default "This stream has ended").
 *
 * @csspart base - The player box (focusable; keyboard shortcuts).
 * @csspart video - The `<video>`.
 * @csspart poster - The poster image before the stream plays.
 * @csspart overlay - The state message over the picture (not started, ended, error, loading).
 * @csspart unmute-button - "Tap to unmute", shown while muted.
 * @csspart controls - The control bar.
 * @csspart play-button - Play / pause.
 * @csspart mute-button - Mute / unmute.
 * @csspart live-button - The LIVE indicator; "Go live" when behind.
 * @csspart viewers - The viewer count.
 * @csspart quality - The quality menu (`<select>`).
 * @csspart fullscreen-button - Fullscreen.
 * @csspart retry-button - "Try again" after an error.
 *
 * @cssproperty --fit-accent - Buttons and focus rings.
 * @cssproperty --fit-bg - Behind the picture.
 * @cssproperty --fit-fg - Text and icons.
 * @cssproperty --fit-radius - Corner radius.
 * @cssproperty --fit-danger - Error text.
 * @cssproperty --fit-live-color - The lit LIVE dot.
 * @cssproperty --fit-controls-bg - The control bar's background.
 * @cssproperty --fit-stream-aspect-ratio - The player's shape (default 16 / 9).
 * @cssproperty --fit-font - Font family.
 */
export class FitLiveStream extends FitElement {
  static override styles = styles;
  static override properties = {
    server: { type: String },
    streamId: { type: String, attribute: 'stream-id' },
    token: { type: String },
    poster: { type: String },
    state: { type: String, reflect: true },
    engine: { type: String },
  };

  /** Base URL of the FitLive backend (defaults to the page's origin). */
  declare server: string;
  declare streamId: string;
  /** Viewer token (JWT) from the club's server (`POST /api/v1/streams/:id/join`). */
  declare token: string;
  /** A poster image; the stream's own poster is used when this is empty. */
  declare poster: string;
  /** Reflected, read-only: `loading` | `idle` | `live` | `ended` | `error`. */
  declare state: StreamPhase;
  /** Force a playback engine (`native` | `hls`); empty = native HLS where the browser has it. */
  declare engine: PlayerEngine | '';

  private model: StreamModel | undefined;
  private player: StreamPlayer | undefined;
  private readonly modelController = new RoomController(this);
  private announcement = '';
  private lastViewers = -1;
  private lastError: string | undefined;
  private paused = true;
  private muted = true;
  private blocked = false;
  private fullscreen = false;

  constructor() {
    super();
    this.server = '';
    this.streamId = '';
    this.token = '';
    this.poster = '';
    this.state = 'loading';
    this.engine = '';
  }

  /** The stream model (DOM-free; for tests and custom UIs). */
  get stream(): StreamModel | undefined {
    return this.model;
  }

  /** The `<video>` inside. */
  get video(): HTMLVideoElement | null {
    return this.renderRoot.querySelector('video');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    this.teardown();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('server') || changed.has('streamId') || changed.has('token') || changed.has('engine')) && this.isConnected) this.setup();
    this.player?.sync();
  }

  private teardown(): void {
    this.player?.dispose();
    this.player = undefined;
    this.model?.dispose();
    this.model?.removeEventListener('phase', this.onPhase);
    this.model = undefined;
    this.modelController.set(undefined);
  }

  private setup(): void {
    this.teardown();
    if (!this.streamId || !this.token) return;
    const video = this.video;
    if (!video) return;
    const model = new StreamModel({ server: this.server || location.origin, streamId: this.streamId, token: this.token });
    this.model = model;
    model.addEventListener('phase', this.onPhase);
    this.player = new StreamPlayer(video, model, () => this.requestUpdate(), this.engine || undefined);
    this.modelController.set(model);
    this.lastViewers = -1;
    this.lastError = undefined;
    void model.start();
  }

  private readonly onPhase = () => {
    const model = this.model;
    if (!model) return;
    const { phase, error } = model.state;
    this.state = phase;
    this.announcement = this.describePhase();
    this.emit('fit-stream-state', { state: phase });
    if (phase === 'error' && error && error.code !== this.lastError) {
      this.lastError = error.code;
      this.emit('fit-error', { code: error.code, message: streamErrorMessage(error) });
    }
    if (phase !== 'error') this.lastError = undefined;
    if (phase === 'live') this.autoplay();
  };

  private describePhase(): string {
    const s = this.model?.state;
    switch (s?.phase) {
      case 'idle':
        return 'The stream starts soon.';
      case 'live':
        return 'The stream is live.';
      case 'ended':
        return 'The stream has ended.';
      case 'error':
        return s.error ? streamErrorMessage(s.error) : 'The stream cannot be played.';
      default:
        return 'Loading the stream.';
    }
  }

  /** Muted autoplay: browsers allow it; if even that is refused, a big Play button shows. */
  private autoplay(): void {
    const video = this.video;
    if (!video) return;
    video.muted = this.muted;
    void this.updateComplete.then(() => this.player?.ready).then(() =>
      video.play().then(
        () => (this.blocked = false),
        () => {
          this.blocked = true;
          this.requestUpdate();
        },
      ),
    );
  }

  /** Plays or pauses. */
  togglePlay(): void {
    const video = this.video;
    if (!video || this.model?.state.phase !== 'live') return;
    if (video.paused) {
      // Resuming a live stream: back to the edge unless the viewer deliberately paused a moment ago.
      void video.play().catch(() => undefined);
    } else video.pause();
  }

  /** Mutes or unmutes. */
  toggleMute(): void {
    const video = this.video;
    if (!video) return;
    this.muted = !video.muted;
    video.muted = this.muted;
    if (!this.muted && video.paused && this.model?.state.phase === 'live') void video.play().catch(() => undefined);
    this.announcement = this.muted ? 'Muted.' : 'Sound on.';
    this.requestUpdate();
  }

  /** Enters or leaves fullscreen (the whole player, controls included). */
  async toggleFullscreen(): Promise<void> {
    const base = this.renderRoot.querySelector<HTMLElement>('.base');
    if (!base) return;
    if (document.fullscreenElement) return void (await document.exitFullscreen().catch(() => undefined));
    if (base.requestFullscreen) return void (await base.requestFullscreen().catch(() => undefined));
    // iOS Safari: only the video itself can go fullscreen.
    (this.video as HTMLVideoElement & { webkitEnterFullscreen?: () => void })?.webkitEnterFullscreen?.();
  }

  /** Back to the newest picture. */
  goLive(): void {
    this.player?.goLive();
  }

  /** Tries again after an error. */
  retry(): void {
    void this.model?.retry();
  }

  private readonly onFullscreenChange = () => {
    this.fullscreen = !!document.fullscreenElement && this.renderRoot.contains(document.fullscreenElement);
    this.requestUpdate();
  };

  private onKeydown(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    if (target?.localName === 'select') return;
    const key = e.key.toLowerCase();
    if (key === ' ' || key === 'k') {
      if (key === ' ' && target?.localName === 'button') return; // the button's own action
      e.preventDefault();
      this.togglePlay();
    } else if (key === 'm') {
      e.preventDefault();
      this.toggleMute();
    } else if (key === 'f') {
      e.preventDefault();
      void this.toggleFullscreen();
    }
  }

  private onMediaEvent = (e: Event) => {
    const video = e.target as HTMLVideoElement;
    this.paused = video.paused;
    if (e.type === 'playing') this.blocked = false;
    if (e.type === 'playing' || e.type === 'pause' || e.type === 'ended') this.model?.setPlaying(e.type === 'playing');
    if (e.type === 'volumechange') this.muted = video.muted;
    this.requestUpdate();
  };

  protected override willUpdate(): void {
    const viewers = this.model?.state.viewers;
    if (viewers !== undefined && viewers !== this.lastViewers && this.model?.state.phase === 'live') {
      this.lastViewers = viewers;
      this.emit('fit-viewers', { viewers });
    }
  }

  protected override render(): TemplateResult {
    const s = this.model?.state;
    const phase: StreamPhase = s?.phase ?? 'loading';
    const live = phase === 'live';
    const player = this.player;
    const posterUrl = this.poster || s?.posterUrl;
    const playing = live && !this.paused;
    const atEdge = live && !!player?.atLiveEdge();
    const onMedia = this.onMediaEvent;
    return html`<div
      part="base"
      class="base"
      tabindex="0"
      role="region"
      aria-label=${s?.title ? `Live stream: ${s.title}` : 'Live stream'}
      data-state=${phase}
      @keydown=${this.onKeydown}
    >
      ${posterUrl && !playing ? html`<img part="poster" class="poster" src=${posterUrl} alt="" />` : nothing}
      <video
        part="video"
        data-testid="video"
        playsinline
        .muted=${this.muted}
        ?hidden=${!live}
        aria-label=${s?.title || 'Live stream video'}
        @playing=${onMedia}
        @pause=${onMedia}
        @play=${onMedia}
        @ended=${onMedia}
        @waiting=${onMedia}
        @timeupdate=${onMedia}
        @volumechange=${onMedia}
        @click=${() => this.togglePlay()}
      ></video>
      ${this.overlay(phase)}
      ${live && this.muted && !this.blocked
        ? html`<button part="unmute-button" class="unmute" data-testid="unmute" @click=${() => this.toggleMute()}>🔇 Tap to unmute</button>`
        : nothing}
      ${live ? this.controls(playing, atEdge) : nothing}
      <div class="sr-only" role="status" aria-live="polite" data-testid="announcer">${this.announcement}</div>
    </div>`;
  }

  private overlay(phase: StreamPhase): TemplateResult | typeof nothing {
    const s = this.model?.state;
    switch (phase) {
      case 'loading':
        return html`<div part="overlay" class="overlay" data-testid="overlay" data-state="loading"><div class="spinner" aria-hidden="true"></div><span class="sr-only">Loading</span></div>`;
      case 'idle':
        return html`<div part="overlay" class="overlay" data-testid="overlay" data-state="idle">
          ${s?.title ? html`<div class="sub">${s.title}</div>` : nothing}
          <div class="headline"><slot name="starts-soon">Starts soon</slot></div>
        </div>`;
      case 'ended':
        return html`<div part="overlay" class="overlay" data-testid="overlay" data-state="ended">
          <div class="headline"><slot name="ended">This stream has ended</slot></div>
          ${s?.title ? html`<div class="sub">${s.title}</div>` : nothing}
        </div>`;
      case 'error':
        return html`<div part="overlay" class="overlay error" data-testid="overlay" data-state="error" data-code=${s?.error?.code ?? ''}>
          <div class="headline" data-testid="error-message">${s?.error ? streamErrorMessage(s.error) : 'This stream cannot be played.'}</div>
          <button part="retry-button" data-testid="retry" @click=${() => this.retry()}>Try again</button>
        </div>`;
      default:
        return this.blocked
          ? html`<div part="overlay" class="overlay" data-testid="overlay" data-state="blocked">
              <button class="big-play" part="play-button" data-testid="big-play" @click=${() => this.toggleMute()}>▶ Play with sound</button>
            </div>`
          : nothing;
    }
  }

  private controls(playing: boolean, atEdge: boolean): TemplateResult {
    const s = this.model!.state;
    const player = this.player;
    const levels = player?.levels ?? [];
    const current = levels.find((l) => l.index === player?.playingLevel);
    return html`<div part="controls" class="controls" data-testid="controls">
      <button part="play-button" data-testid="play" aria-label=${playing ? 'Pause' : 'Play'} @click=${() => this.togglePlay()}>${playing ? '❚❚' : '▶'}</button>
      <button part="mute-button" data-testid="mute" aria-label=${this.muted ? 'Unmute' : 'Mute'} aria-pressed=${this.muted ? 'true' : 'false'} @click=${() => this.toggleMute()}>
        ${this.muted ? '🔇' : '🔊'}
      </button>
      <button
        part="live-button"
        class="live"
        data-testid="live"
        ?data-at-edge=${atEdge}
        aria-label=${atEdge ? 'Live: you are watching the newest picture' : 'Go live: jump to the newest picture'}
        @click=${() => this.goLive()}
      >
        ${atEdge ? 'LIVE' : 'Go live'}
      </button>
      <span part="viewers" class="viewers" data-testid="viewers" aria-label=${`${s.viewers} watching`}>👁 ${s.viewers}<span class="label"> watching</span></span>
      <span class="spacer"></span>
      ${player?.engine === 'hls' && levels.length > 1
        ? html`<select
            part="quality"
            data-testid="quality"
            aria-label="Quality"
            @change=${(e: Event) => player.setLevel(Number((e.target as HTMLSelectElement).value))}
          >
            <option value="-1" ?selected=${player.selectedLevel === -1}>Auto${player.selectedLevel === -1 && current ? ` (${current.label})` : ''}</option>
            ${levels.map((l) => html`<option value=${String(l.index)} ?selected=${player.selectedLevel === l.index}>${l.label}</option>`)}
          </select>`
        : nothing}
      <button part="fullscreen-button" data-testid="fullscreen" aria-label=${this.fullscreen ? 'Exit fullscreen' : 'Fullscreen'} @click=${() => void this.toggleFullscreen()}>
        ${this.fullscreen ? '⤡' : '⛶'}
      </button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fit-live-stream': FitLiveStream;
  }
}
