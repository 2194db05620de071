import { html, nothing, type TemplateResult } from 'lit';
import { ObserverRoom, type CounterRoom } from '../../room/observer-model.js';
import { LocaleController } from '../../i18n/locale.js';
import { themeStyles } from '../theme.styles.js';
import { FitElement } from '../fit-element.js';
import { RoomController } from '../room-controller.js';
import { styles } from './fit-rep-counter.styles.js';

/**
 * @tag fit-rep-counter
 *
 * A big tap target that counts reps toward the member's current exercise. The count shown is the
 * server's; taps still on their way show as `+n`.
 *
 * @summary Tap (or Space/Enter) for each rep. Inside `<fit-class-room>` it counts for that seat;
 * on its own (`server`, `class-id`, `token` attributes) it follows the class on a second device.
 *
 * @fires fit-rep - A rep was acknowledged. `detail: { count }`.
 * @fires fit-error - A rep could not be counted. `detail: { code, message }`.
 *
 * @csspart button - The tap target.
 * @csspart count - The number.
 *
 * @cssproperty --fit-rep-size - Diameter of the tap target.
 * @cssproperty --fit-accent - Colour of the tap target.
 * @cssproperty --fit-on-accent - Text on accent-coloured buttons and badges (default dark, 7:1 on the default orange; `#fff` suits a dark accent).
 * @cssproperty --fit-accent-text - The accent used as text (default: the accent; darker in the light theme).
 */
export class FitRepCounter extends FitElement {
  static override styles = [styles, themeStyles];
  private readonly i18n = new LocaleController(this);
  static override properties = {
    theme: { type: String, reflect: true },
    server: { type: String },
    classId: { type: String, attribute: 'class-id' },
    token: { type: String },
  };

  /** `dark` (default), `light`, or `auto` (follows the visitor's system setting). Page `--fit-*` values win over either. */
  declare theme: 'dark' | 'light' | 'auto' | undefined;
  /** Standalone use: the backend, class and the member's join token (the member must be in the class). */
  declare server: string;
  declare classId: string;
  declare token: string;
  private observer: ObserverRoom | undefined;

  constructor() {
    super();
    this.server = '';
    this.classId = '';
    this.token = '';
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
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.dispose();
    this.observer = undefined;
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

  /** Counts one rep. */
  async tap(): Promise<void> {
    const room = this.room;
    if (room instanceof ObserverRoom && room.state.phase === 'error') return room.retry();
    if (!room || room.state.phase !== 'joined') return;
    try {
      const count = await room.fitness.tapRep();
      this.emit('fit-rep', { count });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      this.emit('fit-error', { code: e.code ?? 'internal_error', message: e.message ?? 'Could not count that rep' });
    }
  }

  protected override render(): TemplateResult {
    const room = this.room;
    const selfId = room?.state.self?.id;
    const fitness = room?.fitness;
    const count = fitness?.currentReps(selfId) ?? 0;
    const pending = fitness?.pendingTaps ?? 0;
    const card = fitness?.cardFor(selfId);
    const { i18n } = this;
    const shown = pending ? `+${pending}` : card && 'reps' in card.target ? i18n.t('reps.of', { target: card.target.reps }) : i18n.t('reps.unit');
    const usable = (room?.state.phase === 'joined' && room.state.self?.role === 'member') || room?.state.phase === 'error';
    const problem = room?.state.phase === 'error' ? room.state.error : undefined;
    return html`<button
      part="button"
      data-testid="rep-button"
      ?disabled=${!usable}
      aria-label=${i18n.t('reps.button', { shown: `${count} ${shown}`, exercise: card?.exercise.name })}
      @click=${() => void this.tap()}
    >
      <span part="count" class="count" data-testid="rep-count" aria-hidden="true">${count}</span>
      <span class="label ${pending ? 'pending' : ''}" aria-hidden="true">${shown}</span>
    </button>
    ${problem ? html`<p part="message" class="message" role="alert" data-testid="error-message" data-code=${problem.code}>${i18n.error(problem)} ${i18n.t('reps.retry')}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fit-rep-counter': FitRepCounter;
  }
}
