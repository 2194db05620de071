import crypto from 'node:crypto';
import { z } from 'zod';
import { planSchema } from '../../protocol/class-state.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { roleSchema } from '../../protocol/participants.js';
import { classInputSchema, classPatchSchema, type ClassInfo } from '../../protocol/schedule.js';
import { CHAT_PAGE_SIZE, SHARED_FILE_MAX_BYTES, SHARED_FILE_TYPES, sharedFileTypeSchema, type ChatMessage, type SharedFile } from '../../protocol/social.js';
import {
  streamInputSchema,
  streamSourceSchema,
  streamStatusSchema,
  viewerTokenInputSchema,
  type HeartbeatAnswer,
  type PlaybackInfo,
  type StreamAnalytics,
  type StreamCreated,
  type StreamInfo,
} from '../../protocol/streams.js';
import type { ClassSummary } from '../../protocol/summary.js';
import type { Repositories } from '../store/repositories.js';
import type { RecordingInfo } from './streams-api.js';
import { devTokenSchema, devViewerTokenSchema } from './app.js';
import { filterSchema } from './chat-api.js';

/*
 * The REST API as an OpenAPI 3.1 document, served at `/api/docs/openapi.json` and rendered as a
 * page at `/api/docs`. Request bodies are the very zod schemas the routes validate with (turned
 * into JSON Schema by `z.toJSONSchema`); answers are zod schemas checked at compile time against
 * the protocol's answer interfaces (see `answer` below), so neither side can drift silently.
 * test/backend/openapi.test.ts fails when a route on the Express app has no operation here.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, { schema?: JsonSchema }>;
  /** The stable `error.code` values this status can carry (protocol/error-codes.ts). */
  'x-error-codes'?: string[];
}

export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: Array<Record<string, string[]>>;
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string; description: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: { securitySchemes: Record<string, JsonSchema>; schemas: Record<string, JsonSchema> };
}

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
    role: roleSchema,
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
const healthSchema = z.object({ status: z.literal('ok'), workers: z.number().int(), liveClasses: z.number().int() });
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
  Health: healthSchema,
  RtpCapabilities: rtpCapabilitiesSchema,
}) satisfies Record<string, z.ZodType>;
type ComponentName = keyof ReturnType<typeof components>;

