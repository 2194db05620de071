import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ErrorBody } from '../../../protocol/errors.js';
import type { Role } from '../../../protocol/participants.js';
import { LEVELS } from '../../../protocol/class-constants.js';
import type { Level } from '../../../protocol/class-state.js';
import type { ClassSummary } from '../../../protocol/summary.js';
import type { ChatMessage, SharedFile } from '../../../protocol/social.js';
import type { QualityReport } from '../../../protocol/signaling.js';
import { ChatScrollController } from '../chat-scroll-controller.js';
import type { ClassModel } from '../../room/class-model.js';
import { dropHeldConnection } from '../../room/lobby-connection.js';
import { RoomModel, browserDeps, loadMediaSession, roleHint, type RemoteParticipant, type RoomState } from '../../room/room-model.js';
import { LocaleController } from '../../i18n/locale.js';
import { themeStyles } from '../theme.styles.js';
import { FitElement } from '../fit-element.js';
import { RoomController } from '../room-controller.js';
import { TickController } from '../tick-controller.js';
import { VideoViewController } from '../video-view-controller.js';
import { StageFitController } from '../stage-fit-controller.js';
import { coachPanel, coachSummaryView, coachTileControls, tileReps, planEditor, exerciseCard, leaderboard, levelLabel, micControl, summaryView, timerView, type CoachPanelState } from './class-panels.js';
import { boardPanel, filesPanel } from './board-files-panels.js';
import { styles } from './fit-class-room.styles.js';
import { qualityStyles } from './quality.styles.js';
import { audioOnlyNotice, mediaChoices, qualityBadge, tileQuality } from './quality-panels.js';
import { SupabaseSignIn } from '../../auth/supabase-sign-in.js';
import { chatPanel, loadOlderNearTop, sendDraft } from '../chat-panel.js';
import { signInPanel } from '../sign-in-panel.js';
import { signInStyles } from '../sign-in-panel.styles.js';
import { chatStyles } from '../chat-panel.styles.js';
import { floaterLayer, handQueue, handToggle, reactionBar, seatsView, tileHand, waitlistView } from './social-panels.js';

/**
 * A live, interactive fitness class.
 *
 * @tag fit-class-room
 * @summary Join button, the coach large, your own camera, tiles for everyone else.
 *
 * @fires fit-joined - The class was joined. `detail: { participantId, role }`.
 * @fires fit-left - This seat left the class. `detail: { reason }`.
 * @fires fit-error - Something failed. `detail: { code, message }` with a stable `code`.
 * @fires fit-chat-message - A chat message arrived live (once each). `detail`: the message `{ seq, participantId, displayName, role, text, sentAt }`.
 * @fires fit-reaction - A burst of reactions. `detail: { counts: { [emoji]: n } }`.
 * @fires fit-waitlist - The class is full and this seat's place in line changed. `detail: { position }`.
 * @fires fit-file-shared - The coach shared a file (live, once each). `detail`: `{ id, name, contentType, size, url, expiresAt, sharedAt }` (`url` relative to `server`).
 * @fires fit-board-changed - The whiteboard changed on the server. `detail: { version, items }`.
 * @fires fit-quality - This seat's connection summary, each time it is reported (every ~5 s). `detail: { level, rttMs?, lossPct?, jitterMs?, fps?, width?, height?, downKbps?, upKbps?, audioOnly }`.
 *
 * @csspart base - The whole room.
 * @csspart header - Title and connection state.
 * @csspart connection-state - The connection indicator.
 * @csspart message - Error and notice messages.
 * @csspart join-button - The join button.
 * @csspart leave-button - The leave button.
 * @csspart stage - The main video area.
 * @csspart coach-video - The coach's video (members' view).
 * @csspart self-video - Your own camera preview.
 * @csspart grid - The tiles of other participants.
 * @csspart tile - One participant tile.
 * @csspart chat - The chat panel.
 * @csspart chat-list - The list of messages.
 * @csspart chat-input - The message box.
 * @csspart chat-send - The send button.
 * @csspart chat-notice - Why a message was not sent, or that chat is muted.
 * @csspart chat-role - The coach badge on a message.
 * @csspart chat-unread - The unread count on the collapsed chat.
 * @csspart hands - The coach's queue of raised hands.
 * @csspart hand-button - A member's raise/lower hand button.
 * @csspart hand-badge - The hand on a tile.
 * @csspart reactions - The reaction buttons.
 * @csspart reaction-layer - The floating reactions over the stage.
 * @csspart seats - "N / capacity in class · W waiting".
 * @csspart waitlist - The class-full view and the waitlist.
 * @csspart waitlist-button - "Join the waitlist".
 * @csspart board - The whiteboard panel.
 * @csspart board-canvas - The drawing surface.
 * @csspart board-tools - The coach's pen, text, undo and clear controls.
 * @csspart board-unseen - The "new" mark on a folded board that changed.
 * @csspart files - The shared files panel.
 * @csspart file-list - The list of shared files.
 * @csspart file-share - The coach's "Share a file" button.
 * @csspart file-progress - The upload's progress bar.
 * @csspart file-notice - Why a file could not be shared.
 * @csspart quality - The connection quality badge on a tile or on the coach's video (also `quality-good`, `quality-fair`, `quality-poor`).
 * @csspart quality-details - The badge's tooltip (shown on hover and keyboard focus).
 * @csspart quality-notice - "Weak connection: audio only" / "Audio only: video is off".
 * @csspart audio-only-button - The "Audio only" toggle.
 * @csspart camera-button - "Camera off" / "Camera on".
 * @csspart camera-off - Your preview while your camera is off.
 *
 * @cssproperty --fit-accent - Brand colour (buttons, highlights).
 * @cssproperty --fit-on-accent - Text on accent-coloured buttons and badges (default dark, 7:1 on the default orange; `#fff` suits a dark accent).
 * @cssproperty --fit-accent-text - The accent used as text (default: the accent; darker in the light theme).
 * @cssproperty --fit-bg - Background of the room.
 * @cssproperty --fit-fg - Text colour.
 * @cssproperty --fit-muted - Secondary text.
 * @cssproperty --fit-tile-bg - Background of empty tiles.
 * @cssproperty --fit-radius - Corner radius.
 * @cssproperty --fit-font - Font family.
 * @cssproperty --fit-danger - Errors and the leave button.
 * @cssproperty --fit-tile-min-width - Smallest tile width in the grid.
 * @cssproperty --fit-chat-width - Width of the chat beside the stage on wide screens.
 * @cssproperty --fit-chat-height - Height of the message list.
 * @cssproperty --fit-reaction-size - Size of the floating reactions.
 * @cssproperty --fit-board-bg - Background of the whiteboard (default white).
 * @cssproperty --fit-quality-good - Colour of a good connection badge.
 * @cssproperty --fit-quality-fair - Colour of a fair connection badge.
 * @cssproperty --fit-quality-poor - Colour of a poor connection badge.
 * @cssproperty --fit-speaking-color - Ring around the tile of whoever is speaking.
 */
