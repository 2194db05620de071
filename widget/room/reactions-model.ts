import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';
import { REACTIONS, type Reaction } from '../../protocol/social-constants.js';
import type { ClassChannel } from './class-model.js';
import { FitError } from './fit-error.js';

/** One emoji floating up over the stage. `lane` (0–9) and `variant` (0–2) pick its CSS path. */
export interface Floater {
  id: number;
  emoji: Reaction;
  lane: number;
  variant: number;
}

export interface ReactionsOptions {
  /** Floaters made from one burst, however big the class. */
  maxPerBurst?: number;
  /** Floaters on screen at once; the oldest go first. */
  maxOnScreen?: number;
  /** How long one floats (the CSS animation's length). */
  lifetimeMs?: number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * A stable id per reaction: the element words it (`reaction.<id>` in the catalogs), since the
 * emoji alone reads badly in a screen reader.
 */
export const REACTION_IDS = {
  '👏': 'applause',
  '💪': 'strong',
  '🔥': 'fire',
  '❤️': 'love',
  '🎉': 'celebrate',
  '😅': 'phew',
} as const satisfies Record<Reaction, string>;
export type ReactionId = (typeof REACTION_IDS)[Reaction];

/**
 * Reactions, DOM-free: sends one, and turns the server's aggregated bursts (`{counts}`, a few a
 * second at most) into a bounded set of floaters that expire by themselves.
 */
export class ReactionsModel {
  floaters: readonly Floater[] = [];
  /** Shown briefly when the server says "too fast" (code `rate_limited`; the element words it). */
  notice: ErrorBody | undefined;
  private channel: ClassChannel | undefined;
  private nextId = 1;
  private readonly timers = new Set<unknown>();
  private noticeTimer: unknown;
  private readonly o: Required<ReactionsOptions>;

  constructor(
    private readonly changed: () => void,
    options: ReactionsOptions = {},
  ) {
    this.o = {
      maxPerBurst: 8,
      maxOnScreen: 24,
      lifetimeMs: 2600,
      random: Math.random,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  attach(channel: ClassChannel | undefined): void {
    this.channel = channel;
  }

  async send(emoji: Reaction): Promise<void> {
    if (!this.channel) throw new FitError(ErrorCode.NotJoined, 'Join the class first');
    try {
      await this.channel.request('reaction:send', { emoji });
    } catch (err) {
      if ((err as FitError).code !== ErrorCode.RateLimited) throw err;
      this.notice = { code: ErrorCode.RateLimited, message: (err as FitError).message ?? '' };
      this.changed();
      if (this.noticeTimer !== undefined) this.o.clearTimer(this.noticeTimer);
      this.noticeTimer = this.o.setTimer(() => {
        this.notice = undefined;
        this.noticeTimer = undefined;
        this.changed();
      }, 3000);
    }
  }

  /** A `reaction:burst`: a handful of floaters, spread over the emoji in proportion, capped. */
  onBurst(counts: Partial<Record<string, number>> | undefined): Floater[] {
    const entries = Object.entries(counts ?? {})
      .filter((e): e is [Reaction, number] => (REACTIONS as readonly string[]).includes(e[0]) && typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] > 0)
      .map(([emoji, n]) => ({ emoji, left: Math.min(Math.floor(n), this.o.maxPerBurst) }))
      .sort((a, b) => b.left - a.left);
    const made: Floater[] = [];
    // Round-robin, so a burst of 500 👏 and 2 🔥 still shows the 🔥.
    while (made.length < this.o.maxPerBurst && entries.some((e) => e.left > 0)) {
      for (const e of entries) {
        if (e.left <= 0 || made.length >= this.o.maxPerBurst) continue;
        e.left--;
        made.push({ id: this.nextId++, emoji: e.emoji, lane: Math.floor(this.o.random() * 10) % 10, variant: Math.floor(this.o.random() * 3) % 3 });
      }
    }
    if (!made.length) return made;
    this.floaters = [...this.floaters, ...made].slice(-this.o.maxOnScreen);
    const ids = new Set(made.map((f) => f.id));
    const timer = this.o.setTimer(() => {
      this.timers.delete(timer);
      this.floaters = this.floaters.filter((f) => !ids.has(f.id));
      this.changed();
    }, this.o.lifetimeMs);
    this.timers.add(timer);
    this.changed();
    return made;
  }

  dispose(): void {
    for (const t of this.timers) this.o.clearTimer(t);
    this.timers.clear();
    if (this.noticeTimer !== undefined) this.o.clearTimer(this.noticeTimer);
    this.noticeTimer = undefined;
    this.floaters = [];
    this.channel = undefined;
  }
}
