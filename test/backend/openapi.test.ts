import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHttpApp, type HttpDeps } from '../../backend/http/app.js';
import { buildOpenApiDocument, renderDocsHtml, SERVER_ERROR_CODES, type HttpMethod, type OpenApiDocument } from '../../backend/http/openapi.js';
import type { RunningServer } from '../../backend/main.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { startBackend } from '../support/backend.js';

/* The OpenAPI document and its page, served by the real backend; every route on the app is in it. */

let server: RunningServer;
before(async () => {
  server = await startBackend();
});
after(() => server.stop());

interface ListedRoute {
  path: string | RegExp;
  methods: string[] | undefined;
  router?: { listRoutes(): ListedRoute[] };
}

/** Every method+path registered on the app, mounted routers included (router@2's listRoutes). */
function registeredRoutes(): Array<{ method: string; path: string }> {
  // The same app main.ts builds, with dev routes on (as in the tests); no dependency is touched
  // while routes are only registered.
  const app = createHttpApp({ dev: true, distDir: '/nonexistent', demoDir: '/nonexistent', joinRatePerMinute: 10, tokenMaxTtlSeconds: 3600, tokenDefaultTtlSeconds: 900, tokenMintRatePerMinute: 10, authFailuresPerMinute: 10, rtmp: { publicHost: 'x', minPort: 1, maxPort: 2 } } as unknown as HttpDeps);
  const out: Array<{ method: string; path: string }> = [];
  const walk = (routes: ListedRoute[], prefix: string) => {
    for (const r of routes) {
      let path: string;
      if (r.path instanceof RegExp) {
        // The one pattern route: the signed HLS files.
        assert.equal(prefix, '/hls', `an undocumentable regexp route under ${prefix}: ${r.path}`);
        path = '/hls/{stream}/{exp}/{sig}/{file}';
      } else {
        path = (prefix + (r.path === '/' ? '' : r.path)).replace(/:(\w+)/g, '{$1}') || '/';
      }
      if (r.router) walk(r.router.listRoutes(), path);
      for (const m of r.methods ?? []) if (m !== 'head' && m !== 'HEAD') out.push({ method: m.toLowerCase(), path });
    }
  };
  walk((app as unknown as { router: { listRoutes(): ListedRoute[] } }).router.listRoutes(), '');
  return out;
}

async function fetchDoc(): Promise<{ res: Response; doc: OpenApiDocument }> {
  const res = await fetch(`${server.url}/api/docs/openapi.json`, { headers: { origin: 'https://club.example' } });
  return { res, doc: (await res.json()) as OpenApiDocument };
}