export class FitClassRoom extends FitElement {
  static override styles = [styles, themeStyles, qualityStyles, chatStyles, signInStyles];
  private readonly i18n = new LocaleController(this);
  static override properties = {
    theme: { type: String, reflect: true },
    // Spelled out (not spread from a shared object) so the custom elements manifest sees them.
    server: { type: String },
    classId: { type: String, attribute: 'class-id' },
    token: { type: String },
    supabaseUrl: { type: String, attribute: 'supabase-url' },
    supabaseAnonKey: { type: String, attribute: 'supabase-anon-key' },
    signInRole: { type: String, attribute: 'sign-in-role' },
    signInMode: { state: true },
    connectionState: { type: String, attribute: 'connection-state', reflect: true },
    level: { type: String },
    beep: { type: Boolean },
    coachUi: { state: true },
    chatOpen: { state: true },
    chatDraft: { state: true },
    boardOpen: { state: true },
  };

  /** `dark` (default), `light`, or `auto` (follows the visitor's system setting). Page `--fit-*` values win over either. */
  declare theme: 'dark' | 'light' | 'auto' | undefined;
  /** Base URL of the FitLive backend, e.g. `https://media.example-club.com`. */
  declare server: string;
  /** The class to join. */
  declare classId: string;
  /** A join token signed by the club (JWT). Without one, `supabase-url` + `supabase-anon-key` offer a sign-in. */
  declare token: string;
  /** The club's Supabase project URL: members sign in with their club account (instead of a `token`). */
  declare supabaseUrl: string;
  /** The project's anon (public) key; never a service key. */
  declare supabaseAnonKey: string;
  /** With a Supabase sign-in: `member` (default) or `coach` (the club's staff only). */
  declare signInRole: 'member' | 'coach';
  declare signInMode: 'password' | 'code';
  private signIn: SupabaseSignIn | undefined;
  private readonly signInController = new RoomController(this);
  /** Reflects the connection (`connecting` | `connected` | `reconnecting` | `disconnected`) for page CSS. */
  declare connectionState: RoomState['connection'];

  /** A member's fitness level when joining (`beginner` | `intermediate` | `advanced`); the lobby offers a choice. */
  declare level: Level;
  /** Play a short tone when the class timer changes phase. */
  declare beep: boolean;
  declare coachUi: CoachPanelState;
  declare chatOpen: boolean;
  declare chatDraft: string;
  /** The whiteboard panel is unfolded (members: from the start; the coach opens it to draw). */
  declare boardOpen: boolean;
  private lastWaitlistKey = '';
  private actionError: { code: string; message: string } | undefined;
  private lastPhaseKey = '';
  /** Kept after leaving, for the end-of-class summary. */
  private lastSelfId: string | undefined;
  private lastRole: string | undefined;
  private coachSummary: ClassSummary | undefined;
  private summaryRequested = false;

