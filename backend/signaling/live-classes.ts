import { ClassRules } from '../classes/class-rules.js';
import { ClassSession } from '../classes/class-session.js';
import type { Logger } from '../logger.js';
import { ClassMedia, type TransportSettings } from '../media/class-media.js';
import type { WorkerPool } from '../media/worker-pool.js';
import type { ClassMemberChanges, ClassStateView } from '../../protocol/class-state.js';
import type { NotificationName, NotificationPayload } from '../../protocol/signaling.js';
import type { ClassRecord, Repositories } from '../store/repositories.js';
import { ClassSocial } from './class-social.js';

/** What a connection needs from its seat: a way to be told to go. */
export interface Seat {
  close(reason: 'replaced' | 'removed' | 'ended' | 'media_failed'): void;
  /** The class's media moved to another worker: drop the seat's media, keep the connection. */
  mediaLost(): void;
}

/** Someone waiting for a seat (a connection that is not in the class). */
export interface Waiter {
  notify<N extends NotificationName>(name: N, payload: NotificationPayload<N>): void;
}

/** Sends a notification to everyone in a Socket.IO room. */
export type ChannelEmitter = <N extends NotificationName>(channel: string, name: N, payload: NotificationPayload<N>) => void;

/** A class that is live on this node: its domain state, its router and its connected seats. */
export interface LiveClass {
  record: ClassRecord;
  session: ClassSession;
  rules: ClassRules;
  media: ClassMedia;
  /** Settles when `media` is usable (it is being re-made after a worker died). */
  mediaReady: Promise<void>;
  seats: Map<string, Seat>;
  channel: string;
  /** Chat, reactions and the board. */
  social: ClassSocial;
  /** Connections waiting for a seat, by identity. */
  waiters: Map<string, Waiter>;
  /** Fires when the oldest seat held for someone in line lapses. */
  holdTimer?: NodeJS.Timeout | undefined;
}

/** A class with nobody seated is closed after this (a quick rejoin keeps its router). */
export const EMPTY_GRACE_MS = 15_000;

/** The Socket.IO room of a class (in the viewers' namespace too, for its chat). */
export const classChannel = (classId: string) => `class:${classId}`;

/**
 * The classes live on this node. Creation is serialised per class (two first joiners share one
 * router); a class nobody is in is closed after a short grace, so a quick rejoin keeps its router.
 */
