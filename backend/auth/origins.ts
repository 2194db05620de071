/**
 * Whether a browser page at `origin` may use a club's classes. The backend's own pages (same
 * host) always may; other sites only when the club lists them. Requests without an Origin come
 * from servers and native apps, which a token alone admits.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host === host) return true;
  return allowed.some((a) => a === '*' || a.replace(/\/$/, '') === parsed.origin);
}
