import { SignJWT, decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { ErrorCode } from '../../protocol/error-codes.js';
import { AppError } from '../errors.js';
import { displayNameSchema, lifetimeProblem } from './join-token.js';

/**
 * Viewer tokens for broadcasts: HS256 JWTs signed with the club's join secret, like join tokens,
 * but for a stream and the `viewer` role only. Claims: `club`, `stream`, `role: 'viewer'`, `name`,
 * `sub`, `iat`, `exp`.
 */
const viewerClaimsSchema = z.object({
  club: z.string().min(1).max(128),
  stream: z.string().min(1).max(128),
  role: z.literal('viewer'),
  name: displayNameSchema,
  sub: z.string().min(1).max(256),
  iat: z.number().int().optional(),
  exp: z.number().int(),
});

export interface Viewer {
  clubId: string;
  streamId: string;
  identity: string;
  displayName: string;
  expiresAt: number;
}

const encoder = new TextEncoder();
const invalid = (why: string) => new AppError(ErrorCode.TokenInvalid, `Viewer token is invalid: ${why}`, 401);

export function signViewerToken(c: { club: string; stream: string; name: string; sub: string }, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ club: c.club, stream: c.stream, role: 'viewer', name: c.name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(c.sub)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encoder.encode(secret));
}

export async function verifyViewerToken(token: string, clubSecret: (clubId: string) => Promise<string | undefined>, maxTtlSeconds: number): Promise<Viewer> {
  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw invalid('not a JWT');
  }
  const secret = typeof unverified.club === 'string' ? await clubSecret(unverified.club) : undefined;
  if (!secret) throw invalid('unknown club');
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], clockTolerance: 5 }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new AppError(ErrorCode.TokenExpired, 'Viewer token has expired', 401);
    throw invalid('rejected');
  }
  const parsed = viewerClaimsSchema.safeParse(payload);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const c = parsed.data;
  const problem = lifetimeProblem(c, maxTtlSeconds);
  if (problem) throw invalid(problem);
  return { clubId: c.club, streamId: c.stream, identity: c.sub, displayName: c.name, expiresAt: c.exp };
}
