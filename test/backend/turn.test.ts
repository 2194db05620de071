import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { iceServersFor } from '../../backend/auth/turn.js';
import { loadConfig } from '../../backend/config.js';

test('TURN credentials follow the TURN REST convention and expire with the seat', () => {
  const servers = iceServersFor({ stunUrls: ['stun:stun.club.example:3478'], turnUrls: ['turn:turn.club.example:3478?transport=udp'], turnSecret: 's3cret-s3cret-s3cret', transportPolicy: 'all' }, 'p_abc', 1_900_000_000);
  assert.deepEqual(servers[0], { urls: ['stun:stun.club.example:3478'] });
  const turn = servers[1]!;
  assert.equal(turn.username, '1900000000:p_abc');
  assert.equal(turn.credential, crypto.createHmac('sha1', 's3cret-s3cret-s3cret').update('1900000000:p_abc').digest('base64'));
  assert.deepEqual(iceServersFor({ stunUrls: [], turnUrls: [], turnSecret: undefined, transportPolicy: 'all' }, 'p', 1), []);
});

test('ICE configuration is checked at start', () => {
  assert.throws(() => loadConfig({ TURN_URLS: 'turn:x:3478' }), /TURN_URLS needs TURN_SECRET/);
  assert.throws(() => loadConfig({ ICE_TRANSPORT_POLICY: 'relay' }), /needs TURN_URLS/);
  const c = loadConfig({ TURN_URLS: 'turn:a:3478, turns:b:5349', TURN_SECRET: 'x'.repeat(16), ICE_TRANSPORT_POLICY: 'relay' });
  assert.deepEqual(c.rtc.ice.turnUrls, ['turn:a:3478', 'turns:b:5349']);
});
