import { ErrorCode } from '../../protocol/error-codes.js';
import { FREESTYLE, LEVELS, type ClassStateView, type Level, type Mode, type Movement, type ParticipantClassState, type Plan, type RepSource, type TimerSpec, type TimerState } from '../../protocol/class-state.js';
import { AppError } from '../errors.js';
import type { ClassSession } from './class-session.js';
import { Seats } from './seats.js';
import { pauseTimer, resumeTimer, skipPhase, startTimer } from '../../protocol/timer.js';

/** What of a live class is kept in the store, so a restarted backend picks the class up where it was. */
export interface ClassSnapshot {
  mode: Mode;
  cards: Record<Level, number | null>;
  spotlightId: string | null;
  breakouts: { coachRoom: Level | null } | null;
  timer: TimerState | null;
  hands: string[];
  /** Exercises counted by members' cameras (absent in snapshots from before it existed). */
  autoCount?: Record<string, Movement>;
  /** Per participant id: level and microphone state (reps are kept row by row elsewhere). */
  members: Record<string, { level: Level; mutedByCoach: boolean; micLocked: boolean }>;
}

/** What a member asks for: one more rep (a tap or the camera), or one less. */
export type RepRequest = RepSource | 'undo';

/**
 * What a stored rep row does: one more (a tap or a camera rep), or one less, which takes back a
 * camera rep (`undo-camera`) when there is one, else a tapped one (`undo`). Stored as decided, so
 * counts are plain sums over the rows, in any order.
 */
export type RepKind = RepSource | 'undo' | 'undo-camera';

export interface RepResult {
  participantId: string;
  exerciseId: string;
  /** This participant's acknowledged reps for the exercise. */
  count: number;
  /** Of those, counted by the member's camera. */
  cameraCount: number;
  /** The operation id was seen before: nothing was added. */
  duplicate: boolean;
}

/** Rep operation ids remembered per member: a retry comes within seconds, and the store has the rest. */
export const SEEN_OPS_KEPT = 512;

const forbidden = (what: string) => new AppError(ErrorCode.Forbidden, `Only the coach can ${what}`, 403);

/**
 * The fitness rules of one live class: mode, levels, the plan and which card each level sees,
 * reps, the interval timer, and the coach's controls. Pure: every decision about who may do
 * what is made here, from the roles in the ClassSession, never from what a client claims.
 */
export class ClassRules {
  private mode: Mode = 'teach';
  private plan: Plan = [];
  private cards: Record<Level, number | null> = { beginner: null, intermediate: null, advanced: null };
  private spotlightId: string | null = null;
  private breakouts: { coachRoom: Level | null } | null = null;
  private timer: TimerState | null = null;
  private autoCount: Record<string, Movement> = {};
  private ended = false;
  /** Per participant id (stable per person), kept across a reconnect. */
  private readonly members = new Map<string, ParticipantClassState>();
  /** Operation ids already counted, per participant: a retried tap never counts twice. */
  /** Recent rep operation ids per member, for quick duplicate answers (SEEN_OPS_KEPT each; the store's unique key catches older ones). */
  private readonly seenOps = new Map<string, Set<string>>();
  private readonly removedIdentities = new Set<string>();
  /** Raised hands, oldest first. */
  private hands: string[] = [];
  private readonly chatMuted = new Set<string>();
  /** Broadcast viewers muted in this class's chat (by their chat id); they are not in the session. */
  private readonly viewersMuted = new Set<string>();
  readonly seats: Seats;

