import assert from 'node:assert/strict';
import type { Socket } from 'socket.io-client';
import type { ClassStateView } from '../../protocol/class-state.js';

/** Reads `read()` until `ok` holds (every `everyMs`), or fails the test naming `what` and the last value. */
export async function until<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() - t0 > timeoutMs) assert.fail(`timed out: ${what} (last: ${JSON.stringify(v)?.slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The first class state on `s` that satisfies `pred` (earlier broadcasts may still be in flight). Listen before acting. */
export function stateWhere(s: Socket, pred: (st: ClassStateView) => boolean, timeoutMs = 5000): Promise<ClassStateView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching class:state')), timeoutMs);
    const on = (st: ClassStateView) => {
      if (!pred(st)) return;
      clearTimeout(timer);
      s.off('class:state', on);
      resolve(st);
    };
    s.on('class:state', on);
  });
}