test('GET /api/docs/openapi.json: an OpenAPI 3.1 document, CORS *, cacheable', async () => {
  const { res, doc } = await fetchDoc();
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('cache-control') ?? '', /public, max-age=\d+/);
  assert.ok(res.headers.get('etag'));

  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.ok(doc.info.title && doc.info.version);
  assert.ok(doc.servers.length > 0 && doc.servers.every((s) => s.url.startsWith('/')), 'servers are relative');
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['clubApiKey', 'joinToken', 'supabaseSession', 'viewerToken', 'viewerTokenQuery']);
  assert.equal(doc.components.securitySchemes.clubApiKey!.scheme, 'bearer');

  const schemes = new Set(Object.keys(doc.components.securitySchemes));
  const schemas = doc.components.schemas;
  const operationIds = new Set<string>();
  const refs: string[] = [];
  JSON.stringify(doc, (k, v: unknown) => {
    if (k === '$ref' && typeof v === 'string') refs.push(v);
    return v;
  });
  for (const r of refs) assert.ok(r.startsWith('#/components/schemas/') && schemas[r.slice('#/components/schemas/'.length)], `dangling $ref ${r}`);

  for (const [path, item] of Object.entries(doc.paths)) {
    assert.match(path, /^\//);
    const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      assert.ok(['get', 'post', 'put', 'patch', 'delete'].includes(method), `${path}: ${method}`);
      assert.ok(op.operationId && !operationIds.has(op.operationId), `${method} ${path}: a unique operationId`);
      operationIds.add(op.operationId);
      assert.ok(op.summary && op.tags.length === 1 && doc.tags.some((t) => t.name === op.tags[0]), `${method} ${path}: summary and a declared tag`);
      assert.ok(Array.isArray(op.security), `${method} ${path}: security is explicit`);
      for (const req of op.security) for (const name of Object.keys(req)) assert.ok(schemes.has(name), `${method} ${path}: unknown scheme ${name}`);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(declared.sort(), [...pathParams].sort(), `${method} ${path}: path parameters`);
      assert.ok(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${method} ${path}: a success response`);
      for (const [status, r] of Object.entries(op.responses)) {
        assert.ok(r.description, `${method} ${path} ${status}: a description`);
        if (Number(status) >= 400) {
          assert.equal(r.content?.['application/json']?.schema?.$ref, '#/components/schemas/Error', `${method} ${path} ${status}: the error body`);
          for (const c of r['x-error-codes'] ?? []) assert.ok(SERVER_ERROR_CODES.includes(c as ErrorCode), `${method} ${path}: ${c} is a server error code`);
        }
      }
      if (op.security.length > 0) assert.ok(op.responses['401'], `${method} ${path}: needs credentials, so documents 401`);
    }
  }

  // The error body's code enum is protocol/error-codes.ts (less what only the widget raises).
  const error = schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
  const codes = error.properties.error.properties.code.enum;
  assert.ok(codes.includes(ErrorCode.StreamFull) && codes.includes(ErrorCode.Unauthorized));
  assert.ok(!codes.includes(ErrorCode.ServerUnreachable));

  // Request bodies come from the routes' zod schemas.
  const streamInput = schemas.StreamInput as { required: string[]; additionalProperties: boolean; properties: Record<string, { maximum?: number }> };
  assert.deepEqual(streamInput.required.sort(), ['source', 'title']);
  assert.equal(streamInput.additionalProperties, false);
  assert.equal(streamInput.properties.maxViewers!.maximum, 100_000);
  const op = doc.paths['/api/v1/streams/{id}/playback']!.get!;
  assert.deepEqual(op.security, [{ viewerToken: [] }, { viewerTokenQuery: [] }]);
  assert.ok(op.responses['403']!['x-error-codes']!.includes(ErrorCode.StreamFull));
});

test('every route registered on the app is documented (and nothing else)', async () => {
  const { doc } = await fetchDoc();
  const routes = registeredRoutes().filter((r) => r.path !== '/favicon.ico');
  assert.ok(routes.length > 30, `found ${routes.length} routes`);
  assert.ok(routes.some((r) => r.path === '/api/v1/streams/{id}/analytics' && r.method === 'get'), 'the walk reaches mounted routers');
  const missing = routes.filter((r) => !doc.paths[r.path]?.[r.method as HttpMethod]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
  assert.deepEqual(missing, [], 'routes without an operation in backend/http/openapi.ts');

  // The other way: every documented API operation exists (the static /fitlive.js aside).
  const registered = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const ghosts = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`)).filter((k) => !registered.has(k) && k !== 'get /fitlive.js');
  assert.deepEqual(ghosts, [], 'documented operations with no route');

  // Production (no dev routes) leaves the dev endpoints out.
  const prod = buildOpenApiDocument({ dev: false });
  assert.equal(prod.paths['/api/dev/token'], undefined);
  assert.ok(prod.paths['/api/v1/streams']);
});

test('GET /api/docs: a server-rendered page listing every path, everything escaped, its own strict CSP', async () => {
  const res = await fetch(`${server.url}/api/docs`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(csp, /unsafe-inline|script-src/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const html = await res.text();

  assert.doesNotMatch(html, /<script|\son\w+=|javascript:/i, 'no scripts');
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//i, 'no external resources');
  assert.match(html, /href="\/api\/docs\/openapi\.json"/);
  // The hashed stylesheet is the one on the page.
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  const { createHash } = await import('node:crypto');
  assert.ok(csp.includes(`'sha256-${createHash('sha256').update(style).digest('base64')}'`));

  const { doc } = await fetchDoc();
  for (const [path, item] of Object.entries(doc.paths)) {
    assert.ok(html.includes(`<span class="path">${path}</span>`), `${path} is listed`);
    for (const [method, op] of Object.entries(item)) assert.ok(html.includes(`id="${op.operationId.toLowerCase()}"`), `${method} ${path} has a section`);
  }
  for (const t of doc.tags) assert.ok(html.includes(`>${t.name.replace('&', '&amp;')}</h2>`), `tag ${t.name}`);
  // Descriptions mention <fit-live-stream>: shown as text.
  assert.ok(html.includes('&lt;fit-live-stream&gt;'));
  assert.ok(!html.includes('<fit-live-stream>'));

  // Whatever the document says is escaped.
  const evil = buildOpenApiDocument({ dev: false });
  evil.info.title = '<script>alert(1)</script>';
  evil.paths['/api/x/{"><img src=x onerror=alert(1)>}'] = { get: { ...evil.paths['/healthz']!.get!, operationId: '"><b>', summary: '<img src=x onerror=alert(2)>', description: "`<i>` & 'q'" } };
  const page = renderDocsHtml(evil);
  assert.doesNotMatch(page, /<script|<img|<b>|<i>/);
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(page.includes('&lt;img src=x onerror=alert(2)&gt;'));
  assert.ok(page.includes('<code>&lt;i&gt;</code> &amp; &#39;q&#39;'));
});
