import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import type { FitClassRoom } from '../../widget/index.js';
import { SupabaseSignIn } from '../../widget/auth/supabase-sign-in.js';
import { backendUrl, byTestId, mount, until } from './helpers.js';

/*
 * Signing in with Supabase Auth in <fit-class-room>, in real Chromium against the real backend.
 * Supabase's hosted Auth service cannot run here: test/widget/gotrue-stand-in.mjs answers the
 * calls supabase-js makes, with tokens signed as Supabase signs them; everything after that
 * (supabase-js itself, the exchange, the membership check, the join) is real.
 */

const SUPABASE = `${location.origin}/__supabase`;

/** Signs the page's (shared) Supabase client out through the element, then removes it. */
async function dismiss(el: Element): Promise<void> {
  await (el as unknown as { signIn?: SupabaseSignIn }).signIn?.signOut();
  el.remove();
  localStorage.clear();
}

afterEach(async () => {
  for (const el of document.querySelectorAll('fit-class-room, fit-live-stream')) await dismiss(el);
});

const input = (el: FitClassRoom, id: string) => byTestId(el, id) as HTMLInputElement;
async function fill(el: FitClassRoom, fields: Record<string, string>) {
  for (const [id, v] of Object.entries(fields)) {
    const i = await until(() => input(el, id), 10_000, id);
    i.value = v;
  }
  // Disabled while supabase-js loads or a request is on its way, as a person would see it.
  const submit = await until(() => {
    const b = byTestId(el, 'sign-in-submit') as HTMLButtonElement | null;
    return b && !b.disabled ? b : undefined;
  }, 10_000, 'the submit button');
  submit.click();
}

