import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { signJoinToken, verifyJoinToken } from '../../backend/auth/join-token.js';
import { AppError } from '../../backend/errors.js';

const secrets: Record<string, string> = { club1: 'club-one-secret-that-is-long-enough', club2: 'club-two-secret-that-is-long-enough' };
const lookup = async (id: string) => secrets[id];
const opts = { maxTtlSeconds: 3600 };
const claims = { club: 'club1', class: 'hiit', role: 'member' as const, name: 'Ana', sub: 'user-42' };

async function rejects(token: string, code: string) {
  await assert.rejects(verifyJoinToken(token, lookup, opts), (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, code);
    return true;
  });
}

describe('join tokens', () => {
  test('a token signed with the club secret verifies to its claims', async () => {
    const token = await signJoinToken(claims, secrets.club1!, 600);
    const id = await verifyJoinToken(token, lookup, opts);
    assert.deepEqual(
      { clubId: id.clubId, classId: id.classId, role: id.role, displayName: id.displayName, identity: id.identity },
      { clubId: 'club1', classId: 'hiit', role: 'member', displayName: 'Ana', identity: 'user-42' },
    );
    assert.ok(id.expiresAt > Date.now() / 1000);
  });

  test('another club’s secret, tampering, junk and unknown clubs are refused', async () => {
    await rejects(await signJoinToken(claims, secrets.club2!, 600), 'token_invalid');
    const good = await signJoinToken(claims, secrets.club1!, 600);
    const [h, p, s] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'coach' })).toString('base64url');
    await rejects(`${h}.${forged}.${s}`, 'token_invalid');
    await rejects('not-a-jwt', 'token_invalid');
    await rejects(await signJoinToken({ ...claims, club: 'nope' }, 'whatever', 600), 'token_invalid');
  });

  test('expired tokens say so', async () => {
    const key = new TextEncoder().encode(secrets.club1);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ club: 'club1', class: 'hiit', role: 'member', name: 'Ana' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuedAt(now - 700)
      .setExpirationTime(now - 100)
      .sign(key);
    await rejects(token, 'token_expired');
  });

  test('lifetimes beyond the maximum, missing exp, bad roles and alg=none are refused', async () => {
    await rejects(await signJoinToken(claims, secrets.club1!, 7200), 'token_invalid');
    const key = new TextEncoder().encode(secrets.club1);
    const noExp = await new SignJWT({ club: 'club1', class: 'hiit', role: 'member', name: 'Ana' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').sign(key);
    await rejects(noExp, 'token_invalid');
    await rejects(await signJoinToken({ ...claims, role: 'admin' as never }, secrets.club1!, 600), 'token_invalid');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, exp: 9e9 })).toString('base64url')}.`;
    await rejects(none, 'token_invalid');
  });

  test('a token issued in the future is refused (it would stretch the lifetime cap from now)', async () => {
    const key = new TextEncoder().encode(secrets.club1);
    const now = Math.floor(Date.now() / 1000);
    const future = await new SignJWT({ club: 'club1', class: 'hiit', role: 'member', name: 'Ana' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuedAt(now + 365 * 86_400)
      .setExpirationTime(now + 365 * 86_400 + 600)
      .sign(key);
    await rejects(future, 'token_invalid');
    // Within the clock tolerance (a few seconds of skew) is fine.
    const skewed = await new SignJWT({ club: 'club1', class: 'hiit', role: 'member', name: 'Ana' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuedAt(now + 2).setExpirationTime(now + 600).sign(key);
    assert.equal((await verifyJoinToken(skewed, lookup, opts)).identity, 'u');
  });

  test('display names lose bidi overrides, zero-width and control characters; a name of nothing but those is refused', async () => {
    const id = await verifyJoinToken(await signJoinToken({ ...claims, name: '\u202eAna\u200b \u2066Coach\u2069\u0007' }, secrets.club1!, 600), lookup, opts);
    assert.equal(id.displayName, 'Ana Coach');
    await rejects(await signJoinToken({ ...claims, name: '\u202e\u200b\u2066' }, secrets.club1!, 600), 'token_invalid');
  });
});
