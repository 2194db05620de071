import { z } from 'zod';
import { planSchema } from '../../../protocol/class-state.js';
import { ErrorCode } from '../../../protocol/error-codes.js';
import { roleSchema } from '../../../protocol/participants.js';
import { classInputSchema, classPatchSchema, type ClassInfo } from '../../../protocol/schedule.js';
import { chatRoleSchema, sharedFileTypeSchema, type ChatMessage, type SharedFile } from '../../../protocol/social.js';
import { streamInputSchema, streamSourceSchema, streamStatusSchema, viewerTokenInputSchema, type HeartbeatAnswer, type PlaybackInfo, type StreamAnalytics, type StreamCreated, type StreamInfo } from '../../../protocol/streams.js';
import type { ClassSummary } from '../../../protocol/summary.js';
import type { Repositories } from '../../store/repositories.js';
import type { RecordingInfo } from '../streams-api.js';
import { devTokenSchema, devViewerTokenSchema } from '../app.js';
import { exchangeInputSchema } from '../auth-api.js';
import { apiKeyInputSchema, originsInputSchema, tokenInputSchema } from '../club-api.js';
import { filterSchema } from '../chat-api.js';
import type { JsonSchema } from './types.js';

// ---------------------------------------------------------------------------------------------
// Answer schemas. `answer<T>()(schema)` only compiles when the schema's type and T are assignable
// both ways: add a field to an interface in protocol/ and this file stops compiling until the
// documented answer has it too.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const answer =
  <T>() =>
  <S extends z.ZodType>(schema: S, ..._mustMatch: Same<z.output<S>, T> extends true ? [] : [never]): S =>
    schema;

const isoTime = z.string().meta({ format: 'date-time' });
const epochMs = z.number().int().describe('Milliseconds since the epoch');

/** Codes the widget raises itself: the server never sends them. */
const CLIENT_ONLY_CODES = new Set<string>([ErrorCode.ServerUnreachable, ErrorCode.MediaPermissionDenied, ErrorCode.MediaDeviceUnavailable, ErrorCode.MediaTimeout]);
export const SERVER_ERROR_CODES = Object.values(ErrorCode).filter((c) => !CLIENT_ONLY_CODES.has(c));

const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(SERVER_ERROR_CODES as [string, ...string[]]).describe('Stable: integrators switch on it (never renamed, only added to)'),
      message: z.string().describe('For people; may change'),
    }),
  })
  .describe('Every failed request answers with this body');

const classStatusSchema = z.enum(['scheduled', 'live', 'ended', 'cancelled']);
const classInfoSchema = answer<ClassInfo>()(
  z.object({
    id: z.string(),
    clubId: z.string(),
    title: z.string(),
    coachName: z.string(),
    startsAt: isoTime.nullable(),
    durationMinutes: z.number().int(),
    capacity: z.number().int(),
    status: classStatusSchema,
  }),
);
const publicClassSchema = z.object({ id: z.string(), title: z.string(), coachName: z.string(), status: classStatusSchema });
const classListSchema = z.object({ classes: z.array(classInfoSchema) });
const publicScheduleSchema = z.object({ club: z.object({ id: z.string(), name: z.string() }), classes: z.array(classInfoSchema) });

const summarySchema = answer<ClassSummary>()(
  z.object({
    classId: z.string(),
    title: z.string(),
    plan: z.array(z.object({ id: z.string(), name: z.string() })),
    peakParticipants: z.number().int(),
    people: z.array(
      z.object({
        identity: z.string(),
        displayName: z.string(),
        role: roleSchema,
        level: z.string().nullable(),
        firstJoinedAt: isoTime,
        lastLeftAt: isoTime.nullable(),
        presentSeconds: z.number().describe('Time present, visits added up (an open visit counts until now)'),
        visits: z.number().int(),
        reps: z.record(z.string(), z.number().int()).describe('Reps per exercise id'),
        totalReps: z.number().int(),
        cameraReps: z.record(z.string(), z.number().int()).describe("Of the reps, those the member's camera counted (in their browser), per exercise id"),
        totalCameraReps: z.number().int(),
      }),
    ),
  }),
);

const planAnswerSchema = z.object({ plan: planSchema });
const planPutSchema = z.object({ plan: planSchema }).describe('Replaces the whole plan; other keys are ignored');

const chatMessageSchema = answer<ChatMessage>()(
  z.object({
    seq: z.number().int().min(1).describe("The server's order: 1, 2, 3… per class"),
    participantId: z.string(),
    displayName: z.string(),
    role: chatRoleSchema.describe('"viewer": a viewer of the class’s broadcast'),
    text: z.string().describe('Plain text (never HTML); words on the club filter are masked'),
    sentAt: epochMs,
    clientId: z.string().optional(),
  }),
);
const chatPageSchema = z.object({ messages: z.array(chatMessageSchema).describe('Oldest first within the page'), hasMore: z.boolean() });