export class LiveClasses {
  private readonly live = new Map<string, LiveClass>();
  private readonly creating = new Map<string, Promise<LiveClass>>();
  private readonly emptyTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly transport: TransportSettings,
    private readonly logger: Logger,
    private readonly repos: Repositories,
    private readonly emitTo: ChannelEmitter,
    /** A class closed on this node (its placement may go). */
    private readonly onClosed: (classId: string) => void = () => undefined,
  ) {}

  get(classId: string): LiveClass | undefined {
    return this.live.get(classId);
  }

  /** Runs `fn` on each live class of a club. */
  forClub(clubId: string, fn: (live: LiveClass) => void): void {
    for (const live of this.live.values()) if (live.record.clubId === clubId) fn(live);
  }

  get count(): number {
    return this.live.size;
  }

  /** Live classes and the people seated in them (metrics). */
  totals(): { classes: number; participants: number } {
    let participants = 0;
    for (const live of this.live.values()) participants += live.seats.size;
    return { classes: this.live.size, participants };
  }

  async open(record: ClassRecord): Promise<LiveClass> {
    this.cancelEmptyTimer(record.id);
    let live = this.live.get(record.id);
    if (!live) {
      let pending = this.creating.get(record.id);
      if (!pending) {
        pending = this.create(record).finally(() => this.creating.delete(record.id));
        this.creating.set(record.id, pending);
      }
      live = await pending;
    }
    // Opened for someone who may never sit down (capabilities only, a refused join, a place in
    // line): it is released as an emptied class is, unless someone is seated by then.
    this.releaseIfEmpty(record.id);
    return live;
  }

  private async create(record: ClassRecord): Promise<LiveClass> {
    const channel = classChannel(record.id);
    const emit = <N extends NotificationName>(name: N, payload: NotificationPayload<N>) => this.emitTo(channel, name, payload);
    // The router and the stored chat/board state load side by side.
    const [media, social, kept] = await Promise.all([
      ClassMedia.create(this.pool, this.transport, (participantIds) => emit('media:speaking', { participantIds })),
      ClassSocial.load(record, this.repos, this.logger, emit),
      this.repos.classes.liveState(record.id),
    ]);
    const session = new ClassSession(record.id, record.title);
    const live: LiveClass = {
      record,
      session,
      rules: new ClassRules(session, record.plan, record.capacity),
      media,
      mediaReady: Promise.resolve(),
      seats: new Map(),
      channel,
      social,
      waiters: new Map(),
    };
    // A class that was live before a restart carries on where it was.
    if (kept) live.rules.restore(kept);
    this.live.set(record.id, live);
    this.watchRouter(live);
    this.logger.info({ classId: record.id, routerId: media.router.id }, 'class opened');
    return live;
  }

  /**
   * A router closes by itself when its worker dies. The class lives on (mode, levels, plan,
   * timer, reps): its media is re-made on another worker and every seat renegotiates.
   */
  private watchRouter(live: LiveClass): void {
    const media = live.media;
    // A router the class spread to died with its worker: re-make the class's media as a whole.
    media.onRouterLost = () => media.router.close();
    media.router.observer.once('close', () => {
      if (this.live.get(live.record.id) !== live || live.media !== media) return;
      this.logger.warn({ classId: live.record.id }, 'class router closed under a live class; moving it to another worker');
      live.mediaReady = this.remakeMedia(live);
      live.mediaReady.catch(() => undefined);
      for (const seat of [...live.seats.values()]) seat.mediaLost();
    });
  }

  private async remakeMedia(live: LiveClass): Promise<void> {
    const t0 = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        live.media = await ClassMedia.create(this.pool, this.transport, (participantIds) => this.emitTo(live.channel, 'media:speaking', { participantIds }));
        this.watchRouter(live);
        this.logger.info({ classId: live.record.id, routerId: live.media.router.id, ms: Date.now() - t0 }, 'class media re-made');
        return;
      } catch (err) {
        // No worker yet (the pool is replacing the dead one): try again shortly, for a while.
        if (attempt >= 50) {
          this.logger.error({ classId: live.record.id, err: (err as Error).message }, 'could not re-make class media');
          this.live.delete(live.record.id);
          for (const seat of [...live.seats.values()]) seat.close('media_failed');
          throw err;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private readonly saveTimers = new Map<string, NodeJS.Timeout>();
  private readonly stateTimers = new Map<string, { timer: NodeJS.Timeout; pending: boolean }>();
  /** Per class: each member's state as last sent (JSON), to send only what changed. */
  private readonly sentMembers = new Map<string, Map<string, string>>();

  /**
   * Sends the class state to everyone in the class, at most once per 50 ms per class: the
   * first change goes out at once, later ones in that window go out together with the newest
   * state at its end. A burst of joins to a big class would otherwise send the whole state to
   * everyone once per join (quadratic in the class size).
   */
  sendState(live: LiveClass): void {
    const id = live.record.id;
    const t = this.stateTimers.get(id);
    if (t) {
      t.pending = true;
      return;
    }
    const { participants, ...update } = live.rules.view();
    const changes = this.memberChanges(id, participants);
    if (changes) this.emitTo(live.channel, 'class:members', { changes });
    this.emitTo(live.channel, 'class:state', update);
    const entry = {
      pending: false,
      timer: setTimeout(() => {
        this.stateTimers.delete(id);
        if (entry.pending) this.sendState(live);
      }, 50),
    };
    entry.timer.unref();
    this.stateTimers.set(id, entry);
  }

  /** The class state changed: store it shortly (many changes in a burst make one write). */
  keep(live: LiveClass): void {
    if (this.saveTimers.has(live.record.id)) return;
    const timer = setTimeout(() => void this.saveNow(live), 200);
    timer.unref();
    this.saveTimers.set(live.record.id, timer);
  }

  /** The members whose state differs from what was last sent (null: gone), and remembers the new. */
  private memberChanges(classId: string, now: ClassStateView['participants']): ClassMemberChanges | undefined {
    let sent = this.sentMembers.get(classId);
    if (!sent) this.sentMembers.set(classId, (sent = new Map()));
    const changes: ClassMemberChanges = {};
    let any = false;
    for (const [id, state] of Object.entries(now)) {
      const json = JSON.stringify(state);
      if (sent.get(id) === json) continue;
      sent.set(id, json);
      changes[id] = state;
      any = true;
    }
    for (const id of sent.keys()) {
      if (id in now) continue;
      sent.delete(id);
      changes[id] = null;
      any = true;
    }
    return any ? changes : undefined;
  }

  private async saveNow(live: LiveClass): Promise<void> {
    const t = this.saveTimers.get(live.record.id);
    if (t) clearTimeout(t);
    this.saveTimers.delete(live.record.id);
    await this.repos.classes.saveLiveState(live.record.id, live.rules.snapshot()).catch((err: Error) => this.logger.error({ classId: live.record.id, err: err.message }, 'class state save failed'));
  }

  /** Called after someone leaves: closes the class once it has stayed empty for a while. */
  releaseIfEmpty(classId: string): void {
    const live = this.live.get(classId);
    if (!live || live.session.size > 0) return;
    this.cancelEmptyTimer(classId);
    const timer = setTimeout(() => {
      this.emptyTimers.delete(classId);
      if (this.live.get(classId) === live && live.session.size === 0) this.closeClass(live);
    }, EMPTY_GRACE_MS);
    timer.unref();
    this.emptyTimers.set(classId, timer);
  }

  private closeClass(live: LiveClass): void {
    this.live.delete(live.record.id);
    this.sentMembers.delete(live.record.id);
    live.media.close();
    if (live.holdTimer) clearTimeout(live.holdTimer);
    void live.social.close();
    if (this.saveTimers.has(live.record.id)) void this.saveNow(live);
    this.onClosed(live.record.id);
    this.logger.info({ classId: live.record.id }, 'class closed');
  }

  private cancelEmptyTimer(classId: string): void {
    const t = this.emptyTimers.get(classId);
    if (t) clearTimeout(t);
    this.emptyTimers.delete(classId);
  }

  /** Ends a live class from outside (cancelled through the API): every seat is closed. */
  end(classId: string): void {
    const live = this.live.get(classId);
    if (!live) return;
    for (const seat of [...live.seats.values()]) seat.close('ended');
  }

  /**
   * Closes every class for a shutdown; settles when what they keep (state, boards) is stored.
   * Seats are not told the class ended: their connections drop with the server and they come
   * back when it does, to the same state.
   */
  async closeAll(): Promise<void> {
    for (const t of this.emptyTimers.values()) clearTimeout(t);
    this.emptyTimers.clear();
    const saving: Promise<void>[] = [];
    for (const live of [...this.live.values()]) {
      saving.push(live.social.close(), this.saveNow(live));
      this.closeClass(live);
    }
    await Promise.all(saving);
  }
}
