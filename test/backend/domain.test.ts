import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isOriginAllowed } from '../../backend/auth/origins.js';
import { ClassSession } from '../../backend/classes/class-session.js';
import { ConfigError, loadConfig } from '../../backend/config.js';

describe('ClassSession', () => {
  const coach = { id: 'c1', identity: 'sam', role: 'coach' as const, displayName: 'Coach Sam' };
  const ana = { id: 'm1', identity: 'ana', role: 'member' as const, displayName: 'Ana' };
  const ben = { id: 'm2', identity: 'ben', role: 'member' as const, displayName: 'Ben' };

  test('lists others coach first, then by joining order, never oneself', () => {
    const s = new ClassSession('k', 'HIIT');
    s.join(ana, 1);
    s.join(ben, 2);
    s.join(coach, 3);
    assert.deepEqual(
      s.othersFor('m2').map((p) => p.id),
      ['c1', 'm1'],
    );
    assert.deepEqual(
      s.othersFor('c1').map((p) => p.id),
      ['m1', 'm2'],
    );
  });

  test('the same identity joining again replaces its earlier seat', () => {
    const s = new ClassSession('k', 'HIIT');
    s.join(ana);
    const again = s.join({ ...ana, id: 'm1b' });
    assert.equal(again.replaced?.id, 'm1');
    assert.equal(s.size, 1);
    assert.equal(s.get('m1'), undefined);
  });

  test('a blank display name becomes Guest', () => {
    const s = new ClassSession('k', 'HIIT');
    assert.equal(s.join({ ...ana, displayName: '   ' }).participant.displayName, 'Guest');
  });
});

describe('origin allow-list', () => {
  test('same host is always allowed; others only when listed', () => {
    assert.equal(isOriginAllowed('http://localhost:8080', 'localhost:8080', []), true);
    assert.equal(isOriginAllowed('https://evil.example', 'media.club.com', []), false);
    assert.equal(isOriginAllowed('https://www.club.com', 'media.club.com', ['https://www.club.com/']), true);
    assert.equal(isOriginAllowed('https://www.club.com.evil.example', 'media.club.com', ['https://www.club.com']), false);
    assert.equal(isOriginAllowed('not a url', 'x', ['*']), false);
    assert.equal(isOriginAllowed(undefined, 'x', []), true, 'non-browser clients carry no Origin');
  });
});

describe('config', () => {
  test('defaults give a runnable single machine', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.rtc.announcedAddress, '127.0.0.1');
    assert.equal(c.dev, false);
    assert.equal(c.seedDemo, false);
    assert.equal(c.databaseUrl, undefined);
  });

  test('FITLIVE_DEV seeds the demo; PORT is read', () => {
    const c = loadConfig({ FITLIVE_DEV: '1', PORT: '9001' });
    assert.equal(c.dev, true);
    assert.equal(c.seedDemo, true);
    assert.equal(c.port, 9001);
  });

  test('NODE_ENV=production refuses FITLIVE_DEV and SEED_DEMO unless FITLIVE_ALLOW_DEV_IN_PRODUCTION', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production', FITLIVE_DEV: '1' }), /FITLIVE_DEV/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', SEED_DEMO: '1' }), /FITLIVE_DEV and SEED_DEMO/);
    assert.equal(loadConfig({ NODE_ENV: 'production' }).dev, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', FITLIVE_DEV: '1', FITLIVE_ALLOW_DEV_IN_PRODUCTION: '1' }).dev, true);
    assert.equal(loadConfig({ NODE_ENV: 'development', FITLIVE_DEV: '1' }).dev, true);
  });

  test('every bad variable is reported at once', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', RTC_MIN_PORT: '5000', RTC_MAX_PORT: '4000', LOG_LEVEL: 'loud' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const text = err.issues.join('\n');
        for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL']) assert.match(text, new RegExp(name));
        return true;
      },
    );
    assert.throws(() => loadConfig({ RTC_MIN_PORT: '5000', RTC_MAX_PORT: '4000' }), /RTC_MIN_PORT/);
  });
});
