import { html, nothing, type TemplateResult } from 'lit';
import { MOVEMENTS, type Movement } from '../../../protocol/class-constants.js';
import { ObserverRoom, type CounterRoom } from '../../room/observer-model.js';
import { CameraCounter } from '../../pose/camera-counter.js';
import { LocaleController } from '../../i18n/locale.js';
import { themeStyles } from '../theme.styles.js';
import { FitElement } from '../fit-element.js';
import { RoomController } from '../room-controller.js';
import { styles } from './fit-rep-counter.styles.js';

/** A member's choice not to count with their camera, kept in this browser. */
const OPT_OUT_KEY = 'fitlive:camera-counting';

/**
 * @tag fit-rep-counter
 *
 * A big tap target that counts reps toward the member's current exercise, by tap or with the
 * member's own camera. The count shown is the server's; taps still on their way show as `+n`.
 *
 * @summary Tap (or Space/Enter) for each rep. Inside `<fit-class-room>` it counts for that seat;
 * on its own (`server`, `class-id`, `token` attributes) it follows the class on a second device.
 * With `auto` (or when the coach turns camera counting on for the exercise) a pose model in the
 * browser counts squats, push-ups, jumping jacks or lunges from the camera; no video leaves the
 * device. Without a class, `auto` counts on the page alone (practice).
 *
 * @fires fit-rep - A rep was acknowledged (or counted, in practice). `detail: { count, source: 'tap' | 'camera' }`.
 * @fires fit-error - A rep could not be counted, or camera counting could not start. `detail: { code, message }`.
 *
 * @csspart button - The tap target.
 * @csspart count - The number.
 * @csspart message - An error under the button.
 * @csspart camera - Camera counting's status, hint, privacy note and buttons.
 *
 * @cssproperty --fit-rep-size - Diameter of the tap target.
 * @cssproperty --fit-accent - Colour of the tap target.
 * @cssproperty --fit-on-accent - Text on accent-coloured buttons and badges (default dark, 7:1 on the default orange; `#fff` suits a dark accent).
 * @cssproperty --fit-accent-text - The accent used as text (default: the accent; darker in the light theme).
 * @cssproperty --fit-fg - Text colour.
 * @cssproperty --fit-muted - Secondary text (the privacy note).
 */
export class FitRepCounter extends FitElement {
  static override styles = [styles, themeStyles];
  private readonly i18n = new LocaleController(this);
  static override properties = {
    theme: { type: String, reflect: true },
    server: { type: String },
    classId: { type: String, attribute: 'class-id' },
    token: { type: String },
    auto: { type: Boolean, reflect: true },
    exercise: { type: String },
    optedOut: { state: true },
    practiceCount: { state: true },
  };

  /** `dark` (default), `light`, or `auto` (follows the visitor's system setting). Page `--fit-*` values win over either. */
  declare theme: 'dark' | 'light' | 'auto' | undefined;
  /** Standalone use: the backend, class and the member's join token (the member must be in the class). */
  declare server: string;
  declare classId: string;
  declare token: string;
  /** Count with the camera: `exercise` says which movement. In a class the coach can also turn it on. */
  declare auto: boolean;
  /** The movement camera counting looks for: `squat`, `push-up`, `jumping-jack` or `lunge`. */
  declare exercise: string;
  private declare optedOut: boolean;
  /** Reps counted with no class (practice: nothing is sent anywhere). */
  private declare practiceCount: number;
  private observer: ObserverRoom | undefined;
  private readonly camera = new CameraCounter(
    () => this.requestUpdate(),
    () => void this.countCameraRep(),
  );
  private cameraStream: MediaStream | undefined;

  constructor() {
    super();
    this.server = '';
    this.classId = '';
    this.token = '';
    this.auto = false;
    this.exercise = '';
    this.practiceCount = 0;
    this.optedOut = readOptOut();
  }

  protected override updated(changed: Map<string, unknown>): void {
    // Standalone: follow the class on its own connection once the attributes are there.
    const standalone = !this.currentRoom || this.currentRoom === this.observer;
    if (standalone && this.token && this.classId && (changed.has('token') || changed.has('classId') || changed.has('server'))) {
      this.observer?.dispose();
      this.observer = new ObserverRoom({ server: this.server || location.origin, classId: this.classId, token: this.token });
      this.room = this.observer;
      this.observer.start();
    }
    this.syncCamera();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.dispose();
    this.observer = undefined;
    this.camera.stop();
  }