  /** The room model; created on join, or set beforehand (tests, Storybook). */
  room: RoomModel | undefined;
  private readonly roomController = new RoomController(this);
  private readonly stageFit = new StageFitController(this, {
    stage: () => this.renderRoot?.querySelector?.<HTMLElement>('[data-testid="stage"]'),
    gridArea: () => this.renderRoot?.querySelector?.<HTMLElement>('[data-testid="grid-area"]'),
  });
  private readonly chatScroll = new ChatScrollController(this, () => this.renderRoot?.querySelector?.<HTMLElement>('[data-testid="chat-list"]'));

  constructor() {
    super();
    this.server = '';
    this.classId = '';
    this.token = '';
    this.supabaseUrl = '';
    this.supabaseAnonKey = '';
    this.signInRole = 'member';
    this.signInMode = 'password';
    this.connectionState = 'disconnected';
    this.level = 'beginner';
    this.beep = false;
    this.chatOpen = true;
    this.chatDraft = '';
    this.boardOpen = true;
    this.coachUi = { draft: undefined, lockMics: false, exerciseIndex: 0, exerciseLevel: 'all', work: 40, rest: 20, rounds: 8, confirmEnd: false, groupByLevel: false };
    new TickController(this, () => !!this.room?.fitness.state?.timer && this.room.state.phase === 'joined');
    new VideoViewController(
      this,
      (participantId, view) => this.room?.setVideoView(participantId, view),
      () => this.room?.receivedCount,
    );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // While the lobby shows, the WebRTC chunk loads and the device gets ready for this server
    // (capabilities, detection, the DTLS certificate), so the join click waits for none of it.
    // A room attached from outside (a mock, a shared model) brings its own.
    const idle = globalThis.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 200));
    idle(() => {
      if (!this.isConnected) return;
      this.lobbyWarm = true;
      if (this.room) void loadMediaSession().catch(() => undefined);
      else this.prewarmLobby();
    });
  }

  private lobbyWarm = false;

  /** The lobby gets the join ready: device, capabilities and, with a token, the class connection. */
  private prewarmLobby(): void {
    const auth = this.token && this.classId ? { token: this.token, classId: this.classId } : undefined;
    const server = this.server || location.origin;
    // A new token or class: the connection held for the old one goes.
    if (this.lobbyHeld && (this.lobbyHeld.server !== server || this.lobbyHeld.auth.token !== auth?.token || this.lobbyHeld.auth.classId !== auth?.classId)) dropHeldConnection(this.lobbyHeld.server, this.lobbyHeld.auth);
    this.lobbyHeld = auth ? { server, auth } : undefined;
    browserDeps().prewarm?.(server, auth);
  }

  /** What this element's lobby holds a connection for (dropped when it leaves the page unjoined). */
  private lobbyHeld: { server: string; auth: { token: string; classId: string } } | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (!this.room && this.lobbyHeld) dropHeldConnection(this.lobbyHeld.server, this.lobbyHeld.auth);
    this.lobbyHeld = undefined;
    this.room?.dispose();
    this.signIn?.dispose();
    this.signIn = undefined;
  }

  private setupSignIn(changed: PropertyValues): void {
    // A Supabase sign-in is offered when the page gives no token but the club's project.
    if ((changed.has('supabaseUrl') || changed.has('supabaseAnonKey') || changed.has('classId')) && this.supabaseUrl && this.supabaseAnonKey && this.classId && !this.signIn && !this.token) {
      const signIn = new SupabaseSignIn({
        supabaseUrl: this.supabaseUrl,
        anonKey: this.supabaseAnonKey,
        server: this.server || location.origin,
        target: { classId: this.classId, role: this.signInRole === 'coach' ? 'coach' : 'member' },
      });
      signIn.addEventListener('token', (e) => void this.useToken((e as CustomEvent<{ token: string }>).detail.token));
      // Signed out in the lobby: the join button goes and the sign-in comes back (a class in progress runs to its token's end).
      signIn.addEventListener('signed-out', () => (this.token = ''));
      this.signIn = signIn;
      this.signInController.set(signIn);
      void signIn.start();
    }
  }

  /** A token from the sign-in: the lobby's join button uses it; in a class it renews the session. */
  private async useToken(token: string): Promise<void> {
    this.token = token;
    const phase = this.room?.state.phase;
    if (this.room && (phase === 'joined' || phase === 'full')) await this.room.renewSession(token).catch((err: Error) => console.warn('[fitlive] session renewal failed', err));
  }

  /** Joins the class (the join button calls this; a user gesture lets audio play). */
  async join(): Promise<void> {
    const state = this.room?.state.phase;
    if (!this.room || state === 'left' || state === 'error') {
      this.room?.dispose();
      this.attachRoom(new RoomModel({ server: this.server || location.origin, classId: this.classId, token: this.token, level: this.level }));
    }
    await this.room!.join();
  }

  /** Leaves the class, releasing camera and microphone. */
  async leave(): Promise<void> {
    await this.room?.leave();
  }

  /** Uses a ready-made model (a mock in Storybook, or one shared with other elements). */
  attachRoom(room: RoomModel): void {
    this.room = room;
    room.addEventListener('joined', (e) => this.emit('fit-joined', (e as CustomEvent<{ participantId: string; role: Role }>).detail));
    room.addEventListener('left', (e) => this.emit('fit-left', (e as CustomEvent<{ reason: string }>).detail));
    room.addEventListener('error', (e) => this.emit('fit-error', (e as CustomEvent<ErrorBody>).detail));
    room.addEventListener('chat-message', (e) => this.emit('fit-chat-message', (e as CustomEvent<ChatMessage>).detail));
    room.addEventListener('reaction', (e) => this.emit('fit-reaction', (e as CustomEvent<{ counts: Partial<Record<string, number>> }>).detail));
    room.addEventListener('file-shared', (e) => this.emit('fit-file-shared', (e as CustomEvent<SharedFile>).detail));
    room.addEventListener('board-changed', (e) => this.emit('fit-board-changed', (e as CustomEvent<{ version: number; items: number }>).detail));
    room.addEventListener('quality', (e) => this.emit('fit-quality', (e as CustomEvent<QualityReport>).detail));
    // The coach's board starts folded (the stage stays as it was); a member's shows once it has content.
    room.addEventListener('joined', (e) => this.setBoardOpen((e as CustomEvent<{ role: Role }>).detail.role !== 'coach'), { once: true });
    // On a narrow screen the chat starts folded (its unread count shows); wide, it sits beside the stage.
    room.addEventListener('joined', () => this.setChatOpen(this.chatOpen && (this.clientWidth === 0 || this.clientWidth >= 600)), { once: true });
    this.roomController.set(room);
  }

  protected override willUpdate(changed: PropertyValues): void {
    this.setupSignIn(changed);
    // A token that comes after the lobby warmed up (a sign-in, a page fetching it) gets its connection too.
    if (this.lobbyWarm && !this.room && (changed.has('token') || changed.has('classId') || changed.has('server'))) this.prewarmLobby();
    this.connectionState = this.room?.state.connection ?? 'disconnected';
    this.lastSelfId = this.room?.state.self?.id ?? this.lastSelfId;
    this.lastRole = this.room?.state.self?.role ?? this.lastRole;
    const waitlist = this.room?.state.waitlist;
    const waitlistKey = waitlist ? String(waitlist.position) : '';
    if (waitlistKey !== this.lastWaitlistKey) {
      this.lastWaitlistKey = waitlistKey;
      if (waitlist) this.emit('fit-waitlist', { position: waitlist.position });
    }
    if (this.lastRole === 'coach' && this.room?.state.notice?.code === 'room_ended' && !this.summaryRequested) {
      this.summaryRequested = true;
      this.room.fetchSummary().then(
        (s) => ((this.coachSummary = s), this.requestUpdate()),
        (err: { code?: string; message?: string }) => ((this.actionError = { code: err.code ?? 'internal_error', message: err.message ?? 'No summary' }), this.requestUpdate()),
      );
    }
  }

  protected override render(): TemplateResult {
    const s = this.room?.state;
    const phase = s?.phase ?? 'idle';
    const inRoom = phase === 'joining' || phase === 'joined';
    return html`
      <div part="base" class="room" data-mode=${this.room?.fitness.state?.mode ?? 'teach'}>
        <header part="header">
          <span class="title">${s?.classTitle ?? this.i18n.t('room.title')}</span>
          ${s?.phase === 'joined' ? seatsView(this.room?.fitness.state?.seats, this.i18n.t) : nothing}
          <span part="connection-state" class="connection" role="status" aria-label=${this.i18n.t('room.connection')} data-testid="connection-state" data-state=${this.connectionState}
            >${this.connectionState ? this.i18n.t(`room.connection.${this.connectionState}`) : nothing}</span
          >
        </header>
        ${this.renderMessage(s)}
        ${inRoom ? this.renderRoom(s!) : phase === 'full' ? waitlistView(s!.waitlist, () => this.run(() => this.room!.joinWaitlist()), () => void this.leave(), this.i18n.t) : this.renderLobby(phase)}
      </div>
    `;
  }

  protected override updated(): void {
    // Counters slotted in by the page count in this room too.
    for (const el of this.querySelectorAll('fit-rep-counter')) if (el.room !== this.room) el.attachRoom(this.room);
    this.beepOnPhaseChange();
  }

  private beepOnPhaseChange(): void {
    const r = this.room?.fitness.timerReading();
    const key = r ? `${r.round}:${r.phase}` : '';
    if (this.beep && key && this.lastPhaseKey && key !== this.lastPhaseKey) beep(r!.phase === 'work' ? 880 : 440);
    this.lastPhaseKey = key;
  }

  private renderMessage(s: RoomState | undefined): TemplateResult | typeof nothing {
    const msg = s?.error ?? s?.notice ?? this.actionError;
    if (!msg) return nothing;
    return html`<p part="message" class="message ${s?.error ? '' : 'notice'}" role="alert" data-testid="error-message" data-code=${msg.code}>
      ${this.i18n.error(msg)}
    </p>`;
  }

  private renderLobby(phase: RoomState['phase']): TemplateResult {
    const { i18n } = this;
    const label = i18n.t(phase === 'idle' ? 'room.join' : 'room.rejoin');
    const ended = this.room?.state.notice?.code === 'room_ended';
    const isMember = roleHint(this.token) !== 'coach';
    return html`<div class="lobby">
      ${ended ? (this.lastRole === 'coach' ? coachSummaryView(this.coachSummary, this.i18n.t) : summaryView(this.room!.fitness, this.lastSelfId, this.i18n.t)) : nothing}
      <span>${i18n.t(ended ? 'room.thanks' : phase === 'left' ? 'room.left' : 'room.ready')}</span>
      ${isMember && !ended
        ? html`<label class="level-pick">${i18n.t('room.level')}
            <select data-testid="level-select" @change=${(e: Event) => (this.level = (e.target as HTMLSelectElement).value as Level)}>
              ${LEVELS.map((l) => html`<option value=${l} ?selected=${this.level === l}>${i18n.t(`level.${l}`)}</option>`)}
            </select>
          </label>`
        : nothing}
      ${ended ? nothing : this.signIn && !this.token ? signInPanel(this.signIn, this.signInMode, (m) => (this.signInMode = m), this.i18n) : html`<button part="join-button" data-testid="join-button" @click=${() => void this.join()}>${label}</button>`}
      ${this.signIn?.state.phase === 'signed-in' && !ended ? signInPanel(this.signIn, this.signInMode, (m) => (this.signInMode = m), this.i18n) : nothing}
    </div>`;
  }

  private renderRoom(s: RoomState): TemplateResult {
    const fitness = this.room!.fitness;
    const selfId = s.self?.id;
    const amCoach = s.self?.role === 'coach';
    const mode = fitness.state?.mode ?? 'teach';
    const breakouts = fitness.state?.breakouts ?? null;
    // In breakouts everyone is with their level's room: no spotlight then.
    const spotlightId = breakouts ? null : (fitness.state?.spotlightId ?? null);
    const myRoom = breakouts ? (amCoach ? breakouts.coachRoom : fitness.levelOf(selfId)) : undefined;
    const inMyRoom = (p: RemoteParticipant) => !breakouts || (p.role === 'coach' ? breakouts.coachRoom === myRoom : fitness.levelOf(p.id) === myRoom);
    const coach = amCoach ? undefined : s.participants.find((p) => p.role === 'coach' && inMyRoom(p));
    const members = s.participants.filter((p) => p.role === 'member' && inMyRoom(p));
    const spotlit = spotlightId && spotlightId !== selfId ? s.participants.find((p) => p.id === spotlightId) : undefined;
    // The coach watches the class: the member grid is the coach's stage in every mode, with their
    // own camera small beside it. A member spotlit by the coach sees themself large.
    const selfLarge = !amCoach && spotlightId === selfId;
    // Audio only (chosen, or the link could not keep video up): avatars instead of frozen video.
    const videoOff = s.audioOnly.chosen || s.audioOnly.forced;
    const { t } = this.i18n;
    const joined = s.phase === 'joined';
    const coachQuality = coach ? qualityBadge(tileQuality(s, coach.id, coach.displayName, t), 'on-stage') : nothing;

    const selfVideo = (large: boolean) =>
      s.cameraOff
        ? html`<div part="camera-off" class="camera-off ${large ? 'large' : ''}" data-testid="self-camera-off" role="img" aria-label=${t('stage.cameraOffLabel')}>${t('stage.cameraOff')}</div>`
        : s.localStream
        ? html`<video part="self-video" class=${large ? 'large' : ''} data-testid="self-video" aria-label=${t('stage.yourCamera')} autoplay playsinline muted .srcObject=${shown(s.localStream)}></video>`
        : nothing;

    let stage: TemplateResult;
    if (amCoach) {
      stage = html`<div class="grid-area" data-testid="grid-area">
          ${members.length
            ? this.renderGrid(members, fitness)
            : html`<div class="waiting">${t(breakouts ? (myRoom ? 'stage.nobodyInRoom' : 'stage.chooseRoom') : 'stage.youAreLive')}</div>`}
        </div>
        <aside class="self-column" data-testid="coach-self">
          ${s.screenShare
            ? html`<video part="self-screen" class="self-screen" data-testid="self-screen" aria-label=${t('stage.yourScreen')} autoplay playsinline muted .srcObject=${shown(s.screenShare)}></video>`
            : nothing}
          <div class="self">${selfVideo(false)}</div>
          <span class="self-note">${t(mode === 'teach' && !spotlightId && !breakouts ? 'stage.membersSeeYou' : 'stage.you')}</span>
          ${joined ? this.renderScreenShareButton(s) : nothing}
        </aside>`;
    } else if (spotlit && videoOff) {
      stage = this.renderStageAvatar(spotlit);
    } else if (spotlit) {
      stage = html`<video part="spotlight-video" data-testid="spotlight-video" data-participant-id=${spotlit.id} data-view-of=${spotlit.id} aria-label=${t('stage.spotlight', { name: spotlit.displayName })} autoplay playsinline muted .srcObject=${shown(spotlit.views.camera)}></video>`;
    } else if (selfLarge) {
      stage = selfVideo(true) as TemplateResult;
    } else if (coach && videoOff && (coach.hasVideo || coach.hasScreen)) {
      stage = this.renderStageAvatar(coach);
    } else if (coach?.hasScreen) {
      // The coach shares a screen: it fills the stage, the coach's camera stays small in a corner.
      stage = html`<video part="screen-video" data-testid="screen-video" aria-label=${t('stage.screen', { name: coach.displayName })} autoplay playsinline muted .srcObject=${shown(coach.views.screen)}></video>
        ${coach.hasVideo
          ? html`<video part="coach-video coach-video-small" class="pip" data-testid="coach-video" data-view-of=${coach.id} aria-label=${t('stage.coach', { name: coach.displayName })} autoplay playsinline muted .srcObject=${shown(coach.views.camera)}></video>`
          : nothing}`;
    } else if (coach?.hasVideo) {
      stage = html`<video part="coach-video" data-testid="coach-video" data-view-of=${coach.id} aria-label=${t('stage.coach', { name: coach.displayName })} autoplay playsinline muted .srcObject=${shown(coach.views.camera)}></video>`;
    } else {
      stage = html`<div class="waiting">${s.phase === 'joining' ? t('stage.joining') : coach ? t('stage.waitingForVideo', { name: coach.displayName }) : t(breakouts ? 'stage.groupTraining' : 'stage.waitingForCoach')}</div>`;
    }
    // Sound plays apart from the pictures (videos are muted), so what is on the stage never
    // decides who is heard: members always hear the coach; the coach hears the class.
    const audible = amCoach ? members : [...(coach ? [coach] : []), ...(spotlit && spotlit !== coach ? [spotlit] : []), ...(breakouts ? members.filter((m) => m !== spotlit) : [])];
    const sounds = this.renderAudio(audible);

    const names = new Map([...s.participants, ...(s.self ? [s.self] : [])].map((p) => [p.id, p.displayName]));
    return html`<div class="layout ${joined ? 'with-chat' : ''}" data-chat-open=${this.chatOpen}>
      <div class="main">
      ${amCoach && joined ? coachPanel(fitness, this.coachUi, this.setCoachUi, this.run, this.i18n.t) : nothing}
      ${amCoach && this.coachUi.draft ? planEditor(fitness, this.coachUi.draft, this.setCoachUi, this.run, this.i18n.t) : nothing}
      ${amCoach && joined ? handQueue(fitness, names, this.run, this.i18n.t) : nothing}
      <div part="stage" class="stage ${amCoach ? 'coach-stage' : ''}" data-testid="stage">
        ${stage}
        ${selfLarge || amCoach ? nothing : html`<div class="self">${selfVideo(false)}</div>`}
        ${sounds}
        ${joined && !spotlit && !amCoach ? coachQuality : nothing}
        ${joined ? audioOnlyNotice(s, this.i18n.t) : nothing}
        ${this.renderStageStatus(s)}
        ${joined ? floaterLayer(this.room!.reactions.floaters) : nothing}
      </div>
      ${breakouts && myRoom
        ? html`<p part="breakout-banner" class="breakout" data-testid="breakout-banner" data-room=${myRoom}>
            ${this.i18n.t('breakout.group', { level: levelLabel(myRoom, this.i18n.t), coachHere: !amCoach && breakouts.coachRoom === myRoom })}
          </p>`
        : nothing}
      ${joined
        ? boardPanel({ board: this.room!.board, amCoach, open: this.boardOpen, setOpen: (open) => this.setBoardOpen(open), i18n: this.i18n })
        : nothing}
      ${joined
        ? filesPanel({
            files: this.room!.files,
            amCoach,
            openExpired: (f) => this.openFile(f),
            pick: (file) => void this.room?.files.share(file),
            i18n: this.i18n,
          })
        : nothing}
      ${!amCoach && breakouts && members.length ? this.renderGrid(members, fitness) : nothing}
      ${amCoach ? timerView(fitness.timerReading(), fitness.state?.timer?.spec.rounds, this.i18n.t) : nothing}
      ${!amCoach && s.phase === 'joined' && selfId
        ? html`<div part="member-panel" class="member-panel">
            ${exerciseCard(fitness, selfId, this.i18n.t)} ${timerView(fitness.timerReading(), fitness.state?.timer?.spec.rounds, this.i18n.t)}
            <slot name="rep-counter"><fit-rep-counter .room=${this.room}></fit-rep-counter></slot>
            ${micControl(fitness, selfId, this.run, (muted) => this.setLocalMic(muted), this.i18n.t)}
            ${leaderboard(fitness, [...members, ...(s.self ? [s.self] : [])], this.i18n.t)}
          </div>`
        : nothing}
      <footer>
        ${!amCoach && joined && selfId ? handToggle(fitness, selfId, this.run, this.i18n.t) : nothing}
        ${joined ? reactionBar(this.room!.reactions, this.run, this.i18n.t) : nothing}
        ${joined ? mediaChoices(this.room!, s, this.run, this.i18n.t) : nothing}
        <button part="leave-button" class="leave" data-testid="leave-button" @click=${() => void this.leave()}>${this.i18n.t('room.leave')}</button>
      </footer>
      </div>
      ${joined
        ? chatPanel({
      i18n: this.i18n,
            chat: this.room!.chat,
            self: s.self,
            chatMuted: fitness.state?.chatMuted ?? [],
            open: this.chatOpen,
            draft: this.chatDraft,
            setOpen: (open) => this.setChatOpen(open),
            setDraft: (text) => {
              this.chatDraft = text;
              this.room?.chat.clearNotice();
            },
            submit: () => this.sendChat(),
            onScroll: (e) => this.onChatScroll(e),
            run: this.run,
          })
        : nothing}
    </div>`;
  }

  private renderGrid(members: readonly RemoteParticipant[], fitness: ClassModel): TemplateResult {
    const tiles = (list: readonly RemoteParticipant[]) => repeat(list, (p) => p.id, (p) => this.renderTile(p));
    if (!this.coachUi.groupByLevel) {
      // In the coach's stage the stage-fit controller sizes the tiles to fill it (every tile in
      // view until they would be too small to see form; then the grid scrolls).
      return html`<div part="grid" class="grid" data-testid="grid">${tiles(members)}</div>`;
    }
    return html`<div part="grid" class="grid-groups">
      ${LEVELS.map((l) => {
        const inLevel = members.filter((p) => fitness.levelOf(p.id) === l);
        return inLevel.length
          ? html`<section class="level-group" data-level=${l}><h4>${levelLabel(l, this.i18n.t)}</h4><div class="grid">${tiles(inLevel)}</div></section>`
          : nothing;
      })}
    </div>`;
  }

  /** One hidden <audio> per sound track of the people this seat hears (videos are all muted). */
  private renderAudio(people: readonly RemoteParticipant[]): TemplateResult {
    const sounds = people.flatMap((p) => [p.views.mic, p.views.screenAudio].filter((v): v is MediaStream => !!v).map((stream) => ({ p, stream })));
    return html`<div class="sounds" hidden>
      ${repeat(sounds, (x) => x.stream.id, (x) => html`<audio autoplay data-testid="participant-audio" data-participant-id=${x.p.id} .srcObject=${shown(x.stream)}></audio>`)}
    </div>`;
  }

  /** Someone large on the stage while video is off: their initials, not a frozen frame. */
  private renderStageAvatar(p: RemoteParticipant): TemplateResult {
    return html`<div class="stage-avatar" data-testid="stage-avatar" data-participant-id=${p.id} role="img" aria-label=${this.i18n.t('stage.videoOff', { name: p.displayName })}>
      <div class="avatar">${initialsOf(p.displayName)}</div>
    </div>`;
  }

  /** What the stage says while media is missing or coming back, over the last picture. */
  private renderStageStatus(s: RoomState): TemplateResult | typeof nothing {
    const code = s.notice?.code;
    const reconnecting = s.phase === 'joined' && (s.connection === 'reconnecting' || code === 'media_reconnecting' || code === 'media_moving');
    if (!reconnecting) return nothing;
    return html`<div part="stage-status" class="stage-status" data-testid="stage-status" role="status">${this.i18n.t('stage.reconnecting')}</div>`;
  }

  private renderScreenShareButton(s: RoomState): TemplateResult {
    const sharing = !!s.screenShare;
    return html`<button part="screen-share-button" class="screen-share" data-testid="screen-share-button" aria-pressed=${sharing ? 'true' : 'false'}
      @click=${() => this.run(() => (sharing ? this.room!.stopScreenShare() : this.room!.startScreenShare()))}>
      ${this.i18n.t(sharing ? 'stage.stopSharing' : 'stage.shareScreen')}
    </button>`;
  }

  private renderTile(p: RemoteParticipant): TemplateResult {
    const initials = initialsOf(p.displayName);
    const fitness = this.room!.fitness;
    const level = fitness.levelOf(p.id);
    const amCoach = this.room?.state.self?.role === 'coach';
    const s = this.room!.state;
    const speaking = s.speaking.includes(p.id);
    const showVideo = p.hasVideo && !!p.views.camera && !s.audioOnly.chosen && !s.audioOnly.forced;
    const spotlit = fitness.state?.spotlightId === p.id;
    // The coach's controls for a member show on hover or focus (a tap focuses the tile on a touch
    // screen), never over the picture by default.
    return html`<figure part=${speaking ? 'tile tile-speaking' : 'tile'} class="${speaking ? 'speaking' : ''} ${spotlit ? 'spotlit' : ''}" data-testid="participant-tile" data-participant-id=${p.id} data-role=${p.role} data-level=${level ?? ''} ?data-speaking=${speaking}
      tabindex=${amCoach ? '0' : nothing} aria-label=${amCoach ? p.displayName : nothing}>
      ${showVideo
        ? html`<video autoplay playsinline muted data-view-of=${p.id} aria-label=${p.displayName} .srcObject=${shown(p.views.camera)}></video>`
        : nothing}
      ${showVideo ? nothing : html`<div class="avatar" data-testid="tile-avatar" aria-hidden="true">${initials}</div>`}
      ${qualityBadge(tileQuality(s, p.id, p.displayName, this.i18n.t), 'on-tile')}
      ${tileHand(fitness, p.id, this.i18n.t)}
      <figcaption>${p.displayName}${p.role === 'coach' ? this.i18n.t('tile.coach') : level ? ` · ${levelLabel(level, this.i18n.t)}` : ''}${spotlit ? html` · <strong>${this.i18n.t('tile.spotlit')}</strong>` : nothing}</figcaption>
      ${amCoach ? tileReps(fitness, p, this.i18n.t) : nothing}
      ${amCoach ? coachTileControls(fitness, p, this.run, this.coachUi.lockMics, this.i18n.t) : nothing}
    </figure>`;
  }

  private readonly setCoachUi = (patch: Partial<CoachPanelState>): void => {
    this.coachUi = { ...this.coachUi, ...patch };
  };

  /** Runs a class intent; a refusal shows as a notice and a `fit-error`, and the class goes on. */
  private readonly run = (intent: () => Promise<unknown>): void => {
    this.actionError = undefined;
    intent().then(
      () => this.requestUpdate(),
      (err: { code?: string; message?: string }) => {
        this.actionError = { code: err.code ?? 'internal_error', message: err.message ?? 'That did not work' };
        this.emit('fit-error', this.actionError);
        this.requestUpdate();
      },
    );
  };

  /** Opens or folds the chat (folded, messages from others count as unread). */
  setChatOpen(open: boolean): void {
    this.chatOpen = open;
    this.room?.chat.setVisible(open);
    if (open) this.chatScroll.stickToBottom();
  }

  /** Unfolds or folds the whiteboard (folded, a change shows a "new" mark). */
  setBoardOpen(open: boolean): void {
    this.boardOpen = open;
    this.room?.board.setVisible(open);
  }

  /** A shared file whose link expired: fresh links first, then the file in a new tab. */
  private openFile(file: SharedFile): void {
    const files = this.room?.files;
    if (!files) return;
    this.run(async () => {
      const href = await files.freshHref(file.id);
      if (href) globalThis.open?.(href, '_blank', 'noopener,noreferrer');
    });
  }

  private sendChat(): void {
    if (!sendDraft(this.room?.chat, this.chatDraft)) return;
    this.chatDraft = '';
    this.chatScroll.stickToBottom();
  }

  private onChatScroll(e: Event): void {
    loadOlderNearTop(e, this.room?.chat, this.run);
  }

  private setLocalMic(muted: boolean): void {
    for (const t of this.room?.state.localStream?.getAudioTracks() ?? []) t.enabled = !muted;
  }
}

/**
 * Binds a stream to a media element only when it is another stream: Lit sets an object-valued
 * property on every render, and setting `srcObject` (even to the same stream) restarts playback.
 */
const shown = (stream: MediaStream | undefined) => live(stream ?? null);

const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

/** A short tone at a timer phase change (Web Audio; no asset to load). */
function beep(freq: number): void {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  gain.gain.value = 0.15;
  osc.frequency.value = freq;
  osc.connect(gain).connect(ctx.destination);
  osc.start();
  osc.stop(ctx.currentTime + 0.18);
  osc.onended = () => void ctx.close();
}

declare global {
  interface HTMLElementTagNameMap {
    'fit-class-room': FitClassRoom;
  }
}
