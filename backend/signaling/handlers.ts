import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { ErrorCode } from '../../protocol/errors.js';
import type { ConsumerOptions, RequestName, RequestPayload, ResponseMap } from '../../protocol/signaling.js';
import { iceServersFor } from '../auth/turn.js';
import { toInfo } from '../classes/class-session.js';
import { AppError } from '../errors.js';
import { classHandlers } from './class-handlers.js';
import { socialHandlers } from './social-handlers.js';
import { stopWaiting } from './waitlist.js';
import { Connection } from './connection.js';

export type Handler<N extends RequestName> = (conn: Connection, payload: RequestPayload<N>) => Promise<ResponseMap[N]>;
export type Handlers = { [N in RequestName]: Handler<N> };

function validCapabilities(caps: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(caps);
  try {
    mediasoup.ortc.validateAndNormalizeRtpCapabilities(copy as unknown as ms.RtpCapabilities);
  } catch (err) {
    throw new AppError(ErrorCode.BadRequest, `rtpCapabilities: ${(err as Error).message}`);
  }
  return copy;
}

/** One function per message kind; payloads arrive validated against protocol/signaling.ts. */
export const handlers: Handlers = {
  async 'room:capabilities'(conn) {
    const live = await conn.deps.liveClasses.open(conn.classRecord);
    await live.mediaReady;
    return { routerRtpCapabilities: live.media.rtpCapabilities };
  },

  async 'room:join'(conn, { rtpCapabilities, level, dtlsParameters }) {
    if (conn.observing) throw new AppError(ErrorCode.AlreadyJoined, 'Following the class as a counter: open another connection to take a seat');
    const caps = validCapabilities(rtpCapabilities);
    if (conn.live) await conn.restartSeat();
    const { liveClasses, repos } = conn.deps;
    const { identity: id } = conn;
    // The checks and the class's router (usually already open) in parallel: join latency is a feature.
    const [removed, stored, chatMuted, live] = await Promise.all([
      repos.classes.isRemoved(id.classId, id.identity),
      repos.classes.get(id.classId),
      repos.chat.isMuted(id.classId, id.identity),
      liveClasses.open(conn.classRecord),
    ]);
    await live.mediaReady;
    if (removed) throw new AppError(ErrorCode.Removed, 'You were removed from this class', 403);
    if (stored?.status === 'ended') throw new AppError(ErrorCode.ClassEnded, 'This class has ended', 410);
    if (stored?.status === 'cancelled') throw new AppError(ErrorCode.ClassEnded, 'This class was cancelled', 410);
    live.rules.admit(id.identity);
    if (conn.socket.disconnected) throw new AppError(ErrorCode.NotJoined, 'Disconnected while joining');

    // The seat check and the seat itself in one synchronous step: racing joins cannot overfill.
    live.rules.claimSeat(id.identity, id.role, Date.now());
    const { participant, replaced } = live.session.join({ id: conn.participantId, identity: id.identity, role: id.role, displayName: id.displayName, moderator: id.moderator });
    if (conn.waitingIn) {
      conn.waitingIn = undefined;
      stopWaiting(live, id.identity, () => liveClasses.sendState(live));
    }
    if (chatMuted) live.rules.restoreChatMute(participant.id);
    if (replaced) {
      // The same person in another tab or on a stale connection: the newest join wins. The id
      // is the same, so the others keep the tile; the old tracks end as their consumers close.
      const old = live.seats.get(replaced.id);
      live.seats.delete(replaced.id);
      old?.close('replaced');
    }
    live.seats.set(participant.id, conn);
    conn.live = live;
    conn.peer = live.media.addPeer(participant.id, caps, (consumerId) => conn.notify('consumer:closed', { consumerId }));
    conn.socket.join(live.channel);
    conn.socket.to(live.channel).emit('participant:joined', toInfo(participant));
    const seat = live.rules.seated(participant.id, level ?? 'beginner');

    // The seat's media (worker round trips) is made while attendance is stored (the store's):
    // transports, connected at once when the browser sent its DTLS side, and unpaused consumers
    // of what it may receive, so the client needs no round trip at all before its first frame.
    const peer = conn.assertPeer();
    const seatMedia = (async () => {
      const [send, recv] = await Promise.all([peer.createTransport('send', dtlsParameters), peer.createTransport('recv', dtlsParameters)]);
      const visible = live.media.allProducers().filter((p) => live.rules.canReceive(participant.id, p.ownerId));
      const settled = await Promise.allSettled(visible.map((p) => peer.consume(p, { paused: false })));
      for (const r of settled) if (r.status === 'rejected') conn.log.warn({ err: (r.reason as Error).message }, 'a track could not be consumed at join');
      return { send, recv, consumers: settled.filter((r): r is PromiseFulfilledResult<ConsumerOptions> => r.status === 'fulfilled').map((r) => r.value) };
    })();
    const attendance = (async () => {
      const ids = await repos.attendance.open({ clubId: id.clubId, classId: id.classId, identity: id.identity, displayName: participant.displayName, role: id.role, level: id.role === 'member' ? seat.level : null });
      conn.setAttendance(ids);
      if (id.role === 'member' && Object.keys(seat.reps).length === 0) {
        // A class re-opened (say after a restart) picks up the reps already stored.
        const kept = await repos.reps.forParticipant(id.classId, ids.participantDbId);
        live.rules.restoreReps(participant.id, kept.counts, kept.opIds, kept.cameraCounts);
      }
      liveClasses.sendState(live);
      liveClasses.keep(live);
    })();
    // Both settle before the answer (a failed media step must not leave the store's write dangling).
    const [made, attended] = await Promise.allSettled([seatMedia, attendance]);
    if (attended.status === 'rejected') throw attended.reason;
    if (made.status === 'rejected') throw made.reason;
    const { send, recv, consumers } = made.value;
    conn.log.info({ participantId: participant.id, role: participant.role }, 'joined class');
    return {
      self: toInfo(participant),
      classState: live.rules.view(),
      serverNow: Date.now(),
      classId: live.record.id,
      classTitle: live.record.title,
      routerRtpCapabilities: live.media.rtpCapabilities,
      participants: live.session.othersFor(participant.id),
      transports: { send, recv },
      transportsConnected: !!dtlsParameters,
      iceServers: iceServersFor(conn.deps.ice, participant.id, id.expiresAt),
      iceTransportPolicy: conn.deps.ice.transportPolicy,
      consumers,
    };
  },

  async 'room:leave'(conn) {
    await conn.leave();
    return {};
  },

  async 'transport:create'(conn, { direction }) {
    return conn.assertPeer().createTransport(direction);
  },

  async 'transport:connect'(conn, { transportId, dtlsParameters }) {
    await conn.assertPeer().connectTransport(transportId, dtlsParameters);
    return {};
  },

  async 'transport:restart-ice'(conn, { transportId }) {
    return { iceParameters: await conn.assertPeer().restartIce(transportId) };
  },

  async 'media:produce'(conn, { transportId, kind, rtpParameters, source }) {
    // Screen sharing is the coach's: a member's screen is refused whatever their client does.
    if ((source === 'screen' || source === 'screen-audio') && conn.identity.role !== 'coach') throw new AppError(ErrorCode.Forbidden, 'Only the coach can share a screen', 403);
    const entry = await conn.assertPeer().produce(transportId, kind, rtpParameters, source);
    // A member muted by the coach before their microphone arrived stays muted.
    if (source === 'mic' && conn.live?.rules.stateOf(conn.participantId)?.mutedByCoach) await entry.producer.pause();
    conn.notifyReceivers('producer:added', { producerId: entry.producer.id, participantId: conn.participantId, kind, source });
    entry.producer.observer.once('close', () => {
      if (conn.live) conn.notifyReceivers('producer:closed', { producerId: entry.producer.id, participantId: conn.participantId });
    });
    return { producerId: entry.producer.id };
  },

  async 'media:unproduce'(conn, { producerId }) {
    conn.assertPeer().closeProducer(producerId);
    return {};
  },

  async 'media:consume'(conn, { producerId }) {
    const live = conn.assertJoined();
    const peer = conn.assertPeer();
    const entry = live.media.producer(producerId);
    if (!entry) throw new AppError(ErrorCode.NotFound, `Track ${producerId} not found`, 404);
    // Roles and visibility are the server's call, whatever the client asks for.
    if (!live.rules.canReceive(conn.participantId, entry.ownerId)) throw new AppError(ErrorCode.Forbidden, 'Not allowed to receive that track', 403);
    return peer.consume(entry);
  },

  async 'consumer:resume'(conn, { consumerId }) {
    await conn.assertPeer().resumeConsumer(consumerId);
    return {};
  },

  async 'quality:report'(conn, report) {
    const live = conn.assertJoined();
    // At most one report every two seconds per seat is passed on; the rest are dropped quietly.
    const now = Date.now();
    if (now - conn.lastQualityReportAt < 2000) return {};
    conn.lastQualityReportAt = now;
    for (const p of live.session.all()) {
      if (p.role !== 'coach' || p.id === conn.participantId) continue;
      const seat = live.seats.get(p.id);
      if (seat instanceof Connection) seat.notify('quality:changed', { participantId: conn.participantId, report });
    }
    return {};
  },

  async 'consumer:set-view'(conn, { consumerId, visible, spatialLayer }) {
    await conn.assertPeer().setView(consumerId, { visible, spatialLayer });
    return {};
  },

  ...classHandlers,
  ...socialHandlers,

  async 'session:refresh'(conn, { token }) {
    return { expiresAt: await conn.renewSession(token) };
  },
};
