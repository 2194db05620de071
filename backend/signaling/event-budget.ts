import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { Logger } from '../logger.js';

/*
 * Every socket message spends from its connection's budget before any handler runs, so one token
 * cannot keep a node busy: a general allowance for all messages, tighter ones for what a person
 * does by hand or what makes server resources, and a connection that keeps sending after being
 * refused is cut. Chat has its own limit (per person, class-social.ts); joins are limited per
 * address at the handshake.
 */

export interface Allowance {
  points: number;
  /** Seconds. */
  duration: number;
}

/** All messages of one connection: a coach resizing a 50-tile grid sends ~50 view changes at once. */
export const GENERAL_ALLOWANCE: Allowance = { points: 100, duration: 1 };

/** Per message kind, on top of the general allowance (names not listed have none of their own). */
export const KIND_ALLOWANCES: Readonly<Record<string, Allowance>> = {
  // A fast tapper taps ~5 times a second; camera counting sends about as often.
  'rep:tap': { points: 20, duration: 2 },
  'rep:undo': { points: 10, duration: 2 },
  'chat:history': { points: 10, duration: 5 },
  'chat:report': { points: 10, duration: 60 },
  'hand:raise': { points: 10, duration: 10 },
  'hand:lower': { points: 10, duration: 10 },
  // These make or restart media on a worker.
  'room:join': { points: 10, duration: 60 },
  'room:capabilities': { points: 10, duration: 60 },
  'transport:create': { points: 10, duration: 60 },
  'transport:restart-ice': { points: 20, duration: 60 },
  'media:produce': { points: 20, duration: 60 },
  'waitlist:join': { points: 10, duration: 60 },
  'session:refresh': { points: 10, duration: 60 },
};

/** Refusals a connection may collect before it is disconnected. */
export const CUT_AFTER: Allowance = { points: 200, duration: 10 };

export type Verdict = 'ok' | 'limited' | 'cut';

/** The budgets of every connection of a namespace (keyed by socket id). */
export class EventBudget {
  private readonly general: RateLimiterMemory;
  private readonly kinds = new Map<string, RateLimiterMemory>();
  private readonly refusals: RateLimiterMemory;

  constructor(general = GENERAL_ALLOWANCE, kinds: Readonly<Record<string, Allowance>> = KIND_ALLOWANCES, cutAfter = CUT_AFTER) {
    this.general = new RateLimiterMemory(general);
    for (const [name, allowance] of Object.entries(kinds)) this.kinds.set(name, new RateLimiterMemory(allowance));
    this.refusals = new RateLimiterMemory(cutAfter);
  }

  /** Every allowance (not the refusals before a cut) times `scale`: tests that fuzz or flood on purpose raise it. */
  static scaled(scale: number): EventBudget {
    const times = (a: Allowance): Allowance => ({ points: Math.max(1, Math.round(a.points * scale)), duration: a.duration });
    return new EventBudget(times(GENERAL_ALLOWANCE), Object.fromEntries(Object.entries(KIND_ALLOWANCES).map(([k, a]) => [k, times(a)])));
  }

  /** Spends one message of `event` from `key`'s budget. */
  async spend(key: string, event: string): Promise<Verdict> {
    try {
      await this.general.consume(key);
      const kind = this.kinds.get(event);
      if (kind) await kind.consume(key);
      return 'ok';
    } catch {
      return this.refusals.consume(key).then(
        () => 'limited' as const,
        () => 'cut' as const,
      );
    }
  }
}

/**
 * Puts `budget` in front of every message of `socket`: over budget, a message with an ack is
 * answered `rate_limited` and none is handled; a connection that keeps going is disconnected.
 */
export function guardEvents(socket: Socket, budget: EventBudget, log: Logger): void {
  let cut = false;
  // One after another: messages reach their handlers in the order they came.
  let queue: Promise<unknown> = Promise.resolve();
  socket.use((packet, next) => {
    const [event] = packet;
    queue = queue.then(() => budget.spend(socket.id, String(event))).then((verdict) => {
      if (verdict === 'ok' && !cut) return next();
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function') ack({ error: { code: ErrorCode.RateLimited, message: `Too many messages (${String(event).slice(0, 40)}); slow down` } });
      if (verdict === 'cut' && !cut) {
        cut = true;
        log.warn({ event: String(event).slice(0, 40) }, 'connection cut: it kept sending over its budget');
        // A moment later: what was handled still gets its answer; nothing more is handled.
        setTimeout(() => socket.disconnect(true), 100).unref();
      }
    });
  });
}
