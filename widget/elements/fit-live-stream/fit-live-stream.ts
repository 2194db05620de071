import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ChatMessage } from '../../../protocol/social.js';
import { StreamChat } from '../../stream/stream-chat.js';
import { isPlayable, StreamModel, streamErrorKey, streamErrorMessage, type StreamPhase } from '../../stream/stream-model.js';
import type { ErrorBody } from '../../../protocol/errors.js';
import { SupabaseSignIn } from '../../auth/supabase-sign-in.js';
import { chatPanel, loadOlderNearTop, sendDraft } from '../chat-panel.js';
import { signInPanel } from '../sign-in-panel.js';
import { signInStyles } from '../sign-in-panel.styles.js';
import { chatStyles } from '../chat-panel.styles.js';
import { ChatScrollController } from '../chat-scroll-controller.js';
import { LocaleController } from '../../i18n/locale.js';
import { themeStyles } from '../theme.styles.js';
import { FitElement } from '../fit-element.js';
import { RoomController } from '../room-controller.js';
import { styles } from './fit-live-stream.styles.js';
import { StreamPlayer, type PlayerEngine } from './stream-player.js';

/**
 * A club's live broadcast (HLS) for many viewers.
 *
 * @tag fit-live-stream
 * @summary Plays the stream at the live edge: muted autoplay with a tap-to-unmute button, play and
 * pause, a quality menu, a LIVE indicator with "Go live" when behind, the viewer count and
 * fullscreen. hls.js is loaded as its own file only when a stream plays (never where the browser
 * plays HLS itself, as Safari and iOS do). Keys: Space/K play-pause, M mute, F fullscreen.
 *
 * With `recording-id` it plays a recording of the stream (HLS VOD) instead: paused with sound and a
 * big Play button, a seek bar (arrows ±5 s, Home/End), current time / duration; no LIVE, no viewer
 * count. Left/Right arrows seek ±5 s from anywhere in the player.
 *
 * @fires fit-stream-state - The state changed. `detail: { state }`: `loading` | `idle` (not started) | `live` | `recording` (a recording to play) | `ended` | `error`.
 * @fires fit-viewers - The live viewer count changed. `detail: { viewers }`.
 * A stream from a class has the class's chat beside the picture (below it when the player is
 * narrower than 900px): viewers read along while the stream waits, write while it is live, and
 * keep the messages to read when it ends. `no-chat` hides it.
 *
 * @fires fit-chat-message - A chat message arrived live (once each). `detail`: `{ seq, participantId, displayName, role, text, sentAt }` (`role` is `coach`, `member` or `viewer`).
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
 * @csspart play-button - Play / pause (also the big Play button of a blocked stream or a recording).
 * @csspart mute-button - Mute / unmute.
 * @csspart live-button - The LIVE indicator; "Go live" when behind.
 * @csspart viewers - The viewer count.
 * @csspart seek - A recording's seek bar (`role="slider"`).
 * @csspart seek-fill - The played part of the seek bar.
 * @csspart time - A recording's current time / duration.
 * @csspart quality - The quality menu (`<select>`).
 * @csspart fullscreen-button - Fullscreen.
 * @csspart retry-button - "Try again" after an error.
 * @csspart chat - The chat panel (streams from a class).
 * @csspart chat-list - The messages.
 * @csspart chat-input - The message box.
 * @csspart chat-send - The Send button.
 * @csspart chat-notice - Why a message was not sent (too fast, muted).
 * @csspart chat-role - The Coach / Viewer badge on a message.
 * @csspart chat-unread - Unread count on the folded chat.
 *
 * @cssproperty --fit-accent - Buttons and focus rings.
 * @cssproperty --fit-on-accent - Text on accent-coloured buttons and badges (default dark, 7:1 on the default orange; `#fff` suits a dark accent).
 * @cssproperty --fit-accent-text - The accent used as text (default: the accent; darker in the light theme).
 * @cssproperty --fit-bg - Behind the picture.
 * @cssproperty --fit-fg - Text and icons.
 * @cssproperty --fit-radius - Corner radius.
 * @cssproperty --fit-danger - Error text.
 * @cssproperty --fit-live-color - The lit LIVE dot.
 * @cssproperty --fit-controls-bg - The control bar's background.
 * @cssproperty --fit-stream-aspect-ratio - The player's shape (default 16 / 9).
 * @cssproperty --fit-font - Font family.
 * @cssproperty --fit-tile-bg - The chat panel's background.
 * @cssproperty --fit-muted - Secondary text in the chat.
 * @cssproperty --fit-chat-width - The chat's width beside the picture (default 320px).
 * @cssproperty --fit-chat-height - The message list's height when the chat is below the picture (default 320px).
 */
