import crypto from 'node:crypto';

/**
 * Club API keys: `flk_<id>_<secret>`. The id finds the row; only a hash of the secret is stored,
 * so a leaked database does not leak working keys. The whole key is shown once, when made.
 */
export interface NewApiKey {
  id: string;
  key: string;
  secretHash: string;
}

export const hashSecret = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');

export function makeApiKey(): NewApiKey {
  const id = crypto.randomBytes(6).toString('hex');
  const secret = crypto.randomBytes(24).toString('base64url');
  return { id, key: `flk_${id}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const m = /^flk_([0-9a-f]{12})_([A-Za-z0-9_-]{20,64})$/.exec(key);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