describe('<fit-class-room> with a Supabase sign-in', () => {
  it('a member signs in with email and password, joins as themselves, and a later token renews the session', async () => {
    const el = await mount({ server: backendUrl, 'class-id': 'demo-hiit', 'supabase-url': SUPABASE, 'supabase-anon-key': 'anon-public-key' });
    expect(byTestId(el, 'join-button'), 'no join button before signing in').to.equal(null);
    await fill(el, { 'sign-in-email': 'ana@example.com', 'sign-in-password': 'ana-password-1' });
    await until(() => byTestId(el, 'join-button'), 10_000, 'the join button after signing in').catch((err: Error) => {
      throw new Error(`${err.message}; sign-in state ${JSON.stringify((el as unknown as { signIn?: { state: unknown } }).signIn?.state)}; form ${el.shadowRoot!.querySelector('.lobby')?.textContent?.replace(/\s+/g, ' ')}`);
    });
    expect(byTestId(el, 'signed-in')?.textContent).to.contain('Ana Supa');
    expect(el.token.split('.')).to.have.length(3);
    (byTestId(el, 'join-button') as HTMLButtonElement).click();
    await until(() => el.room?.state.phase === 'joined', 20_000, 'joined');
    expect(el.room!.state.self!.displayName).to.equal('Ana Supa');
    expect(el.room!.state.self!.role).to.equal('member');
    const expiresAt = await el.room!.renewSession(el.token);
    expect(expiresAt).to.be.greaterThan(Date.now() + 60_000);
    await el.leave();
  });

  it('a member signs in with a code sent by email; a wrong code and a wrong password are told plainly', async () => {
    const el = await mount({ server: backendUrl, 'class-id': 'demo-hiit', 'supabase-url': SUPABASE, 'supabase-anon-key': 'anon-public-key' });
    await fill(el, { 'sign-in-email': 'ana@example.com', 'sign-in-password': 'wrong' });
    const error = await until(() => byTestId(el, 'sign-in-error'), 10_000, 'an error');
    expect(error.textContent).to.match(/invalid login credentials/i);
    (byTestId(el, 'sign-in-mode') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(byTestId(el, 'sign-in-password')).to.equal(null);
    await fill(el, { 'sign-in-email': 'ana@example.com' });
    await until(() => byTestId(el, 'sign-in-code'), 10_000, 'the code field');
    await fill(el, { 'sign-in-code': '000000' });
    await until(() => byTestId(el, 'sign-in-error'), 10_000, 'a code error');
    await fill(el, { 'sign-in-code': '246810' });
    await until(() => byTestId(el, 'join-button'), 10_000, 'signed in with the code');
  });

  it('someone who is not in the club, or a member asking to coach, is refused with a clear message', async () => {
    const stranger = await mount({ server: backendUrl, 'class-id': 'demo-hiit', 'supabase-url': SUPABASE, 'supabase-anon-key': 'anon-public-key' });
    await fill(stranger, { 'sign-in-email': 'zed@example.com', 'sign-in-password': 'zed-password-1' });
    const err = await until(() => byTestId(stranger, 'sign-in-error'), 10_000, 'refused');
    expect(err.textContent).to.contain('not a member of the club');
    expect(byTestId(stranger, 'join-button')).to.equal(null);
    await dismiss(stranger);

    const member = await mount({ server: backendUrl, 'class-id': 'demo-hiit', 'sign-in-role': 'coach', 'supabase-url': SUPABASE, 'supabase-anon-key': 'anon-public-key' });
    await fill(member, { 'sign-in-email': 'ana@example.com', 'sign-in-password': 'ana-password-1' });
    expect((await until(() => byTestId(member, 'sign-in-error'), 10_000, 'refused')).textContent).to.contain('Only the club’s coaches');
    await dismiss(member);

    const coach = await mount({ server: backendUrl, 'class-id': 'demo-hiit', 'sign-in-role': 'coach', 'supabase-url': SUPABASE, 'supabase-anon-key': 'anon-public-key' });
    await fill(coach, { 'sign-in-email': 'sam@example.com', 'sign-in-password': 'sam-password-1' });
    await until(() => byTestId(coach, 'join-button'), 10_000, 'staff may coach');
    expect(JSON.parse(atob(coach.token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).role).to.equal('coach');
  });
});

describe('<fit-live-stream> with a Supabase sign-in', () => {
  it('a viewer signs in, gets a viewer token for the club’s stream, and the player asks the real backend what to play', async () => {
    const el = document.createElement('fit-live-stream');
    for (const [k, v] of Object.entries({ server: backendUrl, 'stream-id': 'demo-hiit-live', 'supabase-url': SUPABASE, 'supabase-anon-key': 'anon-public-key' })) el.setAttribute(k, v);
    document.body.append(el);
    await el.updateComplete;
    const overlay = await until(() => el.shadowRoot!.querySelector('[data-state="sign-in"]'), 10_000, 'the sign-in overlay');
    expect(overlay).to.exist;
    await fill(el as unknown as FitClassRoom, { 'sign-in-email': 'ana@example.com', 'sign-in-password': 'ana-password-1' });
    await until(() => el.token, 10_000, 'a viewer token');
    expect(JSON.parse(atob(el.token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).stream).to.equal('demo-hiit-live');
    // Not live in the test backend: the real playback answer says so.
    await until(() => el.getAttribute('state') === 'idle', 10_000, 'the stream state from the backend');
    // Signing out stops the player and brings the sign-in back.
    await (el as unknown as { signIn: SupabaseSignIn }).signIn.signOut();
    await until(() => !el.token && el.shadowRoot!.querySelector('[data-state="sign-in"]'), 10_000, 'signed out');
  });
});

describe('the Supabase sign-in model', () => {
  it('exchanges the session again before the join token runs out, on its own', async () => {
    // The backend's tokens live 15 min; asking 899.5 min ahead puts the renewal at its 5 s floor.
    const signIn = new SupabaseSignIn({ supabaseUrl: SUPABASE, anonKey: 'anon-public-key', server: backendUrl, target: { classId: 'demo-hiit' }, renewAheadMs: 899_500 });
    const tokens: string[] = [];
    signIn.addEventListener('token', (e) => tokens.push((e as CustomEvent<{ token: string }>).detail.token));
    await signIn.start();
    await signIn.signInWithPassword('ana@example.com', 'ana-password-1');
    expect(tokens).to.have.length(1);
    await until(() => tokens.length >= 2, 12_000, 'a renewed token');
    const claims = tokens.map((t) => JSON.parse(atob(t.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub: string; exp: number });
    expect(claims[1]!.sub).to.equal(claims[0]!.sub);
    expect(claims[1]!.exp).to.be.greaterThan(claims[0]!.exp);
    await signIn.signOut();
    signIn.dispose();
    localStorage.clear();
  });
});