export class FitLiveStream extends FitElement {
  static override styles = [styles, themeStyles, chatStyles, signInStyles];
  private readonly i18n = new LocaleController(this);
  static override properties = {
    theme: { type: String, reflect: true },
    server: { type: String },
    noChat: { type: Boolean, attribute: 'no-chat' },
    supabaseUrl: { type: String, attribute: 'supabase-url' },
    supabaseAnonKey: { type: String, attribute: 'supabase-anon-key' },
    signInMode: { state: true },
    chatOpen: { state: true },
    chatDraft: { state: true },
    streamId: { type: String, attribute: 'stream-id' },
    recordingId: { type: String, attribute: 'recording-id' },
    token: { type: String },
    poster: { type: String },
    state: { type: String, reflect: true },
    engine: { type: String },
  };

  /** `dark` (default), `light`, or `auto` (follows the visitor's system setting). Page `--fit-*` values win over either. */
  declare theme: 'dark' | 'light' | 'auto' | undefined;
  /** Base URL of the FitLive backend (defaults to the page's origin). */
  declare server: string;
  declare streamId: string;
  /** Plays this recording (`r_…`) instead of the live stream; `token` is a viewer token of its stream. */
  declare recordingId: string;
  /** Viewer token (JWT) from the club's server (`POST /api/v1/streams/:id/join`). */
  declare token: string;
  /** A poster image; the stream's own poster is used when this is empty. */
  declare poster: string;
  /** Reflected, read-only: `loading` | `idle` | `live` | `recording` | `ended` | `error`. */
  declare state: StreamPhase;
  /** Force a playback engine (`native` | `hls`); empty = native HLS where the browser has it. */
  declare engine: PlayerEngine | '';
  /** Hides the chat of a stream that has one. */
  declare noChat: boolean;
  /** The club's Supabase project URL: viewers sign in with their club account (instead of a `token`). */
  declare supabaseUrl: string;
  /** The project's anon (public) key. */
  declare supabaseAnonKey: string;
  declare signInMode: 'password' | 'code';
  private signIn: SupabaseSignIn | undefined;
  private readonly signInController = new RoomController(this);
  declare chatOpen: boolean;
  declare chatDraft: string;

  private model: StreamModel | undefined;
  private player: StreamPlayer | undefined;
  private readonly modelController = new RoomController(this);
  private streamChat: StreamChat | undefined;
  private readonly chatController = new RoomController(this);
  private readonly chatScroll = new ChatScrollController(this, () => this.renderRoot?.querySelector?.<HTMLElement>('[data-testid="chat-list"]'));
  /** What the live region says, worded at render time (so it follows the language). */
  private announcement: () => string = () => '';
  private lastViewers = -1;
  private lastError: string | undefined;
  private paused = true;
  private muted = true;
  private blocked = false;
  private fullscreen = false;
  /** A recording was started once (the big Play button and the poster go). */
  private vodStarted = false;

  constructor() {
    super();
    this.server = '';
    this.streamId = '';
    this.recordingId = '';
    this.token = '';
    this.poster = '';
    this.state = 'loading';
    this.engine = '';
    this.noChat = false;
    this.supabaseUrl = '';
    this.supabaseAnonKey = '';
    this.signInMode = 'password';
    this.chatOpen = true;
    this.chatDraft = '';
  }