type ChatReport = Awaited<ReturnType<Repositories['chat']['reportsForClub']>>[number];
const chatReportSchema = answer<ChatReport>()(
  z.object({
    classId: z.string(),
    seq: z.number().int(),
    reason: z.string(),
    reportedAt: isoTime,
    reporter: z.string().describe("The reporter's identity"),
    sender: z.string().describe("The sender's identity"),
    text: z.string(),
    deleted: z.boolean(),
  }),
);
const chatReportsSchema = z.object({ reports: z.array(chatReportSchema).describe('Newest first (at most 200)') });
const wordsSchema = z.object({ words: z.array(z.string()).describe('Normalised: lower case, duplicates removed') });

const sharedFileSchema = answer<SharedFile>()(
  z.object({
    id: z.string(),
    name: z.string(),
    contentType: sharedFileTypeSchema,
    size: z.number().int(),
    url: z.string().describe('Relative to the server, signed; stops working at expiresAt'),
    expiresAt: epochMs,
    sharedAt: epochMs,
  }),
);
const fileListSchema = z.object({ files: z.array(sharedFileSchema) });

const streamInfoSchema = answer<StreamInfo>()(
  z.object({
    id: z.string(),
    clubId: z.string(),
    title: z.string(),
    description: z.string(),
    source: streamSourceSchema,
    status: streamStatusSchema,
    maxViewers: z.number().int(),
    record: z.boolean(),
    posterUrl: z.string().nullable(),
    createdAt: isoTime,
    startedAt: isoTime.nullable(),
    endedAt: isoTime.nullable(),
    viewers: z.number().int().describe('Viewers watching now (heartbeats in the last 30 s)'),
  }),
);
const streamCreatedSchema = answer<StreamCreated>()(
  streamInfoSchema.extend({
    ingest: z
      .object({ rtmpUrl: z.string(), streamKey: z.string() })
      .nullable()
      .describe('Where an encoder (OBS…) pushes, for an RTMP source; null for a class source'),
  }),
);
const streamListSchema = z.object({ streams: z.array(streamInfoSchema) });
const viewerTokenSchema = z.object({
  token: z.string().describe('A viewer token (JWT) for this one person and stream'),
  expiresIn: z.number().int().describe('Seconds'),
  streamId: z.string(),
  title: z.string(),
  viewers: z.number().int(),
});
const viewersSchema = z.object({ streamId: z.string(), viewers: z.number().int() });
const analyticsSchema = answer<StreamAnalytics>()(
  z.object({
    streamId: z.string(),
    peakViewers: z.number().int(),
    uniqueViewers: z.number().int(),
    totalWatchSeconds: z.number().describe("Sum of every viewer's watching time"),
    concurrency: z.array(z.object({ at: isoTime, viewers: z.number().int() })).describe('Concurrent viewers, one point a minute while live'),
  }),
);
const playbackSchema = answer<PlaybackInfo>()(
  z.object({
    streamId: z.string(),
    title: z.string(),
    status: streamStatusSchema.describe('"idle" also while live but not yet encoding'),
    posterUrl: z.string().nullable(),
    masterUrl: z.string().nullable().describe('Signed /hls/… path, relative to the server; set while encoding'),
    renditions: z.array(z.object({ name: z.string(), width: z.number().int(), height: z.number().int(), bitrate: z.number().int() })).describe('The ladder, best first'),
    viewers: z.number().int(),
    chat: z.boolean().describe('The stream has a chat (its source is a class): viewers join it over Socket.IO on the /viewers namespace'),
    expiresAt: epochMs.describe('When the signed URLs stop working (ms since epoch)'),
  }),
);
const heartbeatSchema = answer<HeartbeatAnswer>()(z.object({ status: streamStatusSchema, viewers: z.number().int() }));

const recordingInfoSchema = answer<RecordingInfo>()(
  z.object({
    id: z.string().describe('`r_…`'),
    streamId: z.string(),
    status: z.enum(['recording', 'ready', 'failed']),
    durationSeconds: z.number().nullable(),
    startedAt: isoTime,
    endedAt: isoTime.nullable(),
    hls: z.object({ url: z.string(), expiresAt: epochMs }).nullable().describe('The HLS VOD playlist (signed, relative to the server), once ready'),
    mp4: z.object({ status: z.enum(['none', 'making', 'ready', 'failed']), url: z.string().nullable().describe('Signed, once the MP4 is ready') }),
  }),
);
const recordingListSchema = z.object({ recordings: z.array(recordingInfoSchema) });