  constructor(
    private readonly session: ClassSession,
    plan: Plan = [],
    capacity = 50,
  ) {
    this.plan = plan;
    this.seats = new Seats(capacity);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Checked before a person takes a seat. */
  admit(identity: string): void {
    if (this.ended) throw new AppError(ErrorCode.ClassEnded, 'This class has ended', 410);
    if (this.removedIdentities.has(identity)) throw new AppError(ErrorCode.Removed, 'You were removed from this class', 403);
  }

  /**
   * Takes a member seat for `identity` (throws `class_full`). Call it in the same synchronous
   * step as the session join: that is what makes the limit hold under racing joins.
   */
  claimSeat(identity: string, role: 'coach' | 'member', now: number): void {
    if (role !== 'member') return;
    this.seats.claim(identity, this.seatedMembers(), now);
  }

  private seatedMembers(): Set<string> {
    return new Set(this.session.all().filter((p) => p.role === 'member').map((p) => p.identity));
  }

  /** Holds freed seats for the first in line; returns their identities. */
  promoteWaiting(now: number): string[] {
    return this.seats.promote(this.seatedMembers().size, now);
  }

  /** A participant took a seat; a returning one keeps their level and reps. */
  seated(participantId: string, level: Level): ParticipantClassState {
    let state = this.members.get(participantId);
    if (!state) {
      state = { level, reps: {}, mutedByCoach: false, micLocked: false };
      this.members.set(participantId, state);
    }
    return state;
  }

  stateOf(participantId: string): ParticipantClassState | undefined {
    return this.members.get(participantId);
  }

  /** Throws unless `actorId` is the coach of a class that has not ended. */
  requireCoach(actorId: string, what: string): void {
    this.assertCoach(actorId, what);
  }

  private assertCoach(actorId: string, what: string): void {
    if (this.session.get(actorId)?.role !== 'coach') throw forbidden(what);
    if (this.ended) throw new AppError(ErrorCode.ClassEnded, 'This class has ended', 410);
  }

  private assertPresent(participantId: string): ParticipantClassState {
    const state = this.members.get(participantId);
    if (!state || !this.session.get(participantId)) throw new AppError(ErrorCode.NotFound, 'No such participant in the class', 404);
    return state;
  }

  setMode(actorId: string, mode: Mode): void {
    this.assertCoach(actorId, 'switch modes');
    this.mode = mode;
  }

  setLevel(actorId: string, targetId: string, level: Level): void {
    this.assertCoach(actorId, 'change levels');
    this.assertPresent(targetId).level = level;
  }

  setPlan(actorId: string, plan: Plan): void {
    this.assertCoach(actorId, 'edit the plan');
    this.replacePlan(plan);
  }

  /** A plan changed through the REST API (already authorised there). */
  replacePlan(plan: Plan): void {
    this.plan = plan;
    const ids = new Set(plan.map((e) => e.id));
    this.autoCount = Object.fromEntries(Object.entries(this.autoCount).filter(([id]) => id === FREESTYLE || ids.has(id)));
    for (const level of LEVELS) {
      const i = this.cards[level];
      if (i !== null && i >= plan.length) this.cards[level] = null;
    }
  }

  /**
   * Shows exercise `index` to one level, or to every level. A level that is not targeted keeps
   * its current card.
   */
  showExercise(actorId: string, index: number, level: Level | null): void {
    this.assertCoach(actorId, 'choose exercises');
    if (!Number.isInteger(index) || index < 0 || index >= this.plan.length) {
      throw new AppError(ErrorCode.BadRequest, `The plan has no exercise ${index + 1}`);
    }
    for (const l of level ? [level] : LEVELS) this.cards[l] = index;
  }

  /** Moves every level to the exercise after the furthest one shown. */
  advance(actorId: string): number {
    this.assertCoach(actorId, 'advance the plan');
    const furthest = Math.max(-1, ...LEVELS.map((l) => this.cards[l] ?? -1));
    const next = furthest + 1;
    if (next >= this.plan.length) throw new AppError(ErrorCode.BadRequest, 'That was the last exercise of the plan');
    for (const l of LEVELS) this.cards[l] = next;
    return next;
  }

  /** The exercise id a participant's reps count toward right now. */
  currentExerciseId(participantId: string): string {
    const state = this.members.get(participantId);
    const index = state ? this.cards[state.level] : null;
    return index === null ? FREESTYLE : (this.plan[index]?.id ?? FREESTYLE);
  }

  /**
   * Counts an exercise with members' cameras (their browsers count; the reps come as taps
   * marked `camera`), or stops. The exercise must be in the plan, or be the free set.
   */
  setAutoCount(actorId: string, exerciseId: string, movement: Movement | null): void {
    this.assertCoach(actorId, 'set up camera counting');
    if (exerciseId !== FREESTYLE && !this.plan.some((e) => e.id === exerciseId)) {
      throw new AppError(ErrorCode.BadRequest, `The plan has no exercise "${exerciseId}"`);
    }
    if (movement) this.autoCount[exerciseId] = movement;
    else delete this.autoCount[exerciseId];
  }

  /**
   * Checks a rep (or a correction) before it is stored; returns the exercise it counts toward and
   * what the row will do (a correction takes back a camera rep first: the camera is what miscounts).
   */
  checkRep(actorId: string, opId: string, request: RepRequest = 'tap'): { exerciseId: string; duplicate: boolean; kind: RepKind } {
    if (this.ended) throw new AppError(ErrorCode.ClassEnded, 'This class has ended', 410);
    const p = this.session.get(actorId);
    if (!p || p.role !== 'member') throw new AppError(ErrorCode.Forbidden, 'Only members count reps', 403);
    const exerciseId = this.currentExerciseId(actorId);
    const duplicate = this.seenOps.get(actorId)?.has(opId) ?? false;
    if (request !== 'undo') return { exerciseId, duplicate, kind: request };
    const state = this.members.get(actorId);
    if (!duplicate && !(state?.reps[exerciseId] ?? 0)) throw new AppError(ErrorCode.BadRequest, 'There is no rep to take back for this exercise');
    return { exerciseId, duplicate, kind: state?.cameraReps?.[exerciseId] ? 'undo-camera' : 'undo' };
  }

  /** Counts a rep (or a correction) the store has acknowledged (idempotent on `opId`). */
  recordRep(actorId: string, opId: string, exerciseId: string, kind: RepKind = 'tap'): RepResult {
    const state = this.assertPresent(actorId);
    const duplicate = this.seenOps.get(actorId)?.has(opId) ?? false;
    if (!duplicate) {
      this.rememberOp(actorId, opId);
      applyRep(state, exerciseId, kind);
    }
    return this.repResult(actorId, exerciseId, duplicate);
  }

  /**
   * Notes an operation id as done without counting it: the store already had it (a retry older
   * than what is remembered here). Memory per member stays bounded however long the class runs.
   */
  rememberOp(actorId: string, opId: string): void {
    let seen = this.seenOps.get(actorId);
    if (!seen) this.seenOps.set(actorId, (seen = new Set()));
    seen.delete(opId);
    seen.add(opId);
    // A Set keeps insertion order: the first is the oldest.
    while (seen.size > SEEN_OPS_KEPT) seen.delete(seen.values().next().value!);
  }

  /** A participant's counts for an exercise as a RepResult. */
  repResult(participantId: string, exerciseId: string, duplicate: boolean): RepResult {
    const state = this.members.get(participantId);
    return { participantId, exerciseId, count: state?.reps[exerciseId] ?? 0, cameraCount: state?.cameraReps?.[exerciseId] ?? 0, duplicate };
  }

  /** Loads counts kept in the store (a class re-opened after a restart). */
  restoreReps(participantId: string, counts: Record<string, number>, opIds: Iterable<string>, cameraCounts: Record<string, number> = {}): void {
    const state = this.members.get(participantId);
    if (!state) return;
    state.reps = { ...counts };
    if (Object.keys(cameraCounts).length) state.cameraReps = { ...cameraCounts };
    else delete state.cameraReps;
    this.seenOps.set(participantId, new Set([...opIds].slice(-SEEN_OPS_KEPT)));
  }

  startTimer(actorId: string, spec: TimerSpec, now: number): void {
    this.assertCoach(actorId, 'run the timer');
    this.timer = startTimer(spec, now);
  }

  controlTimer(actorId: string, action: 'pause' | 'resume' | 'skip' | 'stop', now: number): void {
    this.assertCoach(actorId, 'run the timer');
    if (!this.timer) throw new AppError(ErrorCode.BadRequest, 'No timer is running');
    if (action === 'stop') this.timer = null;
    else this.timer = action === 'pause' ? pauseTimer(this.timer, now) : action === 'resume' ? resumeTimer(this.timer, now) : skipPhase(this.timer, now);
  }

  /**
   * Mutes or unmutes a microphone. The coach may do either to anyone and lock it; a member may
   * mute themselves, and unmute themselves unless the coach locked it.
   */
  setMuted(actorId: string, targetId: string, muted: boolean, lock = false): ParticipantClassState {
    const actor = this.session.get(actorId);
    const target = this.assertPresent(targetId);
    if (actor?.role === 'coach') {
      if (this.ended) throw new AppError(ErrorCode.ClassEnded, 'This class has ended', 410);
      target.mutedByCoach = muted;
      target.micLocked = muted && lock;
      return target;
    }
    if (actorId !== targetId) throw forbidden('mute other people');
    if (!muted && target.micLocked) throw new AppError(ErrorCode.MicLocked, 'The coach has locked your microphone', 403);
    target.mutedByCoach = false;
    return target;
  }

  /** Mutes every member; returns their ids. */
  muteAll(actorId: string, lock: boolean): string[] {
    this.assertCoach(actorId, 'mute everyone');
    const ids: string[] = [];
    for (const [id, state] of this.members) {
      if (this.session.get(id)?.role !== 'member') continue;
      state.mutedByCoach = true;
      state.micLocked = lock;
      ids.push(id);
    }
    return ids;
  }

  spotlight(actorId: string, targetId: string | null): void {
    this.assertCoach(actorId, 'spotlight someone');
    if (targetId !== null) this.assertPresent(targetId);
    this.spotlightId = targetId;
  }

  /** Removes a member for good: their identity cannot rejoin this class. */
  remove(actorId: string, targetId: string): void {
    this.assertCoach(actorId, 'remove people');
    const target = this.session.get(targetId);
    if (!target) throw new AppError(ErrorCode.NotFound, 'No such participant in the class', 404);
    if (target.role === 'coach') throw new AppError(ErrorCode.Forbidden, 'A coach cannot be removed', 403);
    this.removedIdentities.add(target.identity);
    if (this.spotlightId === targetId) this.spotlightId = null;
  }

  /** A participant left: a spotlight on them goes out, a raised hand comes down. */
  left(participantId: string): void {
    if (this.spotlightId === participantId) this.spotlightId = null;
    this.hands = this.hands.filter((id) => id !== participantId);
  }

  raiseHand(actorId: string): void {
    const p = this.session.get(actorId);
    if (!p || p.role !== 'member') throw new AppError(ErrorCode.Forbidden, 'Only members raise hands', 403);
    if (this.ended) throw new AppError(ErrorCode.ClassEnded, 'This class has ended', 410);
    if (!this.hands.includes(actorId)) this.hands.push(actorId);
  }

  /** A member lowers their own hand; the coach lowers anyone's. Lowering a lowered hand is fine. */
  lowerHand(actorId: string, targetId: string): void {
    if (actorId !== targetId) this.assertCoach(actorId, "lower someone else's hand");
    this.hands = this.hands.filter((id) => id !== targetId);
  }

  /** The coach calls on a raised hand: it comes down and the member is spotlighted. */
  callOn(actorId: string, targetId: string): void {
    this.assertCoach(actorId, 'call on a hand');
    if (!this.hands.includes(targetId)) throw new AppError(ErrorCode.BadRequest, 'That hand is not raised');
    this.assertPresent(targetId);
    this.hands = this.hands.filter((id) => id !== targetId);
    this.spotlightId = targetId;
  }

  /** The coach or a moderator may delete messages and mute chat. */
  canModerate(actorId: string): boolean {
    const p = this.session.get(actorId);
    return !!p && (p.role === 'coach' || p.moderator === true);
  }

  setChatMuted(actorId: string, targetId: string, muted: boolean): void {
    if (!this.canModerate(actorId)) throw new AppError(ErrorCode.Forbidden, 'Only the coach or a moderator can mute chat', 403);
    const target = this.session.get(targetId);
    if (!target) throw new AppError(ErrorCode.NotFound, 'No such participant in the class', 404);
    if (target.role === 'coach') throw new AppError(ErrorCode.Forbidden, "A coach's chat cannot be muted", 403);
    if (muted) this.chatMuted.add(targetId);
    else this.chatMuted.delete(targetId);
  }

  /** The coach or a moderator mutes (or unmutes) a broadcast viewer by the id on their messages. */
  setViewerChatMuted(actorId: string, viewerId: string, muted: boolean): void {
    if (!this.canModerate(actorId)) throw new AppError(ErrorCode.Forbidden, 'Only the coach or a moderator can mute chat', 403);
    if (muted) this.viewersMuted.add(viewerId);
    else this.viewersMuted.delete(viewerId);
  }

  /** A viewer's mute found in the store (the class re-opened since). */
  restoreViewerChatMute(viewerId: string): void {
    this.viewersMuted.add(viewerId);
  }

  /** A mute kept in the store (a class re-opened after a restart). */
  restoreChatMute(participantId: string): void {
    this.chatMuted.add(participantId);
  }

  /** Throws unless `actorId` may write in the chat now. */
  assertCanChat(actorId: string): void {
    if (!this.session.get(actorId)) throw new AppError(ErrorCode.NotJoined, 'Join the class first');
    if (this.chatMuted.has(actorId)) throw new AppError(ErrorCode.ChatMuted, 'The coach has muted your chat', 403);
  }

  end(actorId: string): void {
    this.assertCoach(actorId, 'end the class');
    this.ended = true;
    this.timer = null;
  }

  /**
   * Whether `viewerId` receives `ownerId`'s media. The coach receives every member; members
   * receive the coach and whoever is spotlighted, not each other (a 40-member class must not
   * cost every member 39 streams).
   */
  canReceive(viewerId: string, ownerId: string): boolean {
    if (viewerId === ownerId) return false;
    const viewer = this.session.get(viewerId);
    const owner = this.session.get(ownerId);
    if (!viewer || !owner) return false;
    if (this.breakouts) return this.roomOf(viewerId) !== null && this.roomOf(viewerId) === this.roomOf(ownerId);
    return viewer.role === 'coach' || owner.role === 'coach' || ownerId === this.spotlightId;
  }

  /** During breakouts: the room a participant is in (a member's level; where the coach visits). */
  private roomOf(participantId: string): Level | null {
    if (!this.breakouts) return null;
    if (this.session.get(participantId)?.role === 'coach') return this.breakouts.coachRoom;
    return this.members.get(participantId)?.level ?? null;
  }

  /** Splits the members into one room per level; the coach starts in the first non-empty one. */
  startBreakouts(actorId: string): void {
    this.assertCoach(actorId, 'start breakouts');
    const levels = new Set(this.session.all().filter((p) => p.role === 'member').map((p) => this.members.get(p.id)?.level));
    this.breakouts = { coachRoom: LEVELS.find((l) => levels.has(l)) ?? null };
  }

  visitBreakout(actorId: string, room: Level): void {
    this.assertCoach(actorId, 'visit breakouts');
    if (!this.breakouts) throw new AppError(ErrorCode.BadRequest, 'No breakouts are running');
    this.breakouts = { coachRoom: room };
  }

  /** Brings everyone back into the main room. */
  endBreakouts(actorId: string): void {
    this.assertCoach(actorId, 'end breakouts');
    this.breakouts = null;
  }

  /** Who receives `ownerId`'s media. */
  receiversOf(ownerId: string): string[] {
    return this.session
      .all()
      .filter((p) => this.canReceive(p.id, ownerId))
      .map((p) => p.id);
  }

  get spotlighted(): string | null {
    return this.spotlightId;
  }

  snapshot(): ClassSnapshot {
    const members: ClassSnapshot['members'] = {};
    for (const [id, m] of this.members) members[id] = { level: m.level, mutedByCoach: m.mutedByCoach, micLocked: m.micLocked };
    return { mode: this.mode, cards: { ...this.cards }, spotlightId: this.spotlightId, breakouts: this.breakouts, timer: this.timer, hands: [...this.hands], autoCount: { ...this.autoCount }, members };
  }

  /** Takes up a stored snapshot (the class re-opened after a restart); the plan is the class's own. */
  restore(s: ClassSnapshot): void {
    this.mode = s.mode;
    for (const level of LEVELS) {
      const i = s.cards[level];
      this.cards[level] = i !== null && i !== undefined && i < this.plan.length ? i : null;
    }
    this.spotlightId = s.spotlightId;
    this.breakouts = s.breakouts;
    this.timer = s.timer;
    this.hands = [...s.hands];
    const ids = new Set(this.plan.map((e) => e.id));
    this.autoCount = Object.fromEntries(Object.entries(s.autoCount ?? {}).filter(([id]) => id === FREESTYLE || ids.has(id)));
    for (const [id, m] of Object.entries(s.members)) this.members.set(id, { ...m, reps: this.members.get(id)?.reps ?? {} });
  }

  /** The state every client renders, for the participants now in the class. */
  view(): ClassStateView {
    const participants: Record<string, ParticipantClassState> = {};
    for (const [id, state] of this.members) if (this.session.get(id)) participants[id] = state;
    return {
      mode: this.mode,
      plan: this.plan,
      cards: { ...this.cards },
      spotlightId: this.spotlightId,
      breakouts: this.breakouts,
      timer: this.timer,
      autoCount: { ...this.autoCount },
      ended: this.ended,
      participants,
      hands: this.hands.filter((id) => this.session.get(id)),
      chatMuted: [...[...this.chatMuted].filter((id) => this.session.get(id)), ...this.viewersMuted],
      seats: { capacity: this.seats.capacity, taken: this.seatedMembers().size, waiting: this.seats.waiting },
    };
  }
}

/** One stored rep row applied to a member's counts (never below zero). */
export function applyRep(state: Pick<ParticipantClassState, 'reps' | 'cameraReps'>, exerciseId: string, kind: RepKind): void {
  const add = (counts: Record<string, number>, delta: number) => (counts[exerciseId] = Math.max(0, (counts[exerciseId] ?? 0) + delta));
  add(state.reps, kind === 'undo' || kind === 'undo-camera' ? -1 : 1);
  if (kind === 'camera' || (kind === 'undo-camera' && state.cameraReps)) add((state.cameraReps ??= {}), kind === 'camera' ? 1 : -1);
}
