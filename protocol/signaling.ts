import { z } from 'zod';
import { levelSchema, modeSchema, movementSchema, planSchema, repSourceSchema, timerSpecSchema, type ClassMemberChanges, type ClassStateUpdate, type ClassStateView } from './class-state.js';
import type { ErrorBody } from './errors.js';
import { mediaSourceSchema, participantSchema, producerInfoSchema, type ParticipantInfo, type ProducerInfo } from './participants.js';
import { socialNotificationSchemas, socialRequestSchemas, type SocialResponseMap } from './social.js';

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

const finite = (max: number) => z.number().min(0).max(max).optional();
export const qualityReportSchema = z.object({
  level: z.enum(['good', 'fair', 'poor']),
  rttMs: finite(60_000),
  lossPct: finite(100),
  jitterMs: finite(60_000),
  fps: finite(240),
  width: finite(10_000),
  height: finite(10_000),
  downKbps: finite(1_000_000),
  upKbps: finite(1_000_000),
  /** Receiving audio only (chosen, or video could not be kept up). */
  audioOnly: z.boolean().optional(),
}).strict();
export type QualityReport = z.infer<typeof qualityReportSchema>;

const opaque = z.record(z.string(), z.unknown());

/** A browser's DTLS certificate fingerprints (RTCCertificate.getFingerprints()); it is the DTLS client. */
export const dtlsParametersSchema = z.object({
  role: z.literal('client'),
  fingerprints: z
    .array(z.object({ algorithm: z.enum(['sha-256', 'sha-384', 'sha-512']), value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31,63}$/) }).strict())
    .min(1)
    .max(4),
}).strict();
export type JoinDtlsParameters = z.infer<typeof dtlsParametersSchema>;

export const requestSchemas = {
  /** The class router's RTP capabilities, to load the client's device before joining. */
  'room:capabilities': z.object({}).strict(),
  /** Enter the class the connection's token is for. */
  'room:join': z.object({
    rtpCapabilities: opaque,
    /** A member's own pick; the coach may change it later. */
    level: levelSchema.optional(),
    /**
     * The browser's DTLS side, known before its connections exist (it made the certificate they
     * use): the server connects the join's transports at once and the client needs no
     * `transport:connect`. Without it, the client sends one per transport as usual.
     */
    dtlsParameters: dtlsParametersSchema.optional(),
  }).strict(),
  'room:leave': z.object({}).strict(),
  /**
   * Follow the class without a seat or media (a standalone rep counter, e.g. on a phone beside
   * the TV): class state and rep taps for this token's person, who must be in the class.
   */
  'room:observe': z.object({}).strict(),
  'transport:create': z.object({ direction: z.enum(['send', 'recv']) }).strict(),
  'transport:connect': z.object({ transportId: id, dtlsParameters: opaque }).strict(),
  /** The browser's ICE failed or stalled: new ICE credentials for the same transport (no rejoin). */
  'transport:restart-ice': z.object({ transportId: id }).strict(),
  'media:produce': z.object({
    transportId: id,
    kind: z.enum(['audio', 'video']),
    rtpParameters: opaque,
    source: mediaSourceSchema,
  }).strict(),
  /** Stops publishing a track (e.g. the coach stops sharing the screen); receivers get `producer:closed`. */
  'media:unproduce': z.object({ producerId: id }).strict(),
  'media:consume': z.object({ producerId: id }).strict(),
  'consumer:resume': z.object({ consumerId: id }).strict(),
  /**
   * How this seat's media is doing, from the browser's getStats (every few seconds): the coach
   * sees everyone's. Numbers are optional: a browser reports what it has.
   */
  'quality:report': qualityReportSchema,
  /** The tile showing a video consumer: hidden → paused on the server; else the layer for its size. */
  'consumer:set-view': z.object({ consumerId: id, visible: z.boolean(), spatialLayer: z.number().int().min(0).max(2) }).strict(),

  // The fitness class (rules in backend/classes/class-rules.ts; coach-only unless noted).
  /** Anyone: the server clock, to estimate the offset at join. */
  'time:sync': z.object({}).strict(),
  /** A fresh join token for the same person, class and role: the session runs on to its expiry. */
  'session:refresh': z.object({ token: z.string().min(1).max(4096) }).strict(),
  'class:set-mode': z.object({ mode: modeSchema }).strict(),
  'class:set-level': z.object({ participantId: id, level: levelSchema }).strict(),
  'class:set-plan': z.object({ plan: planSchema }).strict(),
  /** Show exercise `index` of the plan to one level, or to all (`level: null`). */
  'class:show-exercise': z.object({ index: z.number().int().min(0).max(99), level: levelSchema.nullable() }).strict(),
  'class:advance': z.object({}).strict(),
  /** Members: one rep; `opId` is unique per tap so a retry never counts twice. `source: 'camera'` marks a rep the member's camera counted. */
  'rep:tap': z.object({ opId: z.string().min(8).max(64), source: repSourceSchema.optional() }).strict(),
  /** Members: take back one rep of the current exercise (the camera counted one too many); idempotent on `opId`. */
  'rep:undo': z.object({ opId: z.string().min(8).max(64) }).strict(),
  /** Count an exercise of the plan (or free reps) with members' cameras, or stop (`movement: null`). */
  'class:auto-count': z.object({ exerciseId: z.string().trim().min(1).max(64), movement: movementSchema.nullable() }).strict(),
  'timer:start': z.object({ spec: timerSpecSchema }).strict(),
  'timer:control': z.object({ action: z.enum(['pause', 'resume', 'skip', 'stop']) }).strict(),
  /** The coach mutes/unmutes anyone (and may lock); a member may mute self, or unmute unless locked. */
  'mic:set-muted': z.object({ participantId: id, muted: z.boolean(), lock: z.boolean().optional() }).strict(),
  'mic:mute-all': z.object({ lock: z.boolean() }).strict(),
  'class:spotlight': z.object({ participantId: id.nullable() }).strict(),
  'class:remove': z.object({ participantId: id }).strict(),
  'class:end': z.object({}).strict(),
  /** Breakouts by level: start, move the coach to one room, bring everyone back. */
  'breakouts:start': z.object({}).strict(),
  'breakouts:visit': z.object({ room: levelSchema }).strict(),
  'breakouts:end': z.object({}).strict(),

  // Chat, hands, reactions, the waitlist, the whiteboard and files (protocol/social.ts).
  ...socialRequestSchemas,
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
  /**
   * false: already flowing (made during the join, before the transport could carry anything);
   * true: resume it (`consumer:resume`) once the track is wired, or its first keyframe is lost.
   */
  paused: boolean;
}

