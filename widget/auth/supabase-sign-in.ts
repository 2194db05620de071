import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';

/** The part of supabase-js's auth client this uses (the library is loaded only when a sign-in is shown). */
interface AuthClient {
  getSession(): Promise<{ data: { session: Session | null } }>;
  signInWithPassword(c: { email: string; password: string }): Promise<{ data: { session: Session | null }; error: { message: string } | null }>;
  signInWithOtp(c: { email: string; options?: { shouldCreateUser?: boolean } }): Promise<{ error: { message: string } | null }>;
  verifyOtp(c: { email: string; token: string; type: 'email' }): Promise<{ data: { session: Session | null }; error: { message: string } | null }>;
  signOut(): Promise<unknown>;
}
interface Session {
  access_token: string;
  user: { id: string; email?: string };
}
export type CreateAuthClient = (url: string, anonKey: string) => Promise<AuthClient>;

export type SignInPhase = 'loading' | 'signed-out' | 'working' | 'code-sent' | 'signed-in' | 'error';

export interface SignInState {
  phase: SignInPhase;
  /** The address a code was sent to. */
  email: string | undefined;
  /** Who is signed in (after the backend accepted them for this class or stream). */
  user: { id: string; displayName: string } | undefined;
  /** The last problem, in plain words. */
  error: ErrorBody | undefined;
}

export interface SupabaseSignInOptions {
  supabaseUrl: string;
  anonKey: string;
  /** The FitLive backend. */
  server: string;
  /** What the member signs in for: a class seat (with a role) or a stream. */
  target: { classId: string; role?: 'coach' | 'member' } | { streamId: string };
  /** For tests: how the auth client is made (default: supabase-js, loaded on demand). */
  createClient?: CreateAuthClient;
  /** How long before a join token runs out a fresh one is fetched. */
  renewAheadMs?: number;
}

/**
 * supabase-js, as its own chunk: only pages that show a sign-in download it. One client per
 * project on a page, shared by every element (one session, one refresh timer, one storage key).
 */
const clients = new Map<string, Promise<AuthClient>>();
const loadSupabase: CreateAuthClient = (url, anonKey) => {
  const key = `${url}\n${anonKey}`;
  let client = clients.get(key);
  if (!client) {
    client = import('@supabase/supabase-js').then(
      ({ createClient }) => createClient(url, anonKey, { auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true } }).auth as unknown as AuthClient,
    );
    client.catch(() => clients.delete(key));
    clients.set(key, client);
  }
  return client;
};

/**
 * Signing a member in with the club's Supabase project, DOM-free: email and password, or a code
 * sent by email; then the Supabase session is exchanged at the backend for a short join (or viewer)
 * token, and exchanged again shortly before that token runs out (supabase-js keeps its own session
 * fresh). Fires `change`, `token` (detail `{ token, expiresAt }`) for each token, and
 * `signed-out` when the person signs out or their session ends (the element drops its token).
 */