const tokenSchema = z.object({ token: z.string(), expiresIn: z.number().int().describe('Seconds') });
const clubInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  allowedOrigins: z.array(z.string()).describe('Sites that may embed the widget and call the API from a browser'),
  apiKeys: z.array(z.object({ id: z.string(), label: z.string(), createdAt: isoTime, revokedAt: isoTime.nullable() })).describe('Never with their secrets'),
});
const originsAnswerSchema = z.object({ allowedOrigins: z.array(z.string()) });
const newApiKeySchema = z.object({ id: z.string(), key: z.string().describe('`flk_<id>_<secret>`: shown this once; only a hash is kept'), label: z.string() });
const joinSecretSchema = z.object({ joinSecret: z.string().describe('Signs join and viewer tokens (HS256); shown this once') });
const mintedTokenSchema = z.object({ token: z.string().describe('HS256 JWT'), expiresAt: isoTime });

const exchangedTokenSchema = z.object({
  token: z.string().describe('Join token (class) or viewer token (stream)'),
  expiresAt: z.number().int().describe('ms since epoch'),
  role: z.enum(['coach', 'member', 'viewer']),
  identity: z.string().describe('The Supabase user id'),
  displayName: z.string(),
});

const healthSchema = z.object({ status: z.literal('ok'), workers: z.number().int(), liveClasses: z.number().int() });
const classNodeSchema = z.object({
  classId: z.string(),
  nodeId: z.string().describe('The backend node running the class'),
  url: z.string().describe('Where browsers reach that node (its own URL, not the load balancer’s)'),
});
const rtpCapabilitiesSchema = z.object({ routerRtpCapabilities: z.record(z.string(), z.unknown()).describe('mediasoup RtpCapabilities of every class router') });

/**
 * Everything under `components.schemas`, by name. Request schemas are the routes' own. A function:
 * app.ts (which serves this document) defines the dev schemas, so they are read at call time.
 */
const components = () => ({
  Error: errorSchema,
  ClassInput: classInputSchema,
  ClassPatch: classPatchSchema,
  ClassInfo: classInfoSchema,
  PublicClass: publicClassSchema,
  ClassList: classListSchema,
  PublicSchedule: publicScheduleSchema,
  ClassSummary: summarySchema,
  Plan: planSchema,
  PlanBody: planPutSchema,
  PlanAnswer: planAnswerSchema,
  ChatMessage: chatMessageSchema,
  ChatPage: chatPageSchema,
  ChatReport: chatReportSchema,
  ChatReports: chatReportsSchema,
  ChatFilterInput: filterSchema,
  ChatFilter: wordsSchema,
  SharedFile: sharedFileSchema,
  SharedFileList: fileListSchema,
  StreamSource: streamSourceSchema,
  StreamInput: streamInputSchema,
  StreamInfo: streamInfoSchema,
  StreamCreated: streamCreatedSchema,
  StreamList: streamListSchema,
  ViewerTokenInput: viewerTokenInputSchema,
  ViewerToken: viewerTokenSchema,
  StreamViewers: viewersSchema,
  StreamAnalytics: analyticsSchema,
  PlaybackInfo: playbackSchema,
  HeartbeatAnswer: heartbeatSchema,
  RecordingInfo: recordingInfoSchema,
  RecordingList: recordingListSchema,
  DevTokenInput: devTokenSchema,
  DevViewerTokenInput: devViewerTokenSchema,
  Token: tokenSchema,
  ClubInfo: clubInfoSchema,
  OriginsInput: originsInputSchema,
  Origins: originsAnswerSchema,
  ApiKeyInput: apiKeyInputSchema,
  NewApiKey: newApiKeySchema,
  JoinSecret: joinSecretSchema,
  TokenInput: tokenInputSchema,
  MintedToken: mintedTokenSchema,
  ExchangeInput: exchangeInputSchema,
  ExchangedToken: exchangedTokenSchema,
  Health: healthSchema,
  RtpCapabilities: rtpCapabilitiesSchema,
  ClassNode: classNodeSchema,
}) satisfies Record<string, z.ZodType>;
export type ComponentName = keyof ReturnType<typeof components>;

export function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components())) registry.add(schema, { id });
  // `input`: fields with a default are optional in a request, and an answer's object stays open
  // (new fields may be added); `.strict()` request schemas still say additionalProperties: false.
  const { schemas } = z.toJSONSchema(registry, { io: 'input', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  const out: Record<string, JsonSchema> = {};
  for (const [id, s] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s as JsonSchema;
    out[id] = rest;
  }
  return out;
}

export const ref = (name: ComponentName): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