function componentSchemas(): Record<string, JsonSchema> {
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

const ref = (name: ComponentName): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

// ---------------------------------------------------------------------------------------------
// Who may call what.

type Auth = 'public' | 'club' | 'clubOrJoin' | 'clubOrCoach' | 'viewer' | 'signedLink';
type Errors = Partial<Record<number, ErrorCode[]>>;

const SECURITY: Record<Auth, Array<Record<string, string[]>>> = {
  public: [],
  club: [{ clubApiKey: [] }],
  clubOrJoin: [{ clubApiKey: [] }, { joinToken: [] }],
  clubOrCoach: [{ clubApiKey: [] }, { joinToken: [] }],
  viewer: [{ viewerToken: [] }, { viewerTokenQuery: [] }],
  signedLink: [],
};

const tokenErrors: Errors = { 401: [ErrorCode.Unauthorized, ErrorCode.TokenInvalid, ErrorCode.TokenExpired] };
const AUTH_ERRORS: Record<Auth, Errors> = {
  public: {},
  // A join token is read but refused: `forbidden`.
  club: { ...tokenErrors, 403: [ErrorCode.OriginNotAllowed, ErrorCode.Forbidden] },
  clubOrJoin: { ...tokenErrors, 403: [ErrorCode.OriginNotAllowed, ErrorCode.ClassMismatch] },
  clubOrCoach: { ...tokenErrors, 403: [ErrorCode.OriginNotAllowed, ErrorCode.ClassMismatch, ErrorCode.Forbidden] },
  viewer: tokenErrors,
  signedLink: { 401: [ErrorCode.Unauthorized], 410: [ErrorCode.TokenExpired] },
};

const AUTH_TEXT: Record<Auth, string> = {
  public: 'Public',
  club: "The club's API key",
  clubOrJoin: "The club's API key, or a join token for this class",
  clubOrCoach: "The club's API key, or the coach's join token for this class",
  viewer: 'A viewer token for this stream (`Authorization: Bearer` or `?token=`)',
  signedLink: 'The signature in the link',
};

// ---------------------------------------------------------------------------------------------
// The operations.

interface Op {
  method: HttpMethod;
  /** OpenAPI form: `/api/v1/classes/{id}`. */
  path: string;
  id: string;
  tag: Tag;
  summary: string;
  description?: string;
  auth: Auth;
  params?: OpenApiParameter[];
  /** A JSON body (validated: 400 `bad_request`; over 16 kB: 413 `payload_too_large`). */
  json?: { schema: ComponentName; required?: boolean };
  /** Any other body. */
  body?: OpenApiOperation['requestBody'];
  ok: { status?: number; description: string; schema?: ComponentName; content?: OpenApiResponse['content']; headers?: OpenApiResponse['headers'] };
  errors?: Errors;
  devOnly?: boolean;
}

type Tag = 'Classes' | 'Class content' | 'Chat moderation' | 'Streams' | 'Recordings' | 'Playback' | 'Public' | 'Service' | 'Development';
const TAGS: Array<{ name: Tag; description: string }> = [
  { name: 'Classes', description: "A club's schedule: create, list, change and cancel classes." },
  { name: 'Class content', description: 'Per class: the plan, the summary, the chat history and shared files.' },
  { name: 'Chat moderation', description: "The club's word filter and the messages its members reported." },
  { name: 'Streams', description: 'Broadcasts to many viewers over HLS: the club creates, starts and stops them, mints viewer tokens and reads analytics.' },
  { name: 'Recordings', description: 'Broadcasts kept as HLS VOD (and MP4 on request) when a stream with `record` stops.' },
  { name: 'Playback', description: 'What <fit-live-stream> calls with a viewer token, and the signed HLS files.' },
  { name: 'Public', description: 'No credentials: what a club website and the widget read.' },
  { name: 'Service', description: 'Health, the widget bundle and this documentation.' },
  { name: 'Development', description: 'Only with FITLIVE_DEV=1 (404 otherwise): tokens for the demo club. Never on in production.' },
];

const pathParam = (name: string, description: string, schema: JsonSchema = { type: 'string', minLength: 1 }): OpenApiParameter => ({ name, in: 'path', required: true, description, schema });
const query = (name: string, description: string, schema: JsonSchema = { type: 'string' }): OpenApiParameter => ({ name, in: 'query', required: false, description, schema });
const classId = pathParam('id', 'The class id');
const streamId = pathParam('id', 'The stream id (`s_…`)');
const recordingId = pathParam('id', 'The recording id (`r_…`)');

const OPERATIONS: Op[] = [
  // Service ---------------------------------------------------------------------------------
  { method: 'get', path: '/healthz', id: 'health', tag: 'Service', summary: 'Health check', auth: 'public', ok: { description: 'Up', schema: 'Health' } },
  {
    method: 'get',
    path: '/fitlive.js',
    id: 'widgetBundle',
    tag: 'Service',
    summary: 'The widget bundle',
    description: 'An ES module with <fit-live-class> and <fit-live-stream>; CORS `*`, cached 5 minutes (its lazy chunks are immutable).',
    auth: 'public',
    ok: { description: 'The bundle', content: { 'text/javascript': {} } },
    errors: { 404: [] },
  },
  {
    method: 'get',
    path: '/api/docs',
    id: 'docsPage',
    tag: 'Service',
    summary: 'This documentation as a page',
    auth: 'public',
    ok: { description: 'HTML rendered from the OpenAPI document', content: { 'text/html': {} } },
  },
  {
    method: 'get',
    path: '/api/docs/openapi.json',
    id: 'openApiDocument',
    tag: 'Service',
    summary: 'This documentation as OpenAPI 3.1',
    description: 'CORS `*`, cacheable for 5 minutes.',
    auth: 'public',
    ok: { description: 'The OpenAPI document', content: { 'application/json': {} } },
  },

  // Public ----------------------------------------------------------------------------------
  {
    method: 'get',
    path: '/api/rtp-capabilities',
    id: 'rtpCapabilities',
    tag: 'Public',
    summary: "The media routers' RTP capabilities",
    description: 'The same for every class (CORS `*`, cached 5 minutes): the widget loads its mediasoup device from it while its socket connects.',
    auth: 'public',
    ok: { description: 'The capabilities', schema: 'RtpCapabilities' },
  },
  {
    method: 'get',
    path: '/api/classes/{id}',
    id: 'publicClass',
    tag: 'Public',
    summary: 'Public facts about a class',
    description: 'Any club’s class, by id: title, coach and status only.',
    auth: 'public',
    params: [classId],
    ok: { description: 'The class', schema: 'PublicClass' },
    errors: { 404: [ErrorCode.ClassNotFound] },
  },
  {
    method: 'get',
    path: '/api/public/clubs/{clubId}/schedule',
    id: 'publicSchedule',
    tag: 'Public',
    summary: "A club's upcoming classes, for its website",
    description: 'Classes from three hours ago on that have not ended; no plans, no people. CORS `*`, cached 30 s.',
    auth: 'public',
    params: [pathParam('clubId', 'The club id')],
    ok: { description: 'The schedule', schema: 'PublicSchedule' },
    errors: { 404: [ErrorCode.NotFound] },
  },

  // Development -----------------------------------------------------------------------------
  {
    method: 'post',
    path: '/api/dev/token',
    id: 'devJoinToken',
    tag: 'Development',
    summary: 'A join token for a demo class',
    auth: 'public',
    json: { schema: 'DevTokenInput' },
    ok: { description: 'A join token (at most one hour)', schema: 'Token' },
    errors: { 404: [ErrorCode.ClassNotFound], 429: [ErrorCode.RateLimited] },
    devOnly: true,
  },
  {
    method: 'post',
    path: '/api/dev/viewer-token',
    id: 'devViewerToken',
    tag: 'Development',
    summary: 'A viewer token for a demo club stream',
    auth: 'public',
    json: { schema: 'DevViewerTokenInput' },
    ok: { description: 'A viewer token (at most one hour)', schema: 'Token' },
    errors: { 404: [ErrorCode.StreamNotFound], 429: [ErrorCode.RateLimited] },
    devOnly: true,
  },
  {
    method: 'get',
    path: '/api/dev/streams/{id}/analytics',
    id: 'devStreamAnalytics',
    tag: 'Development',
    summary: "A demo club stream's analytics (for the demo site's analytics page)",
    auth: 'public',
    params: [pathParam('id', 'The stream id')],
    ok: { description: 'The analytics, with the title, status and viewers now', schema: 'StreamAnalytics' },
    errors: { 404: [ErrorCode.StreamNotFound] },
    devOnly: true,
  },

  // Classes ---------------------------------------------------------------------------------
  {
    method: 'get',
    path: '/api/v1/classes',
    id: 'listClasses',
    tag: 'Classes',
    summary: "The club's classes",
    auth: 'club',
    params: [
      query('from', 'Only classes starting at or after this time', { type: 'string', format: 'date-time' }),
      query('cancelled', '`true` to include cancelled classes', { type: 'string', enum: ['true', 'false'] }),
    ],
    ok: { description: 'The classes', schema: 'ClassList' },
    errors: { 400: [ErrorCode.BadRequest] },
  },
  {
    method: 'post',
    path: '/api/v1/classes',
    id: 'createClass',
    tag: 'Classes',
    summary: 'Schedule a class',
    description: 'Without an `id`, one is made from the title. An `id` already taken answers 409 (code `bad_request`).',
    auth: 'club',
    json: { schema: 'ClassInput' },
    ok: { status: 201, description: 'Created', schema: 'ClassInfo' },
    errors: { 409: [ErrorCode.BadRequest] },
  },
  { method: 'get', path: '/api/v1/classes/{id}', id: 'getClass', tag: 'Classes', summary: 'One class', auth: 'clubOrJoin', params: [classId], ok: { description: 'The class', schema: 'ClassInfo' }, errors: { 404: [ErrorCode.ClassNotFound] } },
  {
    method: 'patch',
    path: '/api/v1/classes/{id}',
    id: 'updateClass',
    tag: 'Classes',
    summary: 'Change a class',
    description: 'Title, coach, start, duration, capacity. A live class with a larger capacity seats people waiting in line.',
    auth: 'club',
    params: [classId],
    json: { schema: 'ClassPatch' },
    ok: { description: 'The class as changed', schema: 'ClassInfo' },
    errors: { 404: [ErrorCode.ClassNotFound] },
  },
  {
    method: 'delete',
    path: '/api/v1/classes/{id}',
    id: 'cancelClass',
    tag: 'Classes',
    summary: 'Cancel a class',
    description: 'Kept for the record with status `cancelled`; a live class ends for everyone and nobody can join it.',
    auth: 'club',
    params: [classId],
    ok: { description: 'The cancelled class', schema: 'ClassInfo' },
    errors: { 404: [ErrorCode.ClassNotFound] },
  },

  // Class content ---------------------------------------------------------------------------
  {
    method: 'get',
    path: '/api/v1/classes/{id}/summary',
    id: 'classSummary',
    tag: 'Class content',
    summary: 'Attendance and reps',
    description: 'Attendance, reps per member per exercise, peak participants. A member’s token sees only their own row. CSV with `?format=csv` or `Accept: text/csv`.',
    auth: 'clubOrJoin',
    params: [classId, query('format', '`csv` for a CSV download', { type: 'string', enum: ['json', 'csv'] })],
    ok: { description: 'The summary', content: { 'application/json': { schema: ref('ClassSummary') }, 'text/csv': { schema: { type: 'string' } } } },
    errors: { 404: [ErrorCode.ClassNotFound] },
  },
  { method: 'get', path: '/api/v1/classes/{id}/plan', id: 'getPlan', tag: 'Class content', summary: "The class's plan", auth: 'clubOrJoin', params: [classId], ok: { description: 'The plan', schema: 'PlanAnswer' }, errors: { 404: [ErrorCode.ClassNotFound] } },
  {
    method: 'put',
    path: '/api/v1/classes/{id}/plan',
    id: 'replacePlan',
    tag: 'Class content',
    summary: "Replace the class's plan",
    description: 'Exercise ids must be unique. A live class’s clients update at once.',
    auth: 'clubOrCoach',
    params: [classId],
    json: { schema: 'PlanBody' },
    ok: { description: 'The stored plan', schema: 'PlanAnswer' },
    errors: { 404: [ErrorCode.ClassNotFound] },
  },
  {
    method: 'get',
    path: '/api/v1/classes/{id}/chat',
    id: 'chatHistory',
    tag: 'Class content',
    summary: 'The class chat, a page at a time',
    description: `The newest ${CHAT_PAGE_SIZE} messages (oldest first within the page); \`before\` a seq for the page before it.`,
    auth: 'clubOrJoin',
    params: [classId, query('before', 'Messages before this seq', { type: 'integer', minimum: 1 })],
    ok: { description: 'A page', schema: 'ChatPage' },
    errors: { 400: [ErrorCode.BadRequest], 404: [ErrorCode.ClassNotFound] },
  },
  {
    method: 'post',
    path: '/api/v1/classes/{id}/files',
    id: 'shareFile',
    tag: 'Class content',
    summary: 'Share a file with the class',
    description: `A PDF or an image (PNG, JPEG, WebP), the raw bytes as the body (at most ${SHARED_FILE_MAX_BYTES / 1024 / 1024} MB); the type is read from the bytes, not the header. The people in a live class are told at once.`,
    auth: 'clubOrCoach',
    params: [classId, query('name', 'The file name shown (made safe by the server)')],
    body: { required: true, content: Object.fromEntries([...SHARED_FILE_TYPES, 'application/octet-stream'].map((t) => [t, {}])) },
    ok: { status: 201, description: 'Shared', schema: 'SharedFile' },
    errors: { 400: [ErrorCode.BadRequest], 404: [ErrorCode.ClassNotFound], 413: [ErrorCode.PayloadTooLarge], 415: [ErrorCode.UnsupportedMediaType] },
  },
  { method: 'get', path: '/api/v1/classes/{id}/files', id: 'listFiles', tag: 'Class content', summary: "The class's files, with fresh links", auth: 'clubOrJoin', params: [classId], ok: { description: 'The files', schema: 'SharedFileList' }, errors: { 404: [ErrorCode.ClassNotFound] } },
  {
    method: 'get',
    path: '/api/v1/files/{id}',
    id: 'getFile',
    tag: 'Class content',
    summary: 'A shared file through its signed link',
    description: 'The `url` of a SharedFile (valid one hour). CORS `*`; sandboxed by its CSP.',
    auth: 'signedLink',
    params: [
      pathParam('id', 'The file id (`f_…`)'),
      { ...query('exp', 'Expiry (seconds since the epoch), from the link', { type: 'integer' }), required: true },
      { ...query('sig', 'Signature, from the link'), required: true },
      query('download', '`1` to download rather than show', { type: 'string', enum: ['1'] }),
    ],
    ok: { description: 'The bytes', content: Object.fromEntries(SHARED_FILE_TYPES.map((t) => [t, {}])) },
    errors: { 404: [ErrorCode.NotFound] },
  },

  // Chat moderation -------------------------------------------------------------------------
  { method: 'get', path: '/api/v1/chat/filter', id: 'getChatFilter', tag: 'Chat moderation', summary: "The club's blocked words", auth: 'club', ok: { description: 'The words', schema: 'ChatFilter' } },
  {
    method: 'put',
    path: '/api/v1/chat/filter',
    id: 'replaceChatFilter',
    tag: 'Chat moderation',
    summary: "Replace the club's blocked words",
    description: 'Masked whole-word, case- and accent-blind, in every live class at once.',
    auth: 'club',
    json: { schema: 'ChatFilterInput' },
    ok: { description: 'The stored words', schema: 'ChatFilter' },
  },
  { method: 'get', path: '/api/v1/chat/reports', id: 'chatReports', tag: 'Chat moderation', summary: 'Messages members reported', auth: 'club', ok: { description: 'The reports', schema: 'ChatReports' } },

  // Streams ---------------------------------------------------------------------------------
  {
    method: 'post',
    path: '/api/v1/streams',
    id: 'createStream',
    tag: 'Streams',
    summary: 'Create a broadcast',
    description: 'From a class (its coach’s camera and microphone) or from an encoder over RTMP. For RTMP the answer has the ingest URL and stream key (GET /api/v1/streams/{id} shows them again).',
    auth: 'club',
    json: { schema: 'StreamInput' },
    ok: { status: 201, description: 'Created (status `idle`)', schema: 'StreamCreated' },
    errors: { 404: [ErrorCode.ClassNotFound] },
  },
  { method: 'get', path: '/api/v1/streams', id: 'listStreams', tag: 'Streams', summary: "The club's broadcasts", auth: 'club', ok: { description: 'The streams (viewers counted for live ones)', schema: 'StreamList' } },
  { method: 'get', path: '/api/v1/streams/{id}', id: 'getStream', tag: 'Streams', summary: 'One broadcast, with its ingest', auth: 'club', params: [streamId], ok: { description: 'The stream', schema: 'StreamCreated' }, errors: { 404: [ErrorCode.StreamNotFound] } },
  {
    method: 'post',
    path: '/api/v1/streams/{id}/start',
    id: 'startStream',
    tag: 'Streams',
    summary: 'Start encoding',
    description: 'The ladder (720p/480p/360p HLS) follows the class coach or waits for the encoder. An ended stream cannot restart: 409 (code `bad_request`).',
    auth: 'club',
    params: [streamId],
    ok: { description: 'Live', schema: 'StreamInfo' },
    errors: { 404: [ErrorCode.StreamNotFound], 409: [ErrorCode.BadRequest] },
  },
  { method: 'post', path: '/api/v1/streams/{id}/stop', id: 'stopStream', tag: 'Streams', summary: 'Stop encoding (the playlists end)', auth: 'club', params: [streamId], ok: { description: 'Ended', schema: 'StreamInfo' }, errors: { 404: [ErrorCode.StreamNotFound] } },
  {
    method: 'post',
    path: '/api/v1/streams/{id}/join',
    id: 'mintViewerToken',
    tag: 'Streams',
    summary: 'A viewer token for one person',
    description: "The club's server calls this, then hands the token to its page's <fit-live-stream>. Its lifetime is capped by the server's maximum.",
    auth: 'club',
    params: [streamId],
    json: { schema: 'ViewerTokenInput' },
    ok: { description: 'The token', schema: 'ViewerToken' },
    errors: { 404: [ErrorCode.StreamNotFound] },
  },
  { method: 'get', path: '/api/v1/streams/{id}/viewers', id: 'streamViewers', tag: 'Streams', summary: 'Viewers watching now', auth: 'club', params: [streamId], ok: { description: 'The count', schema: 'StreamViewers' }, errors: { 404: [ErrorCode.StreamNotFound] } },
  {
    method: 'get',
    path: '/api/v1/streams/{id}/analytics',
    id: 'streamAnalytics',
    tag: 'Streams',
    summary: 'Peak, unique viewers, watch time, concurrency over time',
    auth: 'club',
    params: [streamId],
    ok: { description: 'The analytics', schema: 'StreamAnalytics' },
    errors: { 404: [ErrorCode.StreamNotFound] },
  },

  // Recordings ------------------------------------------------------------------------------
  {
    method: 'get',
    path: '/api/v1/streams/{id}/recordings',
    id: 'streamRecordings',
    tag: 'Recordings',
    summary: "One broadcast's recordings",
    auth: 'club',
    params: [streamId],
    ok: { description: 'The recordings', schema: 'RecordingList' },
    errors: { 404: [ErrorCode.StreamNotFound] },
  },
  { method: 'get', path: '/api/v1/recordings', id: 'listRecordings', tag: 'Recordings', summary: "The club's recordings", auth: 'club', ok: { description: 'The recordings', schema: 'RecordingList' } },
  {
    method: 'get',
    path: '/api/v1/recordings/{id}',
    id: 'getRecording',
    tag: 'Recordings',
    summary: 'One recording, with signed links',
    auth: 'club',
    params: [recordingId],
    ok: { description: 'The recording', schema: 'RecordingInfo' },
    errors: { 404: [ErrorCode.NotFound] },
  },
  {
    method: 'post',
    path: '/api/v1/recordings/{id}/mp4',
    id: 'makeRecordingMp4',
    tag: 'Recordings',
    summary: 'Make an MP4 of a recording',
    description: 'A remux, no re-encoding; poll the recording for `mp4.status`. A recording not yet ready answers 409 (code `bad_request`).',
    auth: 'club',
    params: [recordingId],
    ok: { status: 202, description: 'Accepted', schema: 'RecordingInfo' },
    errors: { 404: [ErrorCode.NotFound], 409: [ErrorCode.BadRequest] },
  },
  {
    method: 'get',
    path: '/api/v1/recordings/{id}/playback',
    id: 'recordingPlayback',
    tag: 'Playback',
    summary: 'What the player needs to play a recording',
    description: 'For <fit-live-stream recording-id>: a viewer token of the recording’s stream plays it. Not cacheable.',
    auth: 'viewer',
    params: [recordingId],
    ok: { description: 'Playback info (status `ended`)', schema: 'PlaybackInfo' },
    errors: { 404: [ErrorCode.NotFound] },
  },

  // Playback --------------------------------------------------------------------------------
  {
    method: 'get',
    path: '/api/v1/streams/{id}/playback',
    id: 'playback',
    tag: 'Playback',
    summary: 'What the player needs',
    description: 'Status, signed master playlist, ladder, viewers. Not cacheable; ask again for fresh links. A viewer not yet watching a full stream gets `stream_full`.',
    auth: 'viewer',
    params: [streamId],
    ok: { description: 'Playback info', schema: 'PlaybackInfo' },
    errors: { 403: [ErrorCode.StreamFull], 404: [ErrorCode.StreamNotFound] },
  },
  {
    method: 'post',
    path: '/api/v1/streams/{id}/heartbeat',
    id: 'heartbeat',
    tag: 'Playback',
    summary: 'Count the viewer (every ~15 s while watching)',
    auth: 'viewer',
    params: [streamId],
    ok: { description: 'Status and viewers', schema: 'HeartbeatAnswer' },
    errors: { 403: [ErrorCode.StreamFull], 404: [ErrorCode.StreamNotFound] },
  },
  {
    method: 'get',
    path: '/hls/{stream}/{exp}/{sig}/{file}',
    id: 'hlsFile',
    tag: 'Playback',
    summary: 'Playlists and segments',
    description:
      'The `masterUrl` of PlaybackInfo and the paths relative to it. The signature is in the path and expires (a copied link stops working within 20 minutes). For a live stream `file` is `master.m3u8`, `<rendition>/index.m3u8` or `<rendition>/seg_<n>.ts` (its one slash is part of the path); for a recording (`stream` is `r_…`) `index.m3u8`, `seg_<n>.ts` or `recording.mp4`. CORS `*`; segments immutable, live playlists cached 1 s, the master 60 s, recordings an hour.',
    auth: 'signedLink',
    params: [
      pathParam('stream', 'The stream id, or a recording id'),
      pathParam('exp', 'Expiry, seconds since the epoch', { type: 'integer' }),
      pathParam('sig', 'Signature', { type: 'string', pattern: '^[A-Za-z0-9_-]+$' }),
      pathParam('file', 'The playlist, segment or MP4', { type: 'string', pattern: '^(master\\.m3u8|([0-9a-z]+/)?(index\\.m3u8|seg_\\d+\\.ts)|recording\\.mp4)$' }),
    ],
    ok: { description: 'The file', content: { 'application/vnd.apple.mpegurl': {}, 'video/mp2t': {}, 'video/mp4': {} } },
    errors: { 404: [ErrorCode.NotFound] },
  },
];

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Missing or rejected credentials',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone (expired)',
  413: 'Too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Server error',
};

