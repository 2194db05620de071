import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startCoturn, type Turn } from '../support/coturn.js';
import { useLiveStack } from '../support/live-stack.js';
import { probeVideo } from '../support/video.js';

/*
 * Relay only: every browser is told `iceTransportPolicy: 'relay'` and gets time-limited TURN
 * credentials at join, so media can only flow through Debian's coturn (on loopback here).
 */

let turn: Turn | undefined;
const stack = useLiveStack(async () => {
  turn = await startCoturn();
  return { TURN_URLS: turn.url, TURN_SECRET: turn.secret, ICE_TRANSPORT_POLICY: 'relay' };
});
after(() => turn?.stop());

test('a member in relay-only mode receives the coach through TURN', { timeout: 120_000 }, async () => {
  const coach = await stack.joinDemoClass('coach', 'Coach Sam');
  const member = await stack.joinDemoClass('member', 'Ana');
  const t0 = Date.now();
  const video = member.getByTestId('coach-video');
  await video.waitFor({ timeout: 20_000 });
  let probe = await probeVideo(video);
  while (probe.framesInWindow === 0 && Date.now() - t0 < 20_000) probe = await probeVideo(video);
  console.log(`relay: coach video at the member after ${Date.now() - t0} ms, ${probe.framesInWindow} frames/s, ${probe.width}x${probe.height}`);
  assert.ok(probe.framesInWindow > 0, 'frames advance');

  // The pair in use is a relay candidate, on both browsers' transports.
  const candidateTypes = (page: typeof member) =>
    page.evaluate(async () => {
      const pcs = (window as unknown as { __fitPeerConnections?: RTCPeerConnection[] }).__fitPeerConnections ?? [];
      const types: string[] = [];
      for (const pc of pcs) {
        const stats = await pc.getStats();
        stats.forEach((s: { type: string; state?: string; nominated?: boolean; localCandidateId?: string }) => {
          if (s.type !== 'candidate-pair' || s.state !== 'succeeded' || !s.nominated) return;
          const local = stats.get(s.localCandidateId!) as { candidateType?: string } | undefined;
          types.push(local?.candidateType ?? '?');
        });
      }
      return types;
    });
  const memberTypes = await candidateTypes(member);
  const coachTypes = await candidateTypes(coach);
  console.log(`relay: member pairs ${memberTypes.join(',')}; coach pairs ${coachTypes.join(',')}; coturn allocations ${turn!.allocations()}`);
  assert.ok(memberTypes.length > 0 && memberTypes.every((t) => t === 'relay'), `member uses relay candidates only (${memberTypes})`);
  assert.ok(coachTypes.every((t) => t === 'relay'));
  assert.ok(turn!.allocations() >= 2, 'coturn allocated relays');
});
