import { ErrorCode } from '../../protocol/error-codes.js';
import type { ClassMemberChanges, ClassStateUpdate, ClassStateView, Exercise, Level, Mode, Movement, Plan, RepSource, Target, TimerSpec } from '../../protocol/class-state.js';
import { FREESTYLE } from '../../protocol/class-constants.js';
import type { RequestName, RequestPayload, ResponseMap } from '../../protocol/signaling.js';
import { readTimer, type TimerReading } from '../../protocol/timer.js';
import { FitError } from './fit-error.js';

/** What the class model needs from the connection. */
export interface ClassChannel {
  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]>;
}

export interface ExerciseCard {
  index: number;
  exercise: Exercise;
  target: Target;
}

const TAP_RETRIES = 3;

/**
 * The fitness half of a room, DOM-free: the class state the server broadcasts, the server clock
 * offset, and the intents (coach controls, rep taps). Nothing is applied optimistically except
 * the count of taps still waiting for their acknowledgement.
 */
export class ClassModel {
  state: ClassStateView | undefined;
  /** serverClock ≈ Date.now() + offsetMs. */
  offsetMs = 0;
  /** Taps sent but not yet acknowledged. */
  pendingTaps = 0;
  private channel: ClassChannel | undefined;

  constructor(private readonly changed: () => void) {}

  attach(channel: ClassChannel | undefined, state: ClassStateView | undefined): void {
    this.channel = channel;
    this.state = state;
    this.changed();
  }

  /** Clock samples of the last minutes (a busy moment makes a long, lopsided round trip). */
  private clockSamples: Array<{ rtt: number; offset: number; at: number }> = [];

  /**
   * Estimates the server clock from a few round trips. The offset is the one of the round trip
   * with the least delay among the last ten minutes' samples: one slow sample (a CPU stall, a
   * congested link while the class joins) does not move every timer on this screen. Called at
   * join and again when a timer starts, when agreeing matters most.
   */
  async syncClock(samples = 3): Promise<void> {
    for (let i = 0; i < samples; i++) {
      const t0 = Date.now();
      const { serverNow } = await this.call('time:sync', {});
      const t1 = Date.now();
      this.clockSamples.push({ rtt: t1 - t0, offset: serverNow - (t0 + t1) / 2, at: t1 });
    }
    const recent = this.clockSamples.filter((s) => s.at > Date.now() - 600_000).slice(-20);
    this.clockSamples = recent;
    const best = recent.reduce<(typeof recent)[number] | undefined>((b, s) => (!b || s.rtt < b.rtt ? s : b), undefined);
    if (best) this.offsetMs = best.offset;
  }

  serverNow(): number {
    return Date.now() + this.offsetMs;
  }

  /** A `class:state` broadcast: everything but the members, who come as `class:members` changes. */
  onState(update: ClassStateUpdate | ClassStateView): void {
    const timerStarted = !!update.timer && update.timer.startedAt !== this.state?.timer?.startedAt;
    this.state = { ...update, participants: 'participants' in update ? update.participants : (this.state?.participants ?? {}) };
    if (timerStarted && this.channel) void this.syncClock().catch(() => undefined);
    this.changed();
  }

  /** Members whose state changed (null: left). */
  onMembers(changes: ClassMemberChanges): void {
    const participants = { ...(this.state?.participants ?? {}) };
    for (const [id, state] of Object.entries(changes)) {
      if (state) participants[id] = state;
      else delete participants[id];
    }
    if (this.state) this.state = { ...this.state, participants };
    this.changed();
  }

  /** One member's count changed (in the server's order: a correction may lower it). */
  onRepCounted(participantId: string, exerciseId: string, count: number, cameraCount = 0): void {
    const p = this.state?.participants[participantId];
    if (!p) return;
    p.reps = { ...p.reps, [exerciseId]: count };
    if (cameraCount || p.cameraReps?.[exerciseId]) p.cameraReps = { ...p.cameraReps, [exerciseId]: cameraCount };
    this.changed();
  }

  levelOf(participantId: string | undefined): Level | undefined {
    return participantId ? this.state?.participants[participantId]?.level : undefined;
  }

  /** The card a participant sees: the exercise their level was given last. */
  cardFor(participantId: string | undefined): ExerciseCard | undefined {
    const level = this.levelOf(participantId);
    const index = level ? this.state?.cards[level] : null;
    const exercise = index === null || index === undefined ? undefined : this.state?.plan[index];
    return exercise && level ? { index: index!, exercise, target: exercise.targets[level] } : undefined;
  }

  /** The exercise a participant's reps count toward now (their card's, or free reps). */
  currentExerciseId(participantId: string | undefined): string {
    return this.cardFor(participantId)?.exercise.id ?? FREESTYLE;
  }