  private readonly roomController = new RoomController(this);
  private currentRoom: CounterRoom | undefined;

  /** The room this counter counts in; `<fit-class-room>` sets it for counters inside or slotted into it. */
  get room(): CounterRoom | undefined {
    return this.currentRoom;
  }
  set room(room: CounterRoom | undefined) {
    this.currentRoom = room;
    this.roomController.set(room);
  }

  /** Connects the counter to a room (done by `<fit-class-room>`). */
  attachRoom(room: CounterRoom | undefined): void {
    this.room = room;
  }

  /** Counting in a class (as a seated member), or practising alone. */
  private get inClass(): boolean {
    return !!this.room && this.room.state.self?.role === 'member';
  }

  /** What the coach set to be counted by camera for this member's current exercise, if anything. */
  private get coachMovement(): Movement | undefined {
    const room = this.room;
    const self = room?.state.self;
    return room?.state.phase === 'joined' && self?.role === 'member' ? room.fitness.autoCountFor(self.id) : undefined;
  }

  /** The movement counting is offered for: the coach's, or the `exercise` attribute with `auto`. */
  private get offeredMovement(): Movement | undefined {
    return this.coachMovement ?? (this.auto && isMovement(this.exercise) ? this.exercise : undefined);
  }

  /**
   * The movement the camera should count now: the one offered, unless the member opted out or
   * turned their camera off in the class; with `auto` in a class, only once joined.
   */
  private get wantedMovement(): Movement | undefined {
    const room = this.room;
    if (this.optedOut || room?.state.cameraOff) return undefined;
    if (!this.coachMovement && room && room.state.phase !== 'joined' && room.state.phase !== 'idle') return undefined;
    return this.offeredMovement;
  }

  private syncCamera(): void {
    const movement = this.wantedMovement;
    const stream = this.room?.state.localStream;
    if (!movement || !this.isConnected) {
      if (this.camera.state.status !== 'off') this.camera.stop();
      return;
    }
    const { status } = this.camera.state;
    const changedMovement = this.camera.state.movement !== movement;
    // The room's camera changed (switched device, turned back on): follow it.
    const changedStream = stream !== this.cameraStream && status === 'running';
    if (status === 'off' || changedMovement || changedStream) {
      this.cameraStream = stream;
      void this.camera.start(movement, stream).then(() => {
        const { error } = this.camera.state;
        if (this.camera.state.status === 'error' && error) this.emit('fit-error', error);
      });
    }
  }

  /** Counts one rep by tap. */
  async tap(): Promise<void> {
    const room = this.room;
    if (room instanceof ObserverRoom && room.state.phase === 'error') return room.retry();
    if (!room && this.auto) return this.countPractice(1, 'tap');
    if (!room || room.state.phase !== 'joined') return;
    try {
      const count = await room.fitness.tapRep();
      this.emit('fit-rep', { count, source: 'tap' });
    } catch (err) {
      this.reportError(err, 'Could not count that rep');
    }
  }

  /** Takes back one rep (the camera counted one too many). */
  async undo(): Promise<void> {
    const room = this.room;
    if (!room) return this.countPractice(-1, 'tap');
    if (room.state.phase !== 'joined') return;
    try {
      const count = await room.fitness.undoRep();
      this.emit('fit-rep', { count, source: 'tap' });
    } catch (err) {
      this.reportError(err, 'Could not take that rep back');
    }
  }

  private async countCameraRep(): Promise<void> {
    const room = this.room;
    if (!room) return this.countPractice(1, 'camera');
    if (!this.inClass || room.state.phase !== 'joined') return;
    try {
      const count = await room.fitness.tapRep('camera');
      this.emit('fit-rep', { count, source: 'camera' });
    } catch (err) {
      this.reportError(err, 'Could not count that rep');
    }
  }

  private countPractice(delta: number, source: 'tap' | 'camera'): void {
    this.practiceCount = Math.max(0, this.practiceCount + delta);
    this.emit('fit-rep', { count: this.practiceCount, source });
  }

  private reportError(err: unknown, fallback: string): void {
    const e = err as { code?: string; message?: string };
    this.emit('fit-error', { code: e.code ?? 'internal_error', message: e.message ?? fallback });
  }

