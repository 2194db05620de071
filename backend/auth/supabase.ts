import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ErrorCode } from '../../protocol/error-codes.js';
import { AppError } from '../errors.js';

/** Who a Supabase access token says the caller is. */
export interface SupabaseUser {
  userId: string;
  email: string | undefined;
  /** From user_metadata (full_name, name) or the email's local part. */
  displayName: string;
  expiresAt: number;
}

export interface SupabaseAuthSettings {
  /** The project's JWT secret (HS256, older projects and self-hosting). */
  jwtSecret?: string | undefined;
  /** The project's JWKS (asymmetric signing keys): `https://<project>.supabase.co/auth/v1/.well-known/jwks.json`. */
  jwksUrl?: string | undefined;
  /** Expected `iss`, e.g. `https://<project>.supabase.co/auth/v1` (checked when set). */
  issuer?: string | undefined;
}

const encoder = new TextEncoder();

/**
 * Verifies Supabase Auth access tokens the way Supabase issues them: a JWT with `sub` (the user
 * id), `aud: "authenticated"`, `role: "authenticated"`, `exp`, signed HS256 with the project's
 * secret or with a key from its JWKS (ES256/RS256). Only the project's own algorithms are
 * accepted, so a token signed with "none" or with the other kind of key is refused.
 */
export class SupabaseAuth {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly settings: SupabaseAuthSettings) {
    if (settings.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
      this.algorithms = ['ES256', 'RS256', 'EdDSA'];
    } else if (settings.jwtSecret) {
      this.key = encoder.encode(settings.jwtSecret);
      this.algorithms = ['HS256'];
    } else throw new Error('SupabaseAuth needs a JWT secret or a JWKS URL');
  }

  async verify(token: string): Promise<SupabaseUser> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key as never, {
        algorithms: this.algorithms,
        audience: 'authenticated',
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 5,
        ...(this.settings.issuer ? { issuer: this.settings.issuer } : {}),
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new AppError(ErrorCode.TokenExpired, 'The sign-in has expired; sign in again', 401);
      throw new AppError(ErrorCode.TokenInvalid, 'The sign-in token is not valid for this club', 401);
    }
    if (payload.role !== 'authenticated' || typeof payload.sub !== 'string' || !payload.sub) {
      throw new AppError(ErrorCode.TokenInvalid, 'The sign-in token is not a signed-in user', 401);
    }
    const meta = (payload.user_metadata ?? {}) as Record<string, unknown>;
    const email = typeof payload.email === 'string' ? payload.email : undefined;
    const named = [meta.full_name, meta.name, meta.display_name].find((v): v is string => typeof v === 'string' && v.trim().length > 0);
    const displayName = (named ?? email?.split('@')[0] ?? 'Member').trim().slice(0, 80);
    return { userId: payload.sub, email, displayName, expiresAt: Number(payload.exp) };
  }
}