function operation(op: Op): OpenApiOperation {
  const errors: Record<number, Set<string>> = {};
  const add = (e: Errors | undefined) => {
    for (const [status, codes] of Object.entries(e ?? {})) for (const c of codes ?? []) (errors[Number(status)] ??= new Set()).add(c);
    for (const status of Object.keys(e ?? {})) errors[Number(status)] ??= new Set();
  };
  add(AUTH_ERRORS[op.auth]);
  if (op.json) add({ 400: [ErrorCode.BadRequest], 413: [ErrorCode.PayloadTooLarge] });
  add(op.errors);
  add({ 500: [ErrorCode.Internal] });

  const responses: Record<string, OpenApiResponse> = {};
  responses[String(op.ok.status ?? 200)] = {
    description: op.ok.description,
    ...(op.ok.headers ? { headers: op.ok.headers } : {}),
    ...(op.ok.schema ? { content: { 'application/json': { schema: ref(op.ok.schema) } } } : op.ok.content ? { content: op.ok.content } : {}),
  };
  for (const status of Object.keys(errors).map(Number).sort((a, b) => a - b)) {
    const codes = [...errors[status]!];
    responses[String(status)] = {
      description: codes.length ? `${STATUS_TEXT[status] ?? 'Error'}: ${codes.map((c) => `\`${c}\``).join(', ')}` : (STATUS_TEXT[status] ?? 'Error'),
      content: { 'application/json': { schema: ref('Error') } },
      ...(codes.length ? { 'x-error-codes': codes } : {}),
    };
  }

  const description = [op.description, `Auth: ${AUTH_TEXT[op.auth]}.`, op.devOnly ? 'Only when the server runs with FITLIVE_DEV=1.' : undefined].filter(Boolean).join('\n\n');
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    description,
    security: SECURITY[op.auth],
    ...(op.params?.length ? { parameters: op.params } : {}),
    ...(op.json ? { requestBody: { required: op.json.required ?? true, content: { 'application/json': { schema: ref(op.json.schema) } } } } : op.body ? { requestBody: op.body } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of this server's HTTP API (`dev`: with the dev-only token routes). */
export function buildOpenApiDocument(opts: { dev: boolean; version?: string }): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const op of OPERATIONS) {
    if (op.devOnly && !opts.dev) continue;
    const item = (paths[op.path] ??= {});
    if (item[op.method]) throw new Error(`openapi: ${op.method.toUpperCase()} ${op.path} is documented twice`);
    item[op.method] = operation(op);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'FitLive HTTP API',
      version: opts.version ?? '1',
      description: [
        'Live fitness classes and broadcasts any club website can embed. The real-time side of a class (signalling, class state, chat) runs over Socket.IO and is described in docs/protocol.md; this is the REST side.',
        '**Auth.** `/api/v1` takes `Authorization: Bearer <club API key>` (`flk_…`: the club, staff rights) or `Bearer <join token>` (one person in one class, a JWT signed with the club secret). Stream playback takes a viewer token (a JWT from `POST /api/v1/streams/{id}/join`). Never cookies.',
        "**CORS.** A preflight to `/api/v1` passes for any site; each request is then answered only for origins the caller's club allows (`origin_not_allowed` otherwise). Public endpoints, the HLS files and this document are CORS `*`.",
        '**Errors** are always `{ "error": { "code", "message" } }` with a stable `code` (see the `Error` schema); each response lists the codes it can carry in `x-error-codes`. Any unknown `/api` path answers 404 `not_found`; a body that is not JSON answers 400 `bad_request`.',
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: TAGS.filter((t) => t.name !== 'Development' || opts.dev),
    paths,
    components: {
      securitySchemes: {
        clubApiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'flk_…', description: "The club's API key: staff rights over the club's classes and streams. Only a hash is stored." },
        joinToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A join token: one person (coach or member) in one class, signed by the club. A coach may change the plan and share files.' },
        viewerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A viewer token: one person watching one stream (from POST /api/v1/streams/{id}/join). Expires.' },
        viewerTokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'The same viewer token as `?token=`, for players that cannot set headers.' },
      },
      schemas: componentSchemas(),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The page at /api/docs: server-rendered from the document, no scripts, one hashed stylesheet.

const escapeHtml = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `code` spans for backticked words; everything escaped first. */
const prose = (s: string | undefined): string => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const DOCS_STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem 4rem;color:#1b1f24;background:#fff}
h1{margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:2px solid #d0d7de;padding-bottom:.2rem}
code{font:13px ui-monospace,monospace;background:#f3f4f6;padding:0 .25rem;border-radius:3px}
nav ul{columns:2;padding-left:1.2rem}
section.op{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
section.op h3{margin:0;font-size:1rem;display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}
.m{font:bold 12px ui-monospace,monospace;color:#fff;border-radius:3px;padding:.1rem .4rem;text-transform:uppercase}
.get{background:#1f6feb}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
.path{font:15px ui-monospace,monospace}.sum{font-weight:normal;color:#57606a}
table{border-collapse:collapse;margin:.4rem 0;font-size:14px}td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}
.auth{color:#57606a}p{margin:.4rem 0}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}code{background:#161b22}section.op,td,th,h2{border-color:#30363d}.sum,.auth{color:#8b949e}}
`;

/** The page's Content-Security-Policy: nothing but its own (hashed) stylesheet. */
export const DOCS_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${crypto.createHash('sha256').update(DOCS_STYLE).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function renderDocsHtml(doc: OpenApiDocument, jsonHref = '/api/docs/openapi.json'): string {
  const byTag = new Map<string, Array<{ method: string; path: string; op: OpenApiOperation }>>();
  for (const t of doc.tags) byTag.set(t.name, []);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as Array<[HttpMethod, OpenApiOperation]>) {
      const tag = op.tags[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const auth = (op: OpenApiOperation) =>
    op.security.length === 0 ? 'none' : op.security.map((req) => Object.keys(req).map((k) => `<code>${escapeHtml(k)}</code>`).join(' + ')).join(' or ');
  const anchor = (s: string) => escapeHtml(s.toLowerCase().replace(/[^a-z0-9]+/g, '-'));

  const sections = [...byTag].filter(([, ops]) => ops.length).map(([tag, ops]) => {
    const about = doc.tags.find((t) => t.name === tag)?.description;
    const items = ops.map(({ method, path, op }) => {
      const params = op.parameters?.length
        ? `<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>About</th></tr>${op.parameters
            .map((p) => `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' (required)' : ''}</td><td>${escapeHtml(p.in)}</td><td>${escapeHtml(p.schema.type ?? '')}</td><td>${prose(p.description)}</td></tr>`)
            .join('')}</table>`
        : '';
      const body = op.requestBody
        ? `<p>Body: ${Object.entries(op.requestBody.content)
            .map(([type, c]) => {
              const name = typeof c.schema?.$ref === 'string' ? c.schema.$ref.split('/').pop() : undefined;
              return `<code>${escapeHtml(type)}</code>${name ? ` (schema <code>${escapeHtml(name)}</code>)` : ''}`;
            })
            .join(', ')}</p>`
        : '';
      const responses = `<table><tr><th>Status</th><th>Answer</th></tr>${Object.entries(op.responses)
        .map(([status, r]) => {
          const schemas = Object.entries(r.content ?? {}).map(([type, c]) => {
            const name = typeof c.schema?.$ref === 'string' ? c.schema.$ref.split('/').pop() : undefined;
            return `<code>${escapeHtml(type)}</code>${name ? ` <code>${escapeHtml(name)}</code>` : ''}`;
          });
          return `<tr><td>${escapeHtml(status)}</td><td>${prose(r.description)}${schemas.length && !status.startsWith('4') && !status.startsWith('5') ? ` — ${schemas.join(', ')}` : ''}</td></tr>`;
        })
        .join('')}</table>`;
      const description = (op.description ?? '')
        .split('\n\n')
        .filter((p) => !p.startsWith('Auth: '))
        .map((p) => `<p>${prose(p)}</p>`)
        .join('');
      return `<section class="op" id="${anchor(op.operationId)}"><h3><span class="m ${escapeHtml(method)}">${escapeHtml(method)}</span><span class="path">${escapeHtml(path)}</span><span class="sum">${escapeHtml(op.summary)}</span></h3>${description}<p class="auth">Auth: ${auth(op)}</p>${params}${body}${responses}</section>`;
    });
    return `<h2 id="${anchor(tag)}">${escapeHtml(tag)}</h2>${about ? `<p>${prose(about)}</p>` : ''}${items.join('\n')}`;
  });

  const schemes = Object.entries(doc.components.securitySchemes)
    .map(([name, s]) => `<li><code>${escapeHtml(name)}</code>: ${prose(String(s.description ?? ''))}</li>`)
    .join('');
  const intro = doc.info.description
    .split('\n\n')
    .map((p) => `<p>${prose(p).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')}</p>`)
    .join('');
  const toc = [...byTag].filter(([, ops]) => ops.length).map(([tag]) => `<li><a href="#${anchor(tag)}">${escapeHtml(tag)}</a></li>`).join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title><style>${DOCS_STYLE}</style></head>
<body><h1>${escapeHtml(doc.info.title)}</h1>
<p>OpenAPI ${escapeHtml(doc.openapi)} · version ${escapeHtml(doc.info.version)} · <a href="${escapeHtml(jsonHref)}">openapi.json</a></p>
${intro}
<h2>Credentials</h2><ul>${schemes}</ul>
<nav><ul>${toc}</ul></nav>
${sections.join('\n')}
</body></html>
`;
}
