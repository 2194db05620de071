// A stand-in for Supabase's hosted Auth service (GoTrue), which cannot run here: the few endpoints
// supabase-js calls for email + password and email-code sign-in, answering as GoTrue does and
// signing access tokens exactly as Supabase does (HS256 with the project's JWT secret). Served by
// the test server under /__supabase/auth/v1/… (the page's own origin).
import { SignJWT } from 'jose';

export const SUPABASE_TEST_SECRET = 'wtr-supabase-jwt-secret-0123456789abcdef';
export const SUPABASE_TEST_USERS = {
  'ana@example.com': { id: '5b1e0c2e-1111-4a4a-9c9c-000000000001', password: 'ana-password-1', name: 'Ana Supa', code: '246810' },
  'sam@example.com': { id: '5b1e0c2e-2222-4a4a-9c9c-000000000002', password: 'sam-password-1', name: 'Coach Sam', code: '135791' },
  'zed@example.com': { id: '5b1e0c2e-3333-4a4a-9c9c-000000000003', password: 'zed-password-1', name: 'Zed Stranger', code: '999999' },
};

async function session(email) {
  const u = SUPABASE_TEST_USERS[email];
  const now = Math.floor(Date.now() / 1000);
  const user = { id: u.id, aud: 'authenticated', role: 'authenticated', email, app_metadata: { provider: 'email', providers: ['email'] }, user_metadata: { full_name: u.name }, created_at: new Date().toISOString() };
  const access_token = await new SignJWT({ aud: 'authenticated', email, phone: '', app_metadata: user.app_metadata, user_metadata: user.user_metadata, role: 'authenticated', aal: 'aal1', session_id: crypto.randomUUID(), is_anonymous: false })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(u.id)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(SUPABASE_TEST_SECRET));
  return { access_token, token_type: 'bearer', expires_in: 3600, expires_at: now + 3600, refresh_token: `refresh-${email}`, user };
}

const readBody = (req) =>
  new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data ? JSON.parse(data) : {}));
  });

/** Koa middleware for the test server (web-test-runner's `middleware`). */
export async function gotrueStandIn(ctx, next) {
  if (!ctx.path.startsWith('/__supabase/auth/v1/')) return next();
  const route = ctx.path.slice('/__supabase/auth/v1'.length);
  const grant = new URLSearchParams(ctx.querystring).get('grant_type');
  const body = ctx.method === 'POST' ? await readBody(ctx.req) : {};
  const answer = (status, payload) => {
    ctx.status = status;
    if (payload === undefined) return;
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(payload);
  };
  const fail = (status, code, msg) => answer(status, { code: status, error_code: code, msg });
  if (route === '/token' && grant === 'password') {
    const u = SUPABASE_TEST_USERS[body.email];
    return u && u.password === body.password ? answer(200, await session(body.email)) : fail(400, 'invalid_credentials', 'Invalid login credentials');
  }
  if (route === '/token' && grant === 'refresh_token') {
    const email = String(body.refresh_token ?? '').replace(/^refresh-/, '');
    return SUPABASE_TEST_USERS[email] ? answer(200, await session(email)) : fail(400, 'refresh_token_not_found', 'Invalid Refresh Token');
  }
  if (route === '/otp') return SUPABASE_TEST_USERS[body.email] ? answer(200, {}) : fail(422, 'otp_disabled', 'Signups not allowed for otp');
  if (route === '/verify') {
    const u = SUPABASE_TEST_USERS[body.email];
    return u && body.token === u.code ? answer(200, await session(body.email)) : fail(403, 'otp_expired', 'Token has expired or is invalid');
  }
  if (route === '/logout') return answer(204);
  return fail(404, 'not_found', 'No such endpoint in the stand-in');
}