  /** The stream's chat (DOM-free; for tests and custom UIs), once the stream has one. */
  get chat(): StreamChat | undefined {
    return this.streamChat;
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
    this.signIn?.dispose();
    this.signIn = undefined;
  }

  /** With the club's Supabase project and no token, viewers sign in for a viewer token. */
  private setupSignIn(): void {
    if (this.signIn || this.token || !this.supabaseUrl || !this.supabaseAnonKey || !this.streamId || this.recordingId) return;
    const signIn = new SupabaseSignIn({ supabaseUrl: this.supabaseUrl, anonKey: this.supabaseAnonKey, server: this.server || location.origin, target: { streamId: this.streamId } });
    signIn.addEventListener('token', (e) => {
      const { token } = (e as CustomEvent<{ token: string }>).detail;
      if (!this.model) this.token = token;
      else {
        // A renewal: the player and the chat go on with it, nothing reloads.
        this.model.setToken(token);
        this.streamChat?.setToken(token);
      }
    });
    // Signed out: the player stops and the sign-in comes back.
    signIn.addEventListener('signed-out', () => (this.token = ''));
    this.signIn = signIn;
    this.signInController.set(signIn);
    void signIn.start();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('supabaseUrl') || changed.has('supabaseAnonKey') || changed.has('streamId')) this.setupSignIn();
    if ((changed.has('server') || changed.has('streamId') || changed.has('recordingId') || changed.has('token') || changed.has('engine')) && this.isConnected) this.setup();
    else if (changed.has('noChat') && changed.get('noChat') !== undefined) {
      if (this.noChat) this.closeChat();
      else this.syncChat();
    }
    this.player?.sync();
  }

  private teardown(): void {
    this.closeChat();
    this.streamChat = undefined;
    this.chatController.set(undefined);
    this.player?.dispose();
    this.player = undefined;
    this.model?.dispose();
    this.model?.removeEventListener('phase', this.onPhase);
    this.model = undefined;
    this.modelController.set(undefined);
  }

  private setup(): void {
    this.teardown();
    if ((!this.streamId && !this.recordingId) || !this.token) return;
    const video = this.video;
    if (!video) return;
    const model = new StreamModel({ server: this.server || location.origin, streamId: this.streamId, recordingId: this.recordingId || undefined, token: this.token });
    // A recording is chosen, not stumbled upon: it waits, with sound, for the viewer to press Play.
    this.muted = !this.recordingId;
    this.vodStarted = false;
    this.blocked = false;
    video.muted = this.muted;
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
    this.announcement = () => this.describePhase();
    this.emit('fit-stream-state', { state: phase });
    if (phase === 'error' && error && error.code !== this.lastError) {
      this.lastError = error.code;
      this.emit('fit-error', { code: error.code, message: streamErrorMessage(error) });
    }
    if (phase !== 'error') this.lastError = undefined;
    if (phase === 'live') this.autoplay();
    this.syncChat();
  };

  /**
   * The chat follows the stream: it opens once the stream says it has one (while it waits or
   * plays) and closes when the stream ends, keeping its messages on screen.
   */
  private syncChat(): void {
    const s = this.model?.state;
    if (!s || this.noChat || !s.chat || !this.streamId) return;
    if ((s.phase === 'idle' || s.phase === 'live') && !this.streamChat) {
      const chat = new StreamChat({ server: this.server || location.origin, streamId: this.streamId, token: this.token });
      chat.addEventListener('message', (e) => this.emit('fit-chat-message', (e as CustomEvent<ChatMessage>).detail));
      this.streamChat = chat;
      this.chatController.set(chat);
      this.chatScroll.stickToBottom();
    } else if (s.phase === 'ended') this.closeChat();
  }

  private closeChat(): void {
    if (this.streamChat && !this.streamChat.isClosed) this.streamChat.close();
  }

  /** Opens or folds the chat (folded, new messages count as unread). */
  setChatOpen(open: boolean): void {
    this.chatOpen = open;
    this.streamChat?.chat.setVisible(open);
    if (open) this.chatScroll.stickToBottom();
  }

  private sendChat(): void {
    if (!sendDraft(this.streamChat?.chat, this.chatDraft)) return;
    this.chatDraft = '';
    this.chatScroll.stickToBottom();
  }

  private onChatScroll(e: Event): void {
    loadOlderNearTop(e, this.streamChat?.chat, (intent) => void intent().catch(() => undefined));
  }

  /** Why a viewer cannot write now (besides a mute), or undefined when they can. */
  private chatClosedReason(): string | undefined {
    const c = this.streamChat?.state;
    const phase = this.model?.state.phase;
    const { t } = this.i18n;
    if (phase === 'ended') return t('chat.streamEnded');
    if (phase === 'idle') return t('chat.opensWhenLive');
    if (c?.status === 'reconnecting' || c?.status === 'connecting') return t('chat.connecting');
    if (c?.status === 'closed') return t('chat.closed');
    return undefined;
  }

  private renderChat(): TemplateResult | typeof nothing {
    const chat = this.streamChat;
    // A stream whose chat was refused (no chat, a site the club does not allow) shows none.
    if (!chat || this.noChat || chat.state.error) return nothing;
    return chatPanel({
      i18n: this.i18n,
      chat: chat.chat,
      self: chat.state.self,
      chatMuted: [],
      open: this.chatOpen,
      draft: this.chatDraft,
      setOpen: (open) => this.setChatOpen(open),
      setDraft: (text) => {
        this.chatDraft = text;
        chat.chat.clearNotice();
      },
      submit: () => this.sendChat(),
      onScroll: (e) => this.onChatScroll(e),
      run: (intent) => void intent().catch(() => undefined),
      closed: this.chatClosedReason(),
    });
  }

  private describePhase(): string {
    const s = this.model?.state;
    const { t } = this.i18n;
    switch (s?.phase) {
      case 'idle':
        return t('stream.say.idle');
      case 'live':
        return t('stream.say.live');
      case 'recording':
        return t('stream.say.recording', { title: s.title });
      case 'ended':
        return t('stream.say.ended');
      case 'error':
        return s.error ? this.errorText(s.error) : t('stream.say.cannotPlay');
      default:
        return t('stream.say.loading');
    }
  }

  /** A stream error in the viewer's language (English: the words `fit-error` carries too). */
  private errorText(error: ErrorBody): string {
    const key = streamErrorKey(error);
    if (this.i18n.shown === 'en') return streamErrorMessage(error);
    return key === 'stream.error.other' ? this.i18n.error(error, this.i18n.t(key)) : this.i18n.t(key);
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
    const phase = this.model?.state.phase;
    if (!video || !phase || !isPlayable(phase)) return;
    if (video.paused) {
      if (phase === 'recording') return this.playRecording();
      void video.play().catch(() => undefined);
    } else video.pause();
  }

  /** A recording: play with sound; if even a click is not enough for the browser, play muted. */
  private playRecording(): void {
    const video = this.video;
    if (!video) return;
    this.vodStarted = true;
    this.requestUpdate();
    void (this.player?.ready ?? Promise.resolve()).then(() =>
      video.play().catch(() => {
        this.muted = true;
        video.muted = true;
        return video.play().catch(() => undefined);
      }),
    );
  }

  /** A recording: jumps to `seconds` (clamped to the recording). */
  seek(seconds: number): void {
    this.player?.seek(seconds);
  }

  /** A recording: moves the playhead by `delta` seconds. */
  seekBy(delta: number): void {
    const video = this.video;
    if (video) this.seek(video.currentTime + delta);
  }

  /** Mutes or unmutes. */
  toggleMute(): void {
    const video = this.video;
    if (!video) return;
    this.muted = !video.muted;
    video.muted = this.muted;
    if (!this.muted && video.paused && this.model?.state.phase === 'live') void video.play().catch(() => undefined);
    const muted = this.muted;
    this.announcement = () => this.i18n.t(muted ? 'stream.say.muted' : 'stream.say.soundOn');
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

  /** The seek bar's own keys: arrows ±5 s, Page Up/Down ±30 s, Home/End. */
  private onSeekKeydown(e: KeyboardEvent): void {
    const video = this.video;
    if (!video) return;
    const duration = Number.isFinite(video.duration) ? video.duration : 0;
    const to: Record<string, number> = {
      ArrowLeft: video.currentTime - SEEK_STEP_S,
      ArrowDown: video.currentTime - SEEK_STEP_S,
      ArrowRight: video.currentTime + SEEK_STEP_S,
      ArrowUp: video.currentTime + SEEK_STEP_S,
      PageDown: video.currentTime - 30,
      PageUp: video.currentTime + 30,
      Home: 0,
      End: duration,
    };
    if (!(e.key in to)) return;
    e.preventDefault();
    e.stopPropagation();
    this.seek(to[e.key]!);
  }

  /** Clicking or dragging on the seek bar. */
  private onSeekPointer(e: PointerEvent): void {
    const bar = e.currentTarget as HTMLElement;
    const video = this.video;
    if (!video || !Number.isFinite(video.duration)) return;
    if (e.type === 'pointerdown') {
      bar.setPointerCapture?.(e.pointerId);
      bar.focus();
    } else if (e.type === 'pointermove' && !bar.hasPointerCapture?.(e.pointerId)) return;
    const r = bar.getBoundingClientRect();
    const at = Math.max(0, Math.min(1, (e.clientX - r.left) / (r.width || 1)));
    this.seek(at * video.duration);
  }

  private onKeydown(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    if (target?.localName === 'select') return;
    const key = e.key.toLowerCase();
    if (this.model?.state.phase === 'recording' && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      this.seekBy(e.key === 'ArrowLeft' ? -SEEK_STEP_S : SEEK_STEP_S);
      return;
    }
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
    if (e.type === 'playing') this.vodStarted = true;
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
    const recording = phase === 'recording';
    const playable = isPlayable(phase);
    const player = this.player;
    const posterUrl = this.poster || s?.posterUrl;
    const playing = playable && !this.paused;
    const atEdge = live && !!player?.atLiveEdge();
    const onMedia = this.onMediaEvent;
    const { t } = this.i18n;
    const what = t(recording || (!s && this.recordingId) ? 'stream.recording' : 'stream.liveStream');
    const showPoster = posterUrl && (recording ? !this.vodStarted : !playing);
    const chat = this.renderChat();
    return html`<div class="layout" data-chat=${chat !== nothing} data-chat-open=${this.chatOpen}><div
      part="base"
      class="base"
      tabindex="0"
      role="region"
      aria-label=${s?.title ? `${what}: ${s.title}` : what}
      data-state=${phase}
      @keydown=${this.onKeydown}
    >
      ${showPoster ? html`<img part="poster" class="poster" src=${posterUrl} alt="" />` : nothing}
      <video
        part="video"
        data-testid="video"
        playsinline
        .muted=${this.muted}
        ?hidden=${!playable}
        aria-label=${s?.title || t(recording ? 'stream.recordingVideo' : 'stream.liveVideo')}
        @playing=${onMedia}
        @pause=${onMedia}
        @play=${onMedia}
        @ended=${onMedia}
        @waiting=${onMedia}
        @timeupdate=${onMedia}
        @volumechange=${onMedia}
        @durationchange=${onMedia}
        @loadedmetadata=${onMedia}
        @seeking=${onMedia}
        @seeked=${onMedia}
        @progress=${onMedia}
        @click=${() => this.togglePlay()}
      ></video>
      ${this.signIn && !this.token
        ? html`<div part="overlay" class="overlay sign-in-overlay" data-testid="overlay" data-state="sign-in">${signInPanel(this.signIn, this.signInMode, (m) => (this.signInMode = m), this.i18n)}</div>`
        : this.overlay(phase)}
      ${live && this.muted && !this.blocked
        ? html`<button part="unmute-button" class="unmute" data-testid="unmute" @click=${() => this.toggleMute()}>🔇 ${t('stream.tapToUnmute')}</button>`
        : nothing}
      ${live ? this.controls(playing, atEdge) : nothing} ${recording ? this.vodControls(playing) : nothing}
      <div class="sr-only" role="status" aria-live="polite" data-testid="announcer">${this.announcement()}</div>
    </div>${chat}</div>`;
  }

  private overlay(phase: StreamPhase): TemplateResult | typeof nothing {
    const s = this.model?.state;
    switch (phase) {
      case 'loading':
        return html`<div part="overlay" class="overlay" data-testid="overlay" data-state="loading"><div class="spinner" aria-hidden="true"></div><span class="sr-only">${this.i18n.t('stream.loading')}</span></div>`;
      case 'idle':
        return html`<div part="overlay" class="overlay" data-testid="overlay" data-state="idle">
          ${s?.title ? html`<div class="sub">${s.title}</div>` : nothing}
          <div class="headline"><slot name="starts-soon">${this.i18n.t('stream.startsSoon')}</slot></div>
        </div>`;
      case 'ended':
        return html`<div part="overlay" class="overlay" data-testid="overlay" data-state="ended">
          <div class="headline"><slot name="ended">${this.i18n.t('stream.ended')}</slot></div>
          ${s?.title ? html`<div class="sub">${s.title}</div>` : nothing}
        </div>`;
      case 'error':
        return html`<div part="overlay" class="overlay error" data-testid="overlay" data-state="error" data-code=${s?.error?.code ?? ''}>
          <div class="headline" data-testid="error-message">${s?.error ? this.errorText(s.error) : this.i18n.t('stream.cannotPlay')}</div>
          <button part="retry-button" data-testid="retry" @click=${() => this.retry()}>${this.i18n.t('stream.retry')}</button>
        </div>`;
      case 'recording': {
        const video = this.video;
        if (this.vodStarted && !video?.ended) return nothing;
        const again = !!video?.ended;
        return html`<div part="overlay" class="overlay" data-testid="overlay" data-state=${again ? 'recording-ended' : 'recording'}>
          ${s?.title && !again ? html`<div class="sub">${s.title}</div>` : nothing}
          <button class="big-play" part="play-button" data-testid="big-play" @click=${() => this.togglePlay()}>${again ? `↻ ${this.i18n.t('stream.playAgain')}` : `▶ ${this.i18n.t('stream.play')}`}</button>
        </div>`;
      }
      default:
        return this.blocked
          ? html`<div part="overlay" class="overlay" data-testid="overlay" data-state="blocked">
              <button class="big-play" part="play-button" data-testid="big-play" @click=${() => this.toggleMute()}>▶ ${this.i18n.t('stream.playWithSound')}</button>
            </div>`
          : nothing;
    }
  }

  /** Play/pause and mute: the same in the live and the recording control bars. */
  private playMuteButtons(playing: boolean): TemplateResult {
    return html`<button part="play-button" data-testid="play" aria-label=${this.i18n.t(playing ? 'stream.pause' : 'stream.play')} @click=${() => this.togglePlay()}>${playing ? '❚❚' : '▶'}</button>
      <button part="mute-button" data-testid="mute" aria-label=${this.i18n.t(this.muted ? 'stream.unmute' : 'stream.mute')} aria-pressed=${this.muted ? 'true' : 'false'} @click=${() => this.toggleMute()}>
        ${this.muted ? '🔇' : '🔊'}
      </button>`;
  }

  private fullscreenButton(): TemplateResult {
    return html`<button part="fullscreen-button" data-testid="fullscreen" aria-label=${this.i18n.t(this.fullscreen ? 'stream.exitFullscreen' : 'stream.fullscreen')} @click=${() => void this.toggleFullscreen()}>
      ${this.fullscreen ? '⤡' : '⛶'}
    </button>`;
  }

  /** A recording's controls: play/pause, mute, the seek bar, time / duration, fullscreen. */
  private vodControls(playing: boolean): TemplateResult {
    const video = this.video;
    const duration = video && Number.isFinite(video.duration) ? video.duration : 0;
    const current = Math.min(video?.currentTime ?? 0, duration || Infinity);
    const played = duration ? (current / duration) * 100 : 0;
    let buffered = 0;
    const ranges = video?.buffered;
    if (ranges && duration) {
      for (let i = 0; i < ranges.length; i++) if (ranges.start(i) <= current + 0.5) buffered = Math.max(buffered, ranges.end(i));
    }
    return html`<div part="controls" class="controls vod" data-testid="controls">
      ${this.playMuteButtons(playing)}
      <div
        part="seek"
        class="seek"
        data-testid="seek"
        role="slider"
        tabindex="0"
        aria-label=${this.i18n.t('stream.seek')}
        aria-valuemin="0"
        aria-valuemax=${String(Math.round(duration))}
        aria-valuenow=${String(Math.round(current))}
        aria-valuetext=${this.i18n.t('stream.timeOf', { current: clock(current), duration: clock(duration) })}
        @keydown=${this.onSeekKeydown}
        @pointerdown=${this.onSeekPointer}
        @pointermove=${this.onSeekPointer}
      >
        <div class="seek-track">
          <div class="seek-buffered" style=${`width:${duration ? (Math.min(buffered, duration) / duration) * 100 : 0}%`}></div>
          <div part="seek-fill" class="seek-fill" style=${`width:${played}%`}></div>
          <div class="seek-thumb" style=${`left:${played}%`}></div>
        </div>
      </div>
      <span part="time" class="time" data-testid="time">${clock(current)} / ${clock(duration)}</span>
      ${this.fullscreenButton()}
    </div>`;
  }

  private controls(playing: boolean, atEdge: boolean): TemplateResult {
    const s = this.model!.state;
    const player = this.player;
    const levels = player?.levels ?? [];
    const current = levels.find((l) => l.index === player?.playingLevel);
    return html`<div part="controls" class="controls" data-testid="controls">
      ${this.playMuteButtons(playing)}
      <button
        part="live-button"
        class="live"
        data-testid="live"
        ?data-at-edge=${atEdge}
        aria-label=${this.i18n.t(atEdge ? 'stream.atEdge' : 'stream.toEdge')}
        @click=${() => this.goLive()}
      >
        ${this.i18n.t(atEdge ? 'stream.live' : 'stream.goLive')}
      </button>
      <span part="viewers" class="viewers" data-testid="viewers" aria-label=${this.i18n.t('stream.viewers', { n: s.viewers })}>👁 ${s.viewers}<span class="label"> ${this.i18n.t('stream.watching')}</span></span>
      <span class="spacer"></span>
      ${player?.engine === 'hls' && levels.length > 1
        ? html`<select
            part="quality"
            data-testid="quality"
            aria-label=${this.i18n.t('stream.quality')}
            @change=${(e: Event) => player.setLevel(Number((e.target as HTMLSelectElement).value))}
          >
            <option value="-1" ?selected=${player.selectedLevel === -1}>${this.i18n.t('stream.auto')}${player.selectedLevel === -1 && current ? ` (${current.label})` : ''}</option>
            ${levels.map((l) => html`<option value=${String(l.index)} ?selected=${player.selectedLevel === l.index}>${l.label}</option>`)}
          </select>`
        : nothing}
      ${this.fullscreenButton()}
    </div>`;
  }
}

/** Seconds a seek key moves a recording. */
const SEEK_STEP_S = 5;

/** `m:ss`, or `h:mm:ss` from an hour. */
function clock(seconds: number): string {
  const t = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'fit-live-stream': FitLiveStream;
  }
}
