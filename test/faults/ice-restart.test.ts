import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { useLiveStack } from '../support/live-stack.js';
import { UdpRelay } from '../support/udp-relay.js';
import { probeVideo } from '../support/video.js';

/*
 * A blocked media path, for real: every RTP/RTCP/STUN/DTLS datagram between the browsers and
 * mediasoup goes through a UDP relay (mediasoup announces 127.0.0.2, the relay listens there and
 * forwards to 127.0.0.1), which drops everything for a few seconds, as a dead Wi-Fi would. The
 * signaling socket stays up, so the member must recover by an ICE restart on the same transports,
 * without a rejoin. iptables/netem are not available on these machines; this is the same fault
 * one layer up.
 */

const PORTS = { min: 47100, max: 47139 };
const relay = new UdpRelay('127.0.0.2', '127.0.0.1', PORTS);
const stack = useLiveStack(async () => {
  await relay.start();
  return { RTC_LISTEN_IP: '127.0.0.1', RTC_ANNOUNCED_ADDRESS: '127.0.0.2', RTC_MIN_PORT: String(PORTS.min), RTC_MAX_PORT: String(PORTS.max) };
});
after(() => relay.close());

test('a blocked media path: ICE restarts on the same transports and the coach video comes back without a rejoin', { timeout: 120_000 }, async () => {
  const coach = await stack.joinDemoClass('coach', 'Coach Sam');
  const member = await stack.joinDemoClass('member', 'Ana');
  const video = member.getByTestId('coach-video');
  await video.waitFor({ timeout: 20_000 });
  for (const deadline = Date.now() + 15_000; (await probeVideo(video, 300)).framesInWindow === 0; ) if (Date.now() > deadline) assert.fail('no coach video before the fault');
  assert.ok(relay.counts.passed > 100, `media goes through the relay (${relay.counts.passed} datagrams)`);

  const memberId = (await member.evaluate(`document.querySelector('fit-class-room').room.state.self.id`)) as string;
  const consumersBefore = stack.server.videoConsumers('demo-hiit', memberId).map((c) => c.id);
  const recvBefore = (await member.evaluate(`document.querySelector('fit-class-room').room.media.recvTransport.id`)) as string;
  // Note each step the member goes through: ICE states of its receive transport and the room's notices.
  await member.evaluate(`{
    const room = document.querySelector('fit-class-room').room;
    window.__ice = [];
    room.media.recvTransport.on('connectionstatechange', (s) => window.__ice.push([Date.now(), s]));
    window.__notices = [];
    room.addEventListener('change', () => { const c = room.state.notice?.code; if (c && window.__notices.at(-1) !== c) window.__notices.push(c); });
    window.__restarts = 0;
    const signaling = room.media.signaling;
    const request = signaling.request.bind(signaling);
    signaling.request = (name, payload) => { if (name === 'transport:restart-ice') window.__restarts++; return request(name, payload); };
  }`);

  const tBlock = Date.now();
  relay.block();
  await member.waitForFunction(() => (window as unknown as { __ice: Array<[number, string]> }).__ice.some(([, s]) => s === 'disconnected' || s === 'failed'), undefined, { timeout: 30_000 });
  const noticedAfter = Date.now() - tBlock;
  // Chrome rides out a short gap by itself; keep the path down until an ICE restart has been tried.
  await member.waitForFunction(() => (window as unknown as { __restarts: number }).__restarts > 0, undefined, { timeout: 15_000 });
  const restartAfter = Date.now() - tBlock;
  await new Promise((r) => setTimeout(r, 1000));
  const blockedMs = Date.now() - tBlock;
  const tUnblock = Date.now();
  relay.unblock();

  for (const deadline = Date.now() + 20_000; ; ) {
    const probe = await probeVideo(video, 200).catch(() => undefined);
    if (probe && probe.framesInWindow > 0) break;
    if (Date.now() > deadline) {
      const seen = await member.evaluate(`JSON.stringify({ ice: window.__ice, notices: window.__notices, state: document.querySelector('fit-class-room').room.state.phase })`);
      assert.fail(`the coach video did not come back after the path was unblocked: ${seen}`);
    }
  }
  const back = Date.now() - tUnblock;
  const ice = (await member.evaluate('window.__ice')) as Array<[number, string]>;
  const notices = (await member.evaluate('window.__notices')) as string[];
  const restarts = (await member.evaluate('window.__restarts')) as number;
  console.log(`ICE: path blocked ${blockedMs} ms; the member's transport went disconnected after ${noticedAfter} ms, ICE restart asked after ${restartAfter} ms (${restarts} in all); unblocked → coach video back in ${back} ms; recv transport ${ice.map(([t, s]) => `${s}@+${t - tBlock}ms`).join(' → ')}; ${relay.counts.dropped} datagrams dropped`);

  assert.ok(notices.includes('media_reconnecting'), `the member was told the video is reconnecting (${notices.join(', ')})`);
  assert.equal(await member.evaluate(`document.querySelector('fit-class-room').room.media.recvTransport.id`), recvBefore, 'the same receive transport: ICE restarted, no rejoin');
  assert.deepEqual(stack.server.videoConsumers('demo-hiit', memberId).map((c) => c.id), consumersBefore, 'the same consumers on the server');
  assert.ok(ice.at(-1)?.[1] === 'connected', `the transport is connected again (${ice.map(([, s]) => s).join(' → ')})`);
  await member.waitForFunction(() => !document.querySelector('fit-class-room')?.shadowRoot?.querySelector('[data-code="media_reconnecting"]'), undefined, { timeout: 5000 });
  assert.equal(await coach.locator('[data-testid="participant-tile"]').count(), 1, 'the coach still sees one member tile');
});
