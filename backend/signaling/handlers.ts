import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { ErrorCode } from '../../protocol/errors.js';
import type { ProducerInfo } from '../../protocol/participants.js';
import type { RequestName, RequestPayload, ResponseMap } from '../../protocol/signaling.js';
import { toInfo } from '../classes/class-session.js';
import { AppError } from '../errors.js';
import type { Connection } from './connection.js';

type Handler<N extends RequestName> = (conn: Connection, payload: RequestPayload<N>) => Promise<ResponseMap[N]>;
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
    return { routerRtpCapabilities: live.media.rtpCapabilities };
  },

  async 'room:join'(conn, { rtpCapabilities }) {
    if (conn.live) throw new AppError(ErrorCode.AlreadyJoined, 'Already in the class');
    const caps = validCapabilities(rtpCapabilities);
    const { liveClasses, repos } = conn.deps;
    const { identity: id } = conn;
    const live = await liveClasses.open(conn.classRecord);
    if (conn.socket.disconnected) throw new AppError(ErrorCode.NotJoined, 'Disconnected while joining');

    const { participant, replaced } = live.session.join({ id: conn.participantId, identity: id.identity, role: id.role, displayName: id.displayName });
    if (replaced) {
      // The same person in another tab or on a stale connection: the newest join wins.
      const old = live.seats.get(replaced.id);
      live.seats.delete(replaced.id);
      old?.close('replaced');
      conn.socket.to(live.channel).emit('participant:left', { participantId: replaced.id });
    }
    live.seats.set(participant.id, conn);
    conn.live = live;
    conn.peer = live.media.addPeer(participant.id, caps, (consumerId) => conn.notify('consumer:closed', { consumerId }));
    conn.socket.join(live.channel);
    conn.notifyViewers('participant:joined', toInfo(participant));
    conn.setAttendance(
      await repos.attendance.open({ clubId: id.clubId, classId: id.classId, identity: id.identity, displayName: participant.displayName, role: id.role }),
    );
    conn.log.info({ participantId: participant.id, role: participant.role }, 'joined class');

    const producers: ProducerInfo[] = live.media
      .allProducers()
      .filter((p) => live.session.canSee(participant.id, p.ownerId))
      .map((p) => ({ producerId: p.producer.id, participantId: p.ownerId, kind: p.producer.kind, source: p.source }));
    return {
      self: toInfo(participant),
      classId: live.record.id,
      classTitle: live.record.title,
      routerRtpCapabilities: live.media.rtpCapabilities,
      participants: live.session.othersFor(participant.id),
      producers,
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

  async 'media:produce'(conn, { transportId, kind, rtpParameters, source }) {
    const entry = await conn.assertPeer().produce(transportId, kind, rtpParameters, source);
    conn.notifyViewers('producer:added', { producerId: entry.producer.id, participantId: conn.participantId, kind, source });
    entry.producer.observer.once('close', () => {
      if (conn.live) conn.notifyViewers('producer:closed', { producerId: entry.producer.id, participantId: conn.participantId });
    });
    return { producerId: entry.producer.id };
  },

  async 'media:consume'(conn, { producerId }) {
    const live = conn.assertJoined();
    const peer = conn.assertPeer();
    const entry = live.media.producer(producerId);
    if (!entry) throw new AppError(ErrorCode.NotFound, `Track ${producerId} not found`, 404);
    // Roles and visibility are the server's call, whatever the client asks for.
    if (!live.session.canSee(conn.participantId, entry.ownerId)) throw new AppError(ErrorCode.Forbidden, 'Not allowed to receive that track', 403);
    return peer.consume(entry);
  },

  async 'consumer:resume'(conn, { consumerId }) {
    await conn.assertPeer().resumeConsumer(consumerId);
    return {};
  },
};
