import { ErrorCode } from '../../../protocol/error-codes.js';
import { CHAT_PAGE_SIZE, SHARED_FILE_MAX_BYTES, SHARED_FILE_TYPES } from '../../../protocol/social.js';
import type { HttpMethod, JsonSchema, OpenApiOperation, OpenApiParameter, OpenApiResponse } from './types.js';
import { ref, type ComponentName } from './answers.js';

// ---------------------------------------------------------------------------------------------
// Who may call what.

export type Auth = 'public' | 'club' | 'clubOrJoin' | 'clubOrCoach' | 'viewer' | 'signedLink' | 'supabase';
export type Errors = Partial<Record<number, ErrorCode[]>>;

export const SECURITY: Record<Auth, Array<Record<string, string[]>>> = {
  public: [],
  club: [{ clubApiKey: [] }],
  clubOrJoin: [{ clubApiKey: [] }, { joinToken: [] }],
  clubOrCoach: [{ clubApiKey: [] }, { joinToken: [] }],
  viewer: [{ viewerToken: [] }, { viewerTokenQuery: [] }],
  signedLink: [],
  supabase: [{ supabaseSession: [] }],
};

const tokenErrors: Errors = { 401: [ErrorCode.Unauthorized, ErrorCode.TokenInvalid, ErrorCode.TokenExpired] };
export const AUTH_ERRORS: Record<Auth, Errors> = {
  public: {},
  // A join token is read but refused: `forbidden`.
  club: { ...tokenErrors, 403: [ErrorCode.OriginNotAllowed, ErrorCode.Forbidden] },
  clubOrJoin: { ...tokenErrors, 403: [ErrorCode.OriginNotAllowed, ErrorCode.ClassMismatch] },
  clubOrCoach: { ...tokenErrors, 403: [ErrorCode.OriginNotAllowed, ErrorCode.ClassMismatch, ErrorCode.Forbidden] },
  viewer: tokenErrors,
  signedLink: { 401: [ErrorCode.Unauthorized], 410: [ErrorCode.TokenExpired] },
  supabase: { ...tokenErrors, 403: [ErrorCode.OriginNotAllowed, ErrorCode.Forbidden] },
};

export const AUTH_TEXT: Record<Auth, string> = {
  public: 'Public',
  club: "The club's API key",
  clubOrJoin: "The club's API key, or a join token for this class",
  clubOrCoach: "The club's API key, or the coach's join token for this class",
  viewer: 'A viewer token for this stream (`Authorization: Bearer` or `?token=`)',
  signedLink: 'The signature in the link',
  supabase: 'A Supabase Auth access token of a member of the club (`Authorization: Bearer`)',
};

// ---------------------------------------------------------------------------------------------
// The operations.

