import type { LiveClass } from './live-classes.js';

/**
 * The line for a full class, applied to connections: the decisions are ClassRules' Seats; this
 * tells the people waiting where they stand and holds seats for them as they free up.
 */

/** A seat may have freed (someone left, a hold lapsed, the limit grew): hold it for the next in line. */
export function offerFreedSeats(live: LiveClass, broadcastState: () => void): void {
  const now = Date.now();
  const lapsed = live.rules.seats.expire(now);
  for (const identity of lapsed) live.waiters.delete(identity);
  const promoted = live.rules.promoteWaiting(now);
  const holdSeconds = Math.round(live.rules.seats.holdMs / 1000);
  for (const identity of promoted) live.waiters.get(identity)?.notify('waitlist:promoted', { holdSeconds });
  if (promoted.length || lapsed.length) {
    tellPositions(live);
    broadcastState();
  }
  scheduleHoldExpiry(live, broadcastState);
}

/** Tells everyone still in line their place. */
export function tellPositions(live: LiveClass): void {
  for (const [identity, waiter] of live.waiters) {
    const position = live.rules.seats.positionOf(identity);
    if (position !== undefined && position > 0) waiter.notify('waitlist:position', { position });
  }
}

/** A hold nobody uses lapses after a while and the seat goes to the next in line. */
function scheduleHoldExpiry(live: LiveClass, broadcastState: () => void): void {
  if (live.holdTimer) clearTimeout(live.holdTimer);
  live.holdTimer = undefined;
  const anyHeld = [...live.waiters.keys()].some((id) => live.rules.seats.positionOf(id) === 0);
  if (!anyHeld) return;
  live.holdTimer = setTimeout(() => offerFreedSeats(live, broadcastState), live.rules.seats.holdMs + 50);
  live.holdTimer.unref();
}

/** Someone stops waiting (left the line, joined, or went away). */
export function stopWaiting(live: LiveClass, identity: string, broadcastState: () => void): void {
  const wasWaiting = live.rules.seats.positionOf(identity) !== undefined;
  live.waiters.delete(identity);
  live.rules.seats.drop(identity);
  if (!wasWaiting) return;
  tellPositions(live);
  offerFreedSeats(live, broadcastState);
  broadcastState();
}
