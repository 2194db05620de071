import { ErrorCode } from '../../protocol/error-codes.js';
import { AppError } from '../errors.js';
import type { Connection } from './connection.js';
import type { LiveClass } from './live-classes.js';
import type { Handler } from './handlers.js';
import type { RepRequest } from '../classes/class-rules.js';

type ClassMessage =
  | 'time:sync'
  | 'class:set-mode'
  | 'class:set-level'
  | 'class:set-plan'
  | 'class:show-exercise'
  | 'class:advance'
  | 'rep:tap'
  | 'rep:undo'
  | 'class:auto-count'
  | 'room:observe'
  | 'timer:start'
  | 'timer:control'
  | 'mic:set-muted'
  | 'mic:mute-all'
  | 'class:spotlight'
  | 'class:remove'
  | 'class:end'
  | 'breakouts:start'
  | 'breakouts:visit'
  | 'breakouts:end';

/** Applies a rule change, then tells everyone the new state. */
function changed<T>(conn: Connection, result: T): T {
  conn.broadcastState();
  return result;
}

/**
 * Applies a change that may alter who receives whom (spotlight, breakouts, levels), then makes
 * the media follow: new receivers are offered the tracks, former ones stop receiving them.
 */
export function rerouted(conn: Connection, change: (rules: LiveClass['rules']) => void): Record<string, never> {
  const live = conn.assertJoined();
  const before = new Map(live.session.all().map((p) => [p.id, live.rules.receiversOf(p.id)]));
  change(live.rules);
  for (const owner of live.session.all()) {
    const was = new Set(before.get(owner.id) ?? []);
    const now = new Set(live.rules.receiversOf(owner.id));
    const producers = [...(live.media.peer(owner.id)?.producers.values() ?? [])];
    const infos = producers.map((p) => ({ producerId: p.producer.id, participantId: owner.id, kind: p.producer.kind, source: p.source }));
    for (const id of now) if (!was.has(id)) for (const info of infos) (live.seats.get(id) as Connection | undefined)?.notify('producer:added', info);
    for (const id of was) if (!now.has(id)) live.media.peer(id)?.closeConsumersOf(owner.id);
  }
  return changed(conn, {});
}

/** Pauses or resumes a participant's microphone on the server, so muting holds whatever their browser does. */
async function applyMicState(conn: Connection, participantId: string, muted: boolean): Promise<void> {
  const live = conn.assertJoined();
  const mic = [...(live.media.peer(participantId)?.producers.values() ?? [])].find((p) => p.source === 'mic');
  if (!mic) return;
  if (muted) await mic.producer.pause();
  else await mic.producer.resume();
}