export interface Op {
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

export type Tag = 'Club' | 'Classes' | 'Class content' | 'Chat moderation' | 'Streams' | 'Recordings' | 'Playback' | 'Public' | 'Service' | 'Development';
export const TAGS: Array<{ name: Tag; description: string }> = [
  { name: 'Club', description: 'The club itself: the sites it embeds on, its API keys, its join secret, and tokens for its members, coaches and viewers.' },
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

export const OPERATIONS: Op[] = [
  // Service ---------------------------------------------------------------------------------
  { method: 'get', path: '/healthz', id: 'health', tag: 'Service', summary: 'Health check', auth: 'public', ok: { description: 'Up', schema: 'Health' } },
  {
    method: 'get',
    path: '/readyz',
    id: 'ready',
    tag: 'Service',
    summary: 'Readiness (for load balancers)',
    description: '200 when the store answers and a media worker is up; 503 `{ status: "not_ready" }` otherwise.',
    auth: 'public',
    ok: { description: 'Ready', content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'string', enum: ['ready'] } }, required: ['status'] } } } },
  },
  {
    method: 'get',
    path: '/metrics',
    id: 'metrics',
    tag: 'Service',
    summary: 'Prometheus metrics',
    description:
      'prom-client text format: fitlive_classes, fitlive_participants, fitlive_worker_{routers,producers,consumers,cpu_seconds_total}{worker}, fitlive_hls_viewers, fitlive_cluster_nodes, fitlive_socket_requests_total{event,outcome}, fitlive_errors_total{code,surface}, fitlive_join_seconds, fitlive_chat_delivery_seconds, fitlive_process_* and fitlive_nodejs_* (prom-client defaults). Keep it on the private network.',
    auth: 'public',
    ok: { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
  },
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
    path: '/api/v1/classes/{id}/node',
    id: 'classNode',
    tag: 'Public',
    summary: 'The node a class runs on',
    description:
      'With several nodes (REDIS_URL), each class runs on one; this places it when it runs nowhere yet (CORS `*`). The class socket handshake answers `wrong_node` with the same URL, and the widget follows it by itself; this is for tools and load balancers. Alone, it names this node.',
    auth: 'public',
    params: [classId],
    ok: { description: 'The node', schema: 'ClassNode' },
    errors: { 404: [ErrorCode.ClassNotFound] },
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

  // Club ------------------------------------------------------------------------------------
  { method: 'get', path: '/api/v1/club', id: 'getClub', tag: 'Club', summary: 'The club: allowed origins and API keys (no secrets)', auth: 'club', ok: { description: 'The club', schema: 'ClubInfo' } },
  {
    method: 'put',
    path: '/api/v1/club/origins',
    id: 'setAllowedOrigins',
    tag: 'Club',
    summary: 'Replace the sites allowed to embed the widget',
    description: 'Origins only (`https://www.example-club.com`), at most 50. Checked on every browser request (CORS) and socket handshake.',
    auth: 'club',
    json: { schema: 'OriginsInput' },
    ok: { description: 'The stored origins', schema: 'Origins' },
  },
  {
    method: 'post',
    path: '/api/v1/club/api-keys',
    id: 'createApiKey',
    tag: 'Club',
    summary: 'Make an API key (shown once)',
    description: 'Rotate a key by making a new one, switching your server to it, then revoking the old one. At most 20 active keys.',
    auth: 'club',
    json: { schema: 'ApiKeyInput', required: false },
    ok: { status: 201, description: 'The key, the only time its secret is shown', schema: 'NewApiKey' },
    errors: { 409: [ErrorCode.Conflict] },
  },
  {
    method: 'delete',
    path: '/api/v1/club/api-keys/{id}',
    id: 'revokeApiKey',
    tag: 'Club',
    summary: 'Revoke an API key',
    auth: 'club',
    params: [pathParam('id', 'The key id (the hex part after `flk_`)')],
    ok: { status: 204, description: 'Revoked: it stops working at once' },
    errors: { 404: [ErrorCode.NotFound] },
  },
  {
    method: 'post',
    path: '/api/v1/club/join-secret',
    id: 'rotateJoinSecret',
    tag: 'Club',
    summary: 'Rotate the join secret (shown once)',
    description: 'Every token signed with the old secret stops working, and RTMP stream keys change with it.',
    auth: 'club',
    ok: { description: 'The new secret', schema: 'JoinSecret' },
  },
  {
    method: 'post',
    path: '/api/v1/tokens',
    id: 'mintToken',
    tag: 'Club',
    summary: 'Mint a join token (class) or a viewer token (stream)',
    description: 'Role `coach` or `member` with `classId`, `viewer` with `streamId`. Lifetime: TOKEN_DEFAULT_TTL_SECONDS unless `ttlSeconds`, never above TOKEN_MAX_TTL_SECONDS. Rate limited per club (TOKEN_MINT_RATE_PER_MINUTE).',
    auth: 'club',
    json: { schema: 'TokenInput' },
    ok: { status: 201, description: 'The token', schema: 'MintedToken' },
    errors: { 404: [ErrorCode.ClassNotFound, ErrorCode.StreamNotFound], 429: [ErrorCode.RateLimited] },
  },

  {
    method: 'post',
    path: '/api/v1/auth/exchange',
    id: 'exchangeSupabaseSession',
    tag: 'Club',
    summary: 'Sign in with Supabase: a join or viewer token for a member',
    description:
      'The widget sends the member’s Supabase access token (checked with SUPABASE_JWT_SECRET or SUPABASE_JWKS_URL) and gets a short-lived join token for the class (`coach` only for the club’s staff) or a viewer token for the stream. 404 when the server has no Supabase settings.',
    auth: 'supabase',
    json: { schema: 'ExchangeInput' },
    ok: { description: 'The token', schema: 'ExchangedToken' },
    errors: { 404: [ErrorCode.ClassNotFound, ErrorCode.StreamNotFound, ErrorCode.NotFound], 429: [ErrorCode.RateLimited] },
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
