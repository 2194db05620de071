import { ErrorCode } from '../../protocol/error-codes.js';
import { componentSchemas, ref } from './openapi/answers.js';
import { AUTH_ERRORS, AUTH_TEXT, OPERATIONS, SECURITY, TAGS, type Errors, type Op } from './openapi/operations.js';
import type { OpenApiDocument, OpenApiOperation, OpenApiResponse } from './openapi/types.js';

export { SERVER_ERROR_CODES } from './openapi/answers.js';
export { DOCS_CSP, renderDocsHtml } from './openapi/docs-page.js';
export type { HttpMethod, OpenApiDocument, OpenApiOperation, OpenApiParameter, OpenApiResponse } from './openapi/types.js';

/*
 * The REST API as an OpenAPI 3.1 document, served at `/api/docs/openapi.json` and rendered as a
 * page at `/api/docs`. Request bodies are the very zod schemas the routes validate with (turned
 * into JSON Schema by `z.toJSONSchema`); answers are zod schemas checked at compile time against
 * the protocol's answer interfaces (see `answer` in openapi/answers.ts), so neither side can drift silently.
 * test/backend/openapi.test.ts fails when a route on the Express app has no operation here.
 * Parts: openapi/answers.ts (answer schemas), openapi/operations.ts (who may call what, every
 * operation), openapi/docs-page.ts (the HTML page); this file assembles the document.
 */

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
        supabaseSession: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Supabase Auth access token (the signed-in member’s session), exchanged for a join or viewer token.' },
        viewerTokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'The same viewer token as `?token=`, for players that cannot set headers.' },
      },
      schemas: componentSchemas(),
    },
  };
}