/** The fitness messages: validated at the edge, decided by ClassRules, then applied and broadcast. */
export const classHandlers: { [N in ClassMessage]: Handler<N> } = {
  async 'time:sync'() {
    return { serverNow: Date.now() };
  },

  async 'room:observe'(conn) {
    if (conn.live || conn.observing) throw new AppError(ErrorCode.AlreadyJoined, 'Already in the class');
    const live = conn.deps.liveClasses.get(conn.identity.classId);
    if (!live || !live.session.get(conn.participantId)) throw new AppError(ErrorCode.NotJoined, 'Join the class first, then the counter follows it');
    conn.observing = live;
    conn.socket.join(live.channel);
    return { participantId: conn.participantId, classState: live.rules.view(), serverNow: Date.now() };
  },

  async 'class:set-mode'(conn, { mode }) {
    return changed(conn, (conn.assertJoined().rules.setMode(conn.participantId, mode), {}));
  },

  async 'class:set-level'(conn, { participantId, level }) {
    // During breakouts a new level moves the member to that room.
    return rerouted(conn, (rules) => rules.setLevel(conn.participantId, participantId, level));
  },

  async 'class:set-plan'(conn, { plan }) {
    const live = conn.assertJoined();
    live.rules.setPlan(conn.participantId, plan);
    await conn.deps.repos.classes.setPlan(live.record.id, plan);
    return changed(conn, {});
  },

  async 'class:show-exercise'(conn, { index, level }) {
    return changed(conn, (conn.assertJoined().rules.showExercise(conn.participantId, index, level), {}));
  },

  async 'class:advance'(conn) {
    return changed(conn, { index: conn.assertJoined().rules.advance(conn.participantId) });
  },

  async 'rep:tap'(conn, { opId, source }) {
    return countRep(conn, opId, source ?? 'tap');
  },

  async 'rep:undo'(conn, { opId }) {
    return countRep(conn, opId, 'undo');
  },

  async 'class:auto-count'(conn, { exerciseId, movement }) {
    return changed(conn, (conn.assertJoined().rules.setAutoCount(conn.participantId, exerciseId, movement), {}));
  },

  async 'timer:start'(conn, { spec }) {
    return changed(conn, (conn.assertJoined().rules.startTimer(conn.participantId, spec, Date.now()), {}));
  },

  async 'timer:control'(conn, { action }) {
    return changed(conn, (conn.assertJoined().rules.controlTimer(conn.participantId, action, Date.now()), {}));
  },

  async 'mic:set-muted'(conn, { participantId, muted, lock }) {
    conn.assertJoined().rules.setMuted(conn.participantId, participantId, muted, lock ?? false);
    await applyMicState(conn, participantId, muted);
    return changed(conn, {});
  },

  async 'mic:mute-all'(conn, { lock }) {
    const ids = conn.assertJoined().rules.muteAll(conn.participantId, lock);
    await Promise.all(ids.map((id) => applyMicState(conn, id, true)));
    return changed(conn, {});
  },

  async 'class:spotlight'(conn, { participantId }) {
    return rerouted(conn, (rules) => rules.spotlight(conn.participantId, participantId));
  },

  async 'breakouts:start'(conn) {
    return rerouted(conn, (rules) => rules.startBreakouts(conn.participantId));
  },

  async 'breakouts:visit'(conn, { room }) {
    return rerouted(conn, (rules) => rules.visitBreakout(conn.participantId, room));
  },

  async 'breakouts:end'(conn) {
    return rerouted(conn, (rules) => rules.endBreakouts(conn.participantId));
  },

  async 'class:remove'(conn, { participantId }) {
    const live = conn.assertJoined();
    live.rules.remove(conn.participantId, participantId);
    const target = live.session.get(participantId);
    if (target) await conn.deps.repos.classes.remove(live.record.id, target.identity);
    live.seats.get(participantId)?.close('removed');
    return changed(conn, {});
  },

  async 'class:end'(conn) {
    const live = conn.assertJoined();
    live.rules.end(conn.participantId);
    await conn.deps.repos.classes.setStatus(live.record.id, 'ended');
    conn.broadcastState();
    for (const seat of [...live.seats.values()]) seat.close('ended');
    return {};
  },
};


/** A rep, camera rep or correction: stored before it is acknowledged, so an acknowledged rep is never lost. */
async function countRep(conn: Connection, opId: string, request: RepRequest): Promise<{ exerciseId: string; count: number; duplicate: boolean }> {
  const live = conn.classContext();
  const { exerciseId, duplicate, kind } = live.rules.checkRep(conn.participantId, opId, request);
  if (duplicate) return { exerciseId, count: live.rules.repResult(conn.participantId, exerciseId, true).count, duplicate };
  const fresh = await conn.deps.repos.reps.record({ classId: live.record.id, participantDbId: conn.storedParticipantId(), exerciseId, opId, kind });
  if (!fresh) {
    // Stored before, and older than what the class remembers: a late retry, never a second rep.
    live.rules.rememberOp(conn.participantId, opId);
    return { exerciseId, count: live.rules.repResult(conn.participantId, exerciseId, true).count, duplicate: true };
  }
  const result = live.rules.recordRep(conn.participantId, opId, exerciseId, kind);
  if (!result.duplicate) {
    conn.broadcast('rep:counted', { participantId: conn.participantId, exerciseId, count: result.count, ...(result.cameraCount ? { cameraCount: result.cameraCount } : {}) });
  }
  return { exerciseId, count: result.count, duplicate: result.duplicate };
}
