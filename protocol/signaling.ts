import { z } from 'zod';
import type { ErrorBody } from './errors.js';
import { mediaSourceSchema, participantSchema, producerInfoSchema, type ParticipantInfo, type ProducerInfo } from './participants.js';

/*
 * Socket.IO wire protocol of a live class.
 *
 * Client → server messages are requests answered through the Socket.IO acknowledgement:
 * `socket.emit(name, payload, ack)`; the ack receives `{ data }` or `{ error: { code, message } }`.
 * Server → client messages are notifications (no ack). mediasoup's own structures
 * (rtpCapabilities, dtlsParameters, rtpParameters) are passed through as opaque objects: the
 * worker validates them, and a rejection comes back as a `media_error`.
 */

const id = z.string().min(1).max(128);
const opaque = z.record(z.string(), z.unknown());

export const requestSchemas = {
  /** The class router's RTP capabilities, to load the client's device before joining. */
  'room:capabilities': z.object({}).strict(),
  /** Enter the class the connection's token is for. */
  'room:join': z.object({
    rtpCapabilities: opaque,
  }).strict(),
  'room:leave': z.object({}).strict(),
  'transport:create': z.object({ direction: z.enum(['send', 'recv']) }).strict(),
  'transport:connect': z.object({ transportId: id, dtlsParameters: opaque }).strict(),
  'media:produce': z.object({
    transportId: id,
    kind: z.enum(['audio', 'video']),
    rtpParameters: opaque,
    source: mediaSourceSchema,
  }).strict(),
  'media:consume': z.object({ producerId: id }).strict(),
  'consumer:resume': z.object({ consumerId: id }).strict(),
} as const;

export type RequestName = keyof typeof requestSchemas;
export type RequestPayload<N extends RequestName> = z.infer<(typeof requestSchemas)[N]>;

export interface TransportOptions {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
}

export interface ConsumerOptions {
  consumerId: string;
  producerId: string;
  participantId: string;
  kind: 'audio' | 'video';
  source: ProducerInfo['source'];
  rtpParameters: unknown;
}

export interface JoinResult {
  self: ParticipantInfo;
  classId: string;
  classTitle: string;
  routerRtpCapabilities: unknown;
  participants: ParticipantInfo[];
  /** Producers this participant may consume right now. */
  producers: ProducerInfo[];
}

export interface ResponseMap {
  'room:capabilities': { routerRtpCapabilities: unknown };
  'room:join': JoinResult;
  'room:leave': Record<string, never>;
  'transport:create': TransportOptions;
  'transport:connect': Record<string, never>;
  'media:produce': { producerId: string };
  'media:consume': ConsumerOptions;
  'consumer:resume': Record<string, never>;
}

export type Ack<N extends RequestName> = { data: ResponseMap[N] } | { error: ErrorBody };

export const notificationSchemas = {
  'participant:joined': participantSchema,
  'participant:left': z.object({ participantId: z.string() }),
  'producer:added': producerInfoSchema,
  'producer:closed': z.object({ producerId: z.string(), participantId: z.string() }),
  'consumer:closed': z.object({ consumerId: z.string() }),
  /** The server ends this connection's session (removed, replaced by a newer tab, class ended). */
  'room:closed': z.object({ reason: z.enum(['replaced', 'removed', 'ended', 'media_failed']) }),
} as const;

export type NotificationName = keyof typeof notificationSchemas;
export type NotificationPayload<N extends NotificationName> = z.infer<(typeof notificationSchemas)[N]>;

/** What a client sends in the Socket.IO handshake (`io(url, { auth })`). */
export const handshakeAuthSchema = z.object({
  token: z.string().min(1).max(4096),
  classId: id,
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;