  private setOptedOut(optedOut: boolean): void {
    this.optedOut = optedOut;
    try {
      if (optedOut) localStorage.setItem(OPT_OUT_KEY, 'off');
      else localStorage.removeItem(OPT_OUT_KEY);
    } catch {
      // Storage blocked (private mode, sandboxed iframe): the choice lasts for this page.
    }
  }

  protected override render(): TemplateResult {
    const room = this.room;
    const selfId = room?.state.self?.id;
    const fitness = room?.fitness;
    const practice = !room && this.auto;
    const count = practice ? this.practiceCount : (fitness?.currentReps(selfId) ?? 0);
    const pending = fitness?.pendingTaps ?? 0;
    const card = fitness?.cardFor(selfId);
    const { i18n } = this;
    const shown = pending ? `+${pending}` : card && 'reps' in card.target ? i18n.t('reps.of', { target: card.target.reps }) : i18n.t('reps.unit');
    const usable = practice || (room?.state.phase === 'joined' && room.state.self?.role === 'member') || room?.state.phase === 'error';
    const problem = room?.state.phase === 'error' ? room.state.error : undefined;
    return html`<button
        part="button"
        class="tap"
        data-testid="rep-button"
        ?disabled=${!usable}
        aria-label=${i18n.t('reps.button', { shown: `${count} ${shown}`, exercise: card?.exercise.name })}
        @click=${() => void this.tap()}
      >
        <span part="count" class="count" data-testid="rep-count" aria-hidden="true">${count}</span>
        <span class="label ${pending ? 'pending' : ''}" aria-hidden="true">${shown}</span>
      </button>
      ${problem ? html`<p part="message" class="message" role="alert" data-testid="error-message" data-code=${problem.code}>${i18n.error(problem)} ${i18n.t('reps.retry')}</p>` : nothing}
      ${this.renderCamera(count)}`;
  }

  private renderCamera(count: number): TemplateResult | typeof nothing {
    const offered = this.offeredMovement;
    if (!offered || (this.room && !this.inClass)) return nothing;
    const { i18n } = this;
    const state = this.camera.state;
    const movement = i18n.t(`movement.${offered}`);
    let status: string;
    const cameraOff = !this.optedOut && !!this.room?.state.cameraOff;
    if (this.optedOut) status = i18n.t('reps.camera.offered', { movement });
    else if (cameraOff) status = i18n.t('reps.camera.needsCamera', { movement });
    else if (state.status === 'error' && state.error) status = i18n.error(state.error, i18n.t('error.pose_model_failed'));
    else if (state.status === 'running') status = i18n.t('reps.camera.running', { movement });
    else status = i18n.t('reps.camera.starting', { movement });
    const hint = !this.optedOut && !cameraOff && state.status === 'running' && state.hint ? i18n.t(`reps.camera.hint.${state.hint}`) : '';
    return html`<div part="camera" class="camera" data-testid="camera-counting" data-status=${this.optedOut ? 'opted-out' : cameraOff ? 'camera-off' : state.status} data-movement=${offered}>
      <p role="status" data-testid="camera-status">${status}</p>
      <p class="hint" role="status" data-testid="camera-hint" data-hint=${(!this.optedOut && state.hint) || ''}>${hint}</p>
      <p class="privacy">${i18n.t('reps.camera.privacy')}</p>
      <div class="camera-actions">
        ${!this.optedOut && count > 0
          ? html`<button type="button" data-testid="rep-undo" aria-label=${i18n.t('reps.camera.undo')} title=${i18n.t('reps.camera.undo')} @click=${() => void this.undo()}>−1</button>`
          : nothing}
        <button type="button" data-testid="camera-toggle" aria-pressed=${String(!this.optedOut)} @click=${() => this.setOptedOut(!this.optedOut)}>
          ${this.optedOut ? i18n.t('reps.camera.start') : i18n.t('reps.camera.stop')}
        </button>
      </div>
    </div>`;
  }
}

function isMovement(value: string): value is Movement {
  return (MOVEMENTS as readonly string[]).includes(value);
}

function readOptOut(): boolean {
  try {
    return localStorage.getItem(OPT_OUT_KEY) === 'off';
  } catch {
    return false;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fit-rep-counter': FitRepCounter;
  }
}
