import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ErrorBody } from '../../../protocol/errors.js';
import type { Role } from '../../../protocol/participants.js';
import { RoomModel, type RemoteParticipant, type RoomState } from '../../room/room-model.js';
import { FitElement } from '../fit-element.js';
import { RoomController } from '../room-controller.js';
import { styles } from './fit-class-room.styles.js';

/**
 * A live, interactive fitness class.
 *
 * @summary Join button, the coach large, your own camera, tiles for everyone else.
 *
 * @fires fit-joined - The class was joined. `detail: { participantId, role }`.
 * @fires fit-left - This seat left the class. `detail: { reason }`.
 * @fires fit-error - Something failed. `detail: { code, message }` with a stable `code`.
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
 *
 * @cssproperty --fit-accent - Brand colour (buttons, highlights).
 * @cssproperty --fit-bg - Background of the room.
 * @cssproperty --fit-fg - Text colour.
 * @cssproperty --fit-muted - Secondary text.
 * @cssproperty --fit-tile-bg - Background of empty tiles.
 * @cssproperty --fit-radius - Corner radius.
 * @cssproperty --fit-font - Font family.
 * @cssproperty --fit-danger - Errors and the leave button.
 * @cssproperty --fit-tile-min-width - Smallest tile width in the grid.
 */
export class FitClassRoom extends FitElement {
  static override styles = styles;
  static override properties = {
    server: { type: String },
    classId: { type: String, attribute: 'class-id' },
    token: { type: String },
    connectionState: { type: String, attribute: 'connection-state', reflect: true },
  };

  /** Base URL of the FitLive backend, e.g. `https://media.example-club.com`. */
  declare server: string;
  /** The class to join. */
  declare classId: string;
  /** A join token signed by the club (JWT). */
  declare token: string;
  /** Reflects the connection (`connecting` | `connected` | `reconnecting` | `disconnected`) for page CSS. */
  declare connectionState: RoomState['connection'];

  /** The room model; created on join, or set beforehand (tests, Storybook). */
  room: RoomModel | undefined;
  private readonly roomController = new RoomController(this);

  constructor() {
    super();
    this.server = '';
    this.classId = '';
    this.token = '';
    this.connectionState = 'disconnected';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.room?.dispose();
  }

  /** Joins the class (the join button calls this; a user gesture lets audio play). */
  async join(): Promise<void> {
    const state = this.room?.state.phase;
    if (!this.room || state === 'left' || state === 'error') {
      this.room?.dispose();
      this.attachRoom(new RoomModel({ server: this.server || location.origin, classId: this.classId, token: this.token }));
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
    this.roomController.set(room);
  }

  protected override willUpdate(_changed: PropertyValues): void {
    this.connectionState = this.room?.state.connection ?? 'disconnected';
  }

  protected override render(): TemplateResult {
    const s = this.room?.state;
    const phase = s?.phase ?? 'idle';
    const inRoom = phase === 'joining' || phase === 'joined';
    return html`
      <div part="base" class="room">
        <header part="header">
          <span class="title">${s?.classTitle ?? 'Live class'}</span>
          <span part="connection-state" class="connection" role="status" aria-label="Connection" data-testid="connection-state" data-state=${this.connectionState}
            >${this.connectionState}</span
          >
        </header>
        ${this.renderMessage(s)}
        ${inRoom ? this.renderRoom(s!) : this.renderLobby(phase)}
      </div>
    `;
  }

  private renderMessage(s: RoomState | undefined): TemplateResult | typeof nothing {
    const msg = s?.error ?? s?.notice;
    if (!msg) return nothing;
    return html`<p part="message" class="message ${s?.error ? '' : 'notice'}" role="alert" data-testid="error-message" data-code=${msg.code}>
      ${msg.message}
    </p>`;
  }

  private renderLobby(phase: RoomState['phase']): TemplateResult {
    const label = phase === 'idle' ? 'Join class' : 'Rejoin class';
    return html`<div class="lobby">
      <span>${phase === 'left' ? 'You left the class.' : 'Ready when you are: your camera turns on when you join.'}</span>
      <button part="join-button" data-testid="join-button" @click=${() => void this.join()}>${label}</button>
    </div>`;
  }

  private renderRoom(s: RoomState): TemplateResult {
    const amCoach = s.self?.role === 'coach';
    const coach = amCoach ? undefined : s.participants.find((p) => p.role === 'coach');
    const others = s.participants.filter((p) => p !== coach);
    const selfPreview = s.localStream
      ? html`<div class="self"><video part="self-video" data-testid="self-video" aria-label="Your camera" autoplay playsinline muted .srcObject=${s.localStream}></video></div>`
      : nothing;
    const grid = html`<div part="grid" class="grid">${repeat(others, (p) => p.id, (p) => this.renderTile(p))}</div>`;
    return html`
      <div part="stage" class="stage">
        ${amCoach
          ? others.length
            ? grid
            : html`<div class="waiting">${s.phase === 'joining' ? 'Joining…' : 'You are live. Members appear here as they join.'}</div>`
          : coach?.hasVideo
            ? html`<video part="coach-video" data-testid="coach-video" aria-label=${`${coach.displayName} (coach)`} autoplay playsinline .srcObject=${coach.stream}></video>`
            : html`<div class="waiting">${s.phase === 'joining' ? 'Joining…' : coach ? `${coach.displayName} is connecting…` : 'Waiting for the coach…'}</div>`}
        ${selfPreview}
      </div>
      ${amCoach ? nothing : others.length ? grid : nothing}
      <footer>
        <button part="leave-button" class="leave" data-testid="leave-button" @click=${() => void this.leave()}>Leave</button>
      </footer>
    `;
  }

  private renderTile(p: RemoteParticipant): TemplateResult {
    const initials = p.displayName
      .split(/\s+/)
      .map((w) => w[0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase();
    return html`<figure part="tile" data-testid="participant-tile" data-participant-id=${p.id} data-role=${p.role}>
      ${p.hasVideo || p.hasAudio
        ? html`<video autoplay playsinline aria-label=${p.displayName} .srcObject=${p.stream} ?hidden=${!p.hasVideo}></video>`
        : nothing}
      ${p.hasVideo ? nothing : html`<div class="avatar" aria-hidden="true">${initials}</div>`}
      <figcaption>${p.displayName}${p.role === 'coach' ? ' · coach' : ''}</figcaption>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fit-class-room': FitClassRoom;
  }
}