export class SupabaseSignIn extends EventTarget {
  state: SignInState = { phase: 'loading', email: undefined, user: undefined, error: undefined };
  private auth: AuthClient | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: SupabaseSignInOptions) {
    super();
  }

  private set(patch: Partial<SignInState>): void {
    this.state = { ...this.state, ...patch };
    if (!this.disposed) this.dispatchEvent(new Event('change'));
  }

  private ready: Promise<void> | undefined;

  /** Loads the auth client; a session kept from an earlier visit signs in at once. */
  start(): Promise<void> {
    this.ready ??= this.load();
    return this.ready;
  }

  private async load(): Promise<void> {
    try {
      this.auth = await (this.options.createClient ?? loadSupabase)(this.options.supabaseUrl, this.options.anonKey);
      const { session } = (await this.auth.getSession()).data;
      if (session) await this.exchange(session);
      else this.set({ phase: 'signed-out' });
    } catch (err) {
      this.fail(err);
    }
  }

  async signInWithPassword(email: string, password: string): Promise<void> {
    await this.run(async (auth) => {
      const { data, error } = await auth.signInWithPassword({ email: email.trim(), password });
      if (error || !data.session) throw new SignInError(ErrorCode.Unauthorized, error?.message || 'Wrong email or password.');
      await this.exchange(data.session);
    });
  }

  /** Emails a one-time code (existing members only: nobody signs up from a class page). */
  async sendCode(email: string): Promise<void> {
    await this.run(async (auth) => {
      const { error } = await auth.signInWithOtp({ email: email.trim(), options: { shouldCreateUser: false } });
      if (error) throw new SignInError(ErrorCode.BadRequest, error.message);
      this.set({ phase: 'code-sent', email: email.trim() });
    });
  }

  async verifyCode(code: string): Promise<void> {
    const email = this.state.email;
    if (!email) return;
    await this.run(async (auth) => {
      const { data, error } = await auth.verifyOtp({ email, token: code.trim(), type: 'email' });
      if (error || !data.session) throw new SignInError(ErrorCode.Unauthorized, error?.message || 'That code did not work. Check it, or ask for a new one.');
      await this.exchange(data.session);
    }, 'code-sent');
  }

  async signOut(): Promise<void> {
    this.clearRenew();
    await this.auth?.signOut().catch(() => undefined);
    this.set({ phase: 'signed-out', user: undefined, email: undefined, error: undefined });
    this.dispatchEvent(new Event('signed-out'));
  }

  /** Back from "enter the code" to the email form. */
  restart(): void {
    this.set({ phase: 'signed-out', email: undefined, error: undefined });
  }

  private async run(fn: (auth: AuthClient) => Promise<void>, onError: SignInPhase = 'signed-out'): Promise<void> {
    this.set({ phase: 'working', error: undefined });
    await this.start();
    if (!this.auth) return this.set({ phase: 'error', error: this.state.error ?? { code: ErrorCode.Internal, message: 'Sign-in is not available right now.' } });
    try {
      await fn(this.auth);
    } catch (err) {
      this.set({ phase: onError, error: toBody(err) });
    }
  }

  /** The Supabase session → a FitLive token for the target; then again before it expires. */
  private async exchange(session: Session): Promise<void> {
    const res = await fetch(`${this.options.server.replace(/\/+$/, '')}/api/v1/auth/exchange`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(this.options.target),
    });
    const body = (await res.json().catch(() => ({}))) as { token?: string; expiresAt?: number; identity?: string; displayName?: string; error?: ErrorBody };
    if (!res.ok || !body.token) throw new SignInError(body.error?.code ?? ErrorCode.Internal, signInErrorMessage(body.error));
    this.set({ phase: 'signed-in', user: { id: body.identity ?? session.user.id, displayName: body.displayName ?? '' }, error: undefined });
    this.dispatchEvent(new CustomEvent('token', { detail: { token: body.token, expiresAt: body.expiresAt } }));
    this.clearRenew();
    const ahead = this.options.renewAheadMs ?? 60_000;
    this.renewTimer = setTimeout(() => void this.renew(), Math.max(5_000, (body.expiresAt ?? Date.now()) - Date.now() - ahead));
  }

  private async renew(): Promise<void> {
    if (this.disposed || !this.auth) return;
    try {
      const { session } = (await this.auth.getSession()).data;
      if (!session) {
        this.set({ phase: 'signed-out', user: undefined, error: { code: ErrorCode.TokenExpired, message: 'Your sign-in ended. Sign in again to go on.' } });
        this.dispatchEvent(new Event('signed-out'));
        return;
      }
      await this.exchange(session);
    } catch (err) {
      // Try again in a little while: the class goes on until the current token ends.
      this.set({ error: toBody(err) });
      this.renewTimer = setTimeout(() => void this.renew(), 10_000);
    }
  }

  private fail(err: unknown): void {
    this.set({ phase: 'error', error: toBody(err) });
  }

  private clearRenew(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearRenew();
  }
}

class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Plain words for the backend's refusals of a signed-in person. */
export function signInErrorMessage(err: ErrorBody | undefined): string {
  switch (err?.code) {
    case ErrorCode.Forbidden:
      return err.message.includes('staff') ? 'Only the club’s coaches can teach this class.' : 'This account is not a member of the club.';
    case ErrorCode.TokenExpired:
      return 'Your sign-in has expired. Sign in again.';
    case ErrorCode.TokenInvalid:
    case ErrorCode.Unauthorized:
      return 'This sign-in is not valid for the club.';
    case ErrorCode.OriginNotAllowed:
      return 'This site may not sign in to the club.';
    case ErrorCode.ClassNotFound:
      return 'This class does not exist.';
    case ErrorCode.StreamNotFound:
      return 'This stream does not exist.';
    default:
      return err?.message ?? 'Signing in failed. Try again.';
  }
}

function toBody(err: unknown): ErrorBody {
  const e = err as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : ErrorCode.Internal, message: typeof e?.message === 'string' ? e.message : 'Signing in failed. Try again.' };
}