export interface JoinResult {
  self: ParticipantInfo;
  /** The class's fitness state (mode, plan, cards, timer, levels, reps). */
  classState: ClassStateView;
  /** Server clock (ms since epoch) when the answer was made. */
  serverNow: number;
  classId: string;
  classTitle: string;
  routerRtpCapabilities: unknown;
  participants: ParticipantInfo[];
  /** This seat's transports, made during the join (no extra round trips before media). */
  transports: { send: TransportOptions; recv: TransportOptions };
  /** The transports were connected with the join's `dtlsParameters`: send no `transport:connect`. */
  transportsConnected: boolean;
  /**
   * STUN/TURN servers for this seat's transports (empty when the SFU is reached directly). TURN
   * credentials are time-limited (TURN REST convention) and end with the join token.
   */
  iceServers: Array<{ urls: string[]; username?: string; credential?: string }>;
  /** `relay` when the server wants all media through TURN. */
  iceTransportPolicy: 'all' | 'relay';
  /**
   * Consumers of everything this participant may receive now, unpaused: the client wires them
   * all in one renegotiation, before its receive transport connects.
   */
  consumers: ConsumerOptions[];
}

export interface ResponseMap extends SocialResponseMap {
  'room:capabilities': { routerRtpCapabilities: unknown };
  'room:join': JoinResult;
  'room:leave': Record<string, never>;
  'room:observe': { participantId: string; classState: ClassStateView; serverNow: number };
  'transport:create': TransportOptions;
  'transport:connect': Record<string, never>;
  'transport:restart-ice': { iceParameters: unknown };
  'media:produce': { producerId: string };
  'media:unproduce': Record<string, never>;
  'media:consume': ConsumerOptions;
  'consumer:resume': Record<string, never>;
  'consumer:set-view': Record<string, never>;
  'quality:report': Record<string, never>;
  'time:sync': { serverNow: number };
  'session:refresh': { expiresAt: number };
  'class:set-mode': Record<string, never>;
  'class:set-level': Record<string, never>;
  'class:set-plan': Record<string, never>;
  'class:show-exercise': Record<string, never>;
  'class:advance': { index: number };
  'rep:tap': { exerciseId: string; count: number; duplicate: boolean };
  'rep:undo': { exerciseId: string; count: number; duplicate: boolean };
  'class:auto-count': Record<string, never>;
  'timer:start': Record<string, never>;
  'timer:control': Record<string, never>;
  'mic:set-muted': Record<string, never>;
  'mic:mute-all': Record<string, never>;
  'class:spotlight': Record<string, never>;
  'class:remove': Record<string, never>;
  'class:end': Record<string, never>;
  'breakouts:start': Record<string, never>;
  'breakouts:visit': Record<string, never>;
  'breakouts:end': Record<string, never>;
}

export type Ack<N extends RequestName> = { data: ResponseMap[N] } | { error: ErrorBody };

export const notificationSchemas = {
  'participant:joined': participantSchema,
  'participant:left': z.object({ participantId: z.string() }),
  'producer:added': producerInfoSchema,
  'producer:closed': z.object({ producerId: z.string(), participantId: z.string() }),
  'consumer:closed': z.object({ consumerId: z.string() }),
  /** The fitness state after any change but a rep, without the per-member map (see `class:members`). */
  'class:state': z.custom<ClassStateUpdate>(),
  /** Members whose class state changed (level, microphone, reps, joined) or who left (null); sent just before `class:state`. */
  'class:members': z.object({ changes: z.custom<ClassMemberChanges>() }),
  /** One member's count changed (kept small: this is the hot path). */
  'rep:counted': z.object({ participantId: z.string(), exerciseId: z.string(), count: z.number(), cameraCount: z.number().optional() }),
  /** To coaches: one participant's latest connection quality. */
  'quality:changed': z.object({ participantId: z.string(), report: qualityReportSchema }),
  /** Who is speaking (loudest first, at most 4); sent when it changes, at most every 400 ms. */
  'media:speaking': z.object({ participantIds: z.array(z.string()) }),
  /** The class's media moved to another server worker: join again on this connection. */
  'media:lost': z.object({}),
  /** The server ends this connection's session (removed, replaced by a newer tab, class ended). */
  'room:closed': z.object({ reason: z.enum(['replaced', 'removed', 'ended', 'media_failed']) }),
  ...socialNotificationSchemas,
} as const;

export type NotificationName = keyof typeof notificationSchemas;
export type NotificationPayload<N extends NotificationName> = z.infer<(typeof notificationSchemas)[N]>;

/** What a client sends in the Socket.IO handshake (`io(url, { auth })`). */
export const handshakeAuthSchema = z.object({
  token: z.string().min(1).max(4096),
  classId: id,
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;