  /** The movement the participant's camera should count now, when the coach turned it on. */
  autoCountFor(participantId: string | undefined): Movement | undefined {
    return participantId ? this.state?.autoCount?.[this.currentExerciseId(participantId)] : undefined;
  }

  /** Of the current reps, those the participant's camera counted. */
  currentCameraReps(participantId: string | undefined): number {
    return participantId ? (this.state?.participants[participantId]?.cameraReps?.[this.currentExerciseId(participantId)] ?? 0) : 0;
  }

  totalCameraReps(participantId: string): number {
    return Object.values(this.state?.participants[participantId]?.cameraReps ?? {}).reduce((a, b) => a + b, 0);
  }

  totalReps(participantId: string): number {
    return Object.values(this.state?.participants[participantId]?.reps ?? {}).reduce((a, b) => a + b, 0);
  }

  /** Reps toward the participant's current card (or all, with no card). */
  currentReps(participantId: string | undefined): number {
    if (!participantId) return 0;
    const card = this.cardFor(participantId);
    const reps = this.state?.participants[participantId]?.reps ?? {};
    return card ? (reps[card.exercise.id] ?? 0) : (reps.freestyle ?? 0);
  }

  timerReading(): TimerReading | undefined {
    const t = this.state?.timer;
    return t ? readTimer(t, this.serverNow()) : undefined;
  }

  // Intents. Each resolves when the server has applied it; the broadcast state follows.

  setMode = (mode: Mode) => this.call('class:set-mode', { mode });
  setLevel = (participantId: string, level: Level) => this.call('class:set-level', { participantId, level });
  setPlan = (plan: Plan) => this.call('class:set-plan', { plan });
  showExercise = (index: number, level: Level | null) => this.call('class:show-exercise', { index, level });
  advance = () => this.call('class:advance', {});
  startTimer = (spec: TimerSpec) => this.call('timer:start', { spec });
  controlTimer = (action: 'pause' | 'resume' | 'skip' | 'stop') => this.call('timer:control', { action });
  setMuted = (participantId: string, muted: boolean, lock = false) => this.call('mic:set-muted', { participantId, muted, lock });
  muteAll = (lock: boolean) => this.call('mic:mute-all', { lock });
  spotlight = (participantId: string | null) => this.call('class:spotlight', { participantId });
  remove = (participantId: string) => this.call('class:remove', { participantId });
  end = () => this.call('class:end', {});
  /** Count an exercise with members' cameras (`null`: stop). */
  setAutoCount = (exerciseId: string, movement: Movement | null) => this.call('class:auto-count', { exerciseId, movement });
  startBreakouts = () => this.call('breakouts:start', {});
  visitBreakout = (room: Level) => this.call('breakouts:visit', { room });
  endBreakouts = () => this.call('breakouts:end', {});
  raiseHand = () => this.call('hand:raise', {});
  /** Lowers one's own hand, or (the coach) anyone's. */
  lowerHand = (participantId?: string) => this.call('hand:lower', participantId ? { participantId } : {});
  /** The coach calls on a raised hand: it comes down and the member is spotlighted. */
  callOnHand = (participantId: string) => this.call('hand:call', { participantId });

  /** Place in the hand queue: 1 = raised first; 0 = hand down. */
  handPosition(participantId: string | undefined): number {
    return participantId ? (this.state?.hands ?? []).indexOf(participantId) + 1 : 0;
  }

  /**
   * One rep (a tap, or one the member's camera counted). The operation id is made once per rep
   * and reused on every retry, so a lost answer or a reconnect never counts it twice.
   */
  tapRep(source: RepSource = 'tap'): Promise<number> {
    const opId = crypto.randomUUID();
    return this.sendRep(() => this.call('rep:tap', source === 'tap' ? { opId } : { opId, source }), 1);
  }

  /** Takes back one rep of the current exercise (the camera counted one too many). */
  undoRep(): Promise<number> {
    const opId = crypto.randomUUID();
    return this.sendRep(() => this.call('rep:undo', { opId }), 0);
  }

  /** Sends (and retries) one rep operation; `pending` is what it adds to the `+n` shown meanwhile. */
  private async sendRep(send: () => Promise<{ count: number }>, pending: number): Promise<number> {
    this.pendingTaps += pending;
    this.changed();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const { count } = await send();
          return count;
        } catch (err) {
          const retriable = (err as FitError).code === ErrorCode.ServerUnreachable || (err as FitError).code === ErrorCode.NotJoined;
          if (!retriable || attempt >= TAP_RETRIES) throw err;
          await new Promise((r) => setTimeout(r, 300 * attempt));
        }
      }
    } finally {
      this.pendingTaps -= pending;
      this.changed();
    }
  }

  private call<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    if (!this.channel) return Promise.reject(new FitError(ErrorCode.NotJoined, 'Join the class first'));
    return this.channel.request(name, payload);
  }
}
