import { ErrorCode } from '../../protocol/error-codes.js';
import type { Reaction } from '../../protocol/social-constants.js';
import { AppError } from '../errors.js';

/**
 * Reactions of one class, summed per emoji between flushes so a class of a thousand sends a
 * few small messages a second, not one per tap. Each member has a small token bucket: a burst
 * of `burst`, then `perSecond`. Pure: times are passed in.
 */
export class ReactionBatcher {
  private counts = new Map<Reaction, number>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst = 5,
    private readonly perSecond = 2,
  ) {}

  /** Counts one reaction; throws `rate_limited` when the member is over their allowance. */
  add(participantId: string, emoji: Reaction, now: number): void {
    const b = this.buckets.get(participantId) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(participantId, b);
      throw new AppError(ErrorCode.RateLimited, 'Too many reactions: wait a moment', 429);
    }
    b.tokens -= 1;
    this.buckets.set(participantId, b);
    this.counts.set(emoji, (this.counts.get(emoji) ?? 0) + 1);
  }

  get pending(): boolean {
    return this.counts.size > 0;
  }

  /** The counts since the last flush (undefined if none). */
  flush(): Partial<Record<Reaction, number>> | undefined {
    if (!this.counts.size) return undefined;
    const out = Object.fromEntries(this.counts) as Partial<Record<Reaction, number>>;
    this.counts = new Map();
    return out;
  }

  forget(participantId: string): void {
    this.buckets.delete(participantId);
  }
}
