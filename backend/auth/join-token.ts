import { SignJWT, decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { ErrorCode } from '../../protocol/errors.js';
import { roleSchema, type Role } from '../../protocol/participants.js';
import { AppError } from '../errors.js';
import { stripDisguising } from '../input-guards.js';

/**
 * Join tokens: HS256 JWTs a club's server signs with the club's join secret.
 * Claims: `club`, `class`, `role`, `name` (display name), `sub` (the member's identity in the
 * club), `iat`, `exp`, and optionally `mod: true` (a chat moderator). Any language's JWT library
 * can mint one.
 */
/** A display name from a token: what would pose as other text (bidi overrides, zero-width marks) is dropped. */
export const displayNameSchema = z
  .string()
  .max(200)
  .transform((name) => stripDisguising(name).trim())
  .pipe(z.string().min(1).max(80));

/**
 * A token may not outlive the server's maximum lifetime, however its issuer set it, nor claim to
 * be issued in the future (which would stretch that lifetime from now). `why` names the failure.
 */
export function lifetimeProblem(c: { iat?: number | undefined; exp: number }, maxTtlSeconds: number, toleranceSeconds = 5): string | undefined {
  const now = Math.floor(Date.now() / 1000);
  if (c.iat !== undefined && c.iat > now + toleranceSeconds) return 'issued in the future';
  if (c.exp - (c.iat ?? now) > maxTtlSeconds) return `lifetime exceeds ${maxTtlSeconds} s`;
  return undefined;
}

export const joinClaimsSchema = z.object({
  club: z.string().min(1).max(128),
  class: z.string().min(1).max(128),
  role: roleSchema,
  name: displayNameSchema,
  sub: z.string().min(1).max(256),
  mod: z.boolean().optional(),
  iat: z.number().int().optional(),
  exp: z.number().int(),
});
export type JoinClaims = z.infer<typeof joinClaimsSchema>;

export interface JoinIdentity {
  clubId: string;
  classId: string;
  role: Role;
  displayName: string;
  identity: string;
  /** May delete messages and mute chat (a coach always may). */
  moderator: boolean;
  expiresAt: number;
}

const encoder = new TextEncoder();

export async function signJoinToken(
  claims: { club: string; class: string; role: Role; name: string; sub: string; mod?: boolean },
  secret: string,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({ club: claims.club, class: claims.class, role: claims.role, name: claims.name, ...(claims.mod ? { mod: true } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encoder.encode(secret));
}

const invalid = (why: string) => new AppError(ErrorCode.TokenInvalid, `Join token is invalid: ${why}`, 401);

/**
 * Verifies a join token against its club's secret. The club named inside the (still untrusted)
 * token only selects which secret to check the signature with.
 */
export async function verifyJoinToken(
  token: string,
  clubSecret: (clubId: string) => Promise<string | undefined>,
  opts: { maxTtlSeconds: number; clockToleranceSeconds?: number },
): Promise<JoinIdentity> {
  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw invalid('not a JWT');
  }
  const clubId = typeof unverified.club === 'string' ? unverified.club : undefined;
  if (!clubId) throw invalid('no club claim');
  const secret = await clubSecret(clubId);
  if (!secret) throw invalid('unknown club');

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, encoder.encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      clockTolerance: opts.clockToleranceSeconds ?? 5,
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new AppError(ErrorCode.TokenExpired, 'Join token has expired', 401);
    throw invalid(err instanceof joseErrors.JWSSignatureVerificationFailed ? 'bad signature' : 'rejected');
  }
  const claims = joinClaimsSchema.safeParse(payload);
  if (!claims.success) throw invalid(claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const c = claims.data;
  const problem = lifetimeProblem(c, opts.maxTtlSeconds, opts.clockToleranceSeconds ?? 5);
  if (problem) throw invalid(problem);
  return { clubId: c.club, classId: c.class, role: c.role, displayName: c.name, identity: c.sub, moderator: c.mod ?? false, expiresAt: c.exp };
}
