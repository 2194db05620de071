// /metrics (Prometheus, prom-client) and /readyz on the real backend during a class: the series
// the operations page lists exist and move with what happens (joins, chat, tracks, errors).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { signJoinToken } from '../../backend/auth/join-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';
import { connect, connected, nextEvent, request } from '../support/socket-client.js';

let server: RunningServer;
before(async () => {
  server = await startBackend();
});
after(() => server?.stop());

async function seat(role: 'coach' | 'member', sub: string) {
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  const socket = connect(server, { token: await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role, name: sub, sub }, secret, 600), classId: DEMO_CLASS_ID });
  await connected(socket);
  const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  const joined = await request(socket, 'room:join', { rtpCapabilities: caps });
  assert.ok(joined.data, JSON.stringify(joined.error));
  return { socket, id: joined.data.self.id as string };
}

/** `name{labels} value` lines → value of the first series matching name and every label given. */
async function scrape(): Promise<(name: string, labels?: Record<string, string>) => number | undefined> {
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
  const lines = (await res.text()).split('\n').filter((l) => l && !l.startsWith('#'));
  return (name, labels = {}) => {
    for (const line of lines) {
      const m = /^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
    }
    return undefined;
  };
}

test('/readyz says ready; /metrics exposes classes, people, tracks per worker, requests, errors, join and chat timings', async () => {
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  const coach = await seat('coach', 'm-coach');
  const member = await seat('member', 'm-member');
  // The member's camera (plain RTP, as the grid bench does) and the coach consuming it.
  const added = nextEvent<{ producerId: string }>(coach.socket, 'producer:added');
  await server.publishPlain(DEMO_CLASS_ID, member.id, 'video', { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: 1111 }] });
  const consumed = await request(coach.socket, 'media:consume', { producerId: (await added).producerId });
  assert.ok(consumed.data, JSON.stringify(consumed.error));
  assert.ok((await request(member.socket, 'chat:send', { text: 'hello metrics', clientId: crypto.randomUUID() })).data);
  assert.equal((await request(member.socket, 'chat:send', { text: 42 })).error?.code, 'bad_request');
  assert.equal((await fetch(`${server.url}/api/v1/nope`)).status, 404);

  const m = await scrape();
  assert.ok(m('fitlive_classes')! >= 1, 'classes');
  assert.equal(m('fitlive_participants'), 2, 'people seated');
  const [pid] = server.workerPids();
  assert.equal(m('fitlive_worker_routers', { worker: String(pid) }), 1);
  assert.equal(m('fitlive_worker_producers', { worker: String(pid) }), 1);
  assert.equal(m('fitlive_worker_consumers', { worker: String(pid) }), 1);
  assert.ok(m('fitlive_worker_cpu_seconds_total', { worker: String(pid) })! > 0, 'worker CPU');
  assert.equal(m('fitlive_socket_requests_total', { event: 'room:join', outcome: 'ok' }), 2);
  assert.equal(m('fitlive_socket_requests_total', { event: 'chat:send', outcome: 'bad_request' }), 1);
  assert.equal(m('fitlive_errors_total', { code: 'bad_request', surface: 'socket' }), 1);
  assert.equal(m('fitlive_errors_total', { code: 'not_found', surface: 'http' }), 1);
  assert.equal(m('fitlive_join_seconds_count'), 2);
  assert.ok(m('fitlive_join_seconds_sum')! > 0 && m('fitlive_join_seconds_sum')! < 5, 'join times');
  assert.equal(m('fitlive_chat_delivery_seconds_count'), 1);
  assert.equal(m('fitlive_hls_viewers'), 0);
  assert.equal(m('fitlive_cluster_nodes'), 1, 'alone, the cluster is this node');
  assert.ok(m('fitlive_process_resident_memory_bytes')! > 10e6, 'process metrics');

  // Leaving moves the gauges back.
  coach.socket.disconnect();
  member.socket.disconnect();
  await new Promise((r) => setTimeout(r, 300));
  const after = await scrape();
  assert.equal(after('fitlive_participants'), 0);
  assert.equal(after('fitlive_worker_consumers', { worker: String(pid) }), 0);
});

test('the Grafana dashboard in docs/grafana asks only for series /metrics has', async () => {
  const dashboard = JSON.parse((await import('node:fs')).readFileSync('docs/grafana/fitlive-dashboard.json', 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
  const wanted = new Set(exprs.flatMap((e) => e.match(/fitlive_[a-z0-9_]+/g) ?? []).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const have = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
  for (const name of wanted) assert.ok(have.has(name), `the dashboard uses ${name}, which /metrics does not expose`);
  assert.ok(wanted.size >= 10, `${wanted.size} series on the dashboard`);
});

test('with METRICS_TOKEN, /metrics asks for it as a bearer token; in production without one it is off', async () => {
  const guarded = await startBackend({ METRICS_TOKEN: 'scrape-secret-0123456789' });
  try {
    const url = `${guarded.url}/metrics`;
    const none = await fetch(url);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
    assert.equal((await fetch(url, { headers: { authorization: 'Bearer nope' } })).status, 401);
    const ok = await fetch(url, { headers: { authorization: 'Bearer scrape-secret-0123456789' } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /fitlive_classes/);
  } finally {
    await guarded.stop();
  }
  const { loadConfig } = await import('../../backend/config.js');
  assert.equal(loadConfig({ NODE_ENV: 'production' }).metricsAccess.off, true);
  assert.equal(loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: 'scrape-secret-0123456789' }).metricsAccess.off, false);
  assert.equal(loadConfig({}).metricsAccess.off, false, 'open on a dev box');
});
