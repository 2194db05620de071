import { ErrorCode } from '../../protocol/error-codes.js';
import { AppError } from '../errors.js';

/**
 * Member seats of one class and the line for them. Pure: times are passed in. The coach never
 * needs a seat. A freed seat is held for the first person in line for a while, so someone who
 * just arrived cannot take it from them.
 */
export class Seats {
  /** Identities waiting, first in line first. */
  private readonly line: string[] = [];
  /** Identities a seat is held for, until when (ms). */
  private readonly held = new Map<string, number>();

  constructor(
    public capacity: number,
    readonly holdMs = 30_000,
  ) {}

  get waiting(): number {
    return this.line.length;
  }

  /**
   * Takes a seat for `identity` or throws `class_full`. `seated` are the member identities in the
   * class now; someone already seated (another tab) keeps theirs.
   */
  claim(identity: string, seated: ReadonlySet<string>, now: number): void {
    if (seated.has(identity)) return;
    this.expire(now);
    if (this.held.delete(identity)) return;
    if (seated.size + this.held.size >= this.capacity) {
      throw new AppError(ErrorCode.ClassFull, `This class is full (${this.capacity} places)`, 409);
    }
    this.drop(identity);
  }

  /** Puts `identity` in line (once); returns their place, 1 = next. */
  enqueue(identity: string): number {
    if (this.held.has(identity)) return 0;
    if (!this.line.includes(identity)) this.line.push(identity);
    return this.line.indexOf(identity) + 1;
  }

  /** Leaves the line or gives up a held seat. */
  drop(identity: string): void {
    const i = this.line.indexOf(identity);
    if (i >= 0) this.line.splice(i, 1);
    this.held.delete(identity);
  }

  /** 0 when a seat is held for them, the place in line, or undefined when not waiting. */
  positionOf(identity: string): number | undefined {
    if (this.held.has(identity)) return 0;
    const i = this.line.indexOf(identity);
    return i < 0 ? undefined : i + 1;
  }

  /** Holds free seats for the first in line; returns who got one. */
  promote(seatedCount: number, now: number): string[] {
    this.expire(now);
    const promoted: string[] = [];
    while (this.line.length && seatedCount + this.held.size < this.capacity) {
      const next = this.line.shift()!;
      this.held.set(next, now + this.holdMs);
      promoted.push(next);
    }
    return promoted;
  }

  /** Lets holds nobody used lapse; returns whose lapsed. */
  expire(now: number): string[] {
    const lapsed: string[] = [];
    for (const [identity, until] of this.held) {
      if (until <= now) {
        this.held.delete(identity);
        lapsed.push(identity);
      }
    }
    return lapsed;
  }

  /** The line in order (for tests and the coach). */
  queue(): readonly string[] {
    return this.line;
  }
}
