// StreamModel (the DOM-free side of <fit-live-stream>) against a scripted fetch: states, polling,
// heartbeats, re-signing, error codes. The browser test with a real HLS stream is fit-live-stream.test.ts.
import { expect } from '@esm-bundle/chai';
import type { PlaybackInfo } from '../../protocol/streams.js';
import { StreamModel, resignUrl, streamErrorMessage, type FetchLike } from '../../widget/stream/stream-model.js';
import { until } from './helpers.js';

interface Call {
  url: string;
  method: string;
  auth: string | undefined;
}

type Answer = { status: number; body: unknown } | 'network';

/** A fetch that answers from a queue per endpoint (the last answer repeats) and records calls. */
function scripted(answers: { playback: Answer[]; heartbeat?: Answer[] }) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, method: init?.method ?? 'GET', auth: init?.headers?.authorization });
    const queue = url.endsWith('/heartbeat') ? (answers.heartbeat ??= [{ status: 200, body: { status: 'live', viewers: 1 } }]) : answers.playback;
    const a = queue.length > 1 ? queue.shift()! : queue[0]!;
    if (a === 'network') throw new TypeError('Failed to fetch');
    return { status: a.status, ok: a.status < 300, json: async () => a.body };
  };
  return { fetch, calls, answers };
}

const info = (patch: Partial<PlaybackInfo> = {}): PlaybackInfo => ({
  streamId: 's1',
  title: 'Sunday HIIT',
  status: 'live',
  posterUrl: '/posters/s1.jpg',
  masterUrl: '/hls/s1/master.m3u8?sig=a&exp=1',
  renditions: [
    { name: '720p', width: 1280, height: 720, bitrate: 3_000_000 },
    { name: '360p', width: 640, height: 360, bitrate: 800_000 },
  ],
  viewers: 12,
  chat: false,
  expiresAt: Date.now() + 600_000,
  ...patch,
});
const ok = (body: unknown): Answer => ({ status: 200, body });
const err = (status: number, code: string): Answer => ({ status, body: { error: { code, message: code } } });

function model(f: ReturnType<typeof scripted>, extra: Partial<ConstructorParameters<typeof StreamModel>[0]> = {}) {
  return new StreamModel({ server: 'https://media.example.com/', streamId: 's 1', token: 'tok', fetch: f.fetch, idlePollMs: 40, heartbeatMs: 40, retryMs: 30, ...extra });
}

describe('StreamModel', () => {
  it('loads a live stream: absolute signed source, poster, renditions, viewers; bearer token', async () => {
    const f = scripted({ playback: [ok(info())] });
    const m = model(f);
    expect(m.state.phase).to.equal('loading');
    await m.start();
    expect(m.state.phase).to.equal('live');
    expect(m.state.sourceUrl).to.equal('https://media.example.com/hls/s1/master.m3u8?sig=a&exp=1');
    expect(m.state.posterUrl).to.equal('https://media.example.com/posters/s1.jpg');
    expect(m.state.sourceVersion).to.equal(1);
    expect(m.state.renditions.map((r) => r.name)).to.deep.equal(['720p', '360p']);
    expect(m.state.viewers).to.equal(12);
    expect(f.calls[0]).to.deep.equal({ url: 'https://media.example.com/api/v1/streams/s%201/playback', method: 'GET', auth: 'Bearer tok' });
    m.dispose();
  });

  it('not started: polls until live; phases announced in order', async () => {
    const f = scripted({ playback: [ok(info({ status: 'idle', masterUrl: null })), ok(info({ status: 'idle', masterUrl: null })), ok(info())] });
    const m = model(f);
    const phases: string[] = [];
    m.addEventListener('phase', (e) => phases.push((e as CustomEvent<string>).detail));
    await m.start();
    expect(m.state.phase).to.equal('idle');
    await until(() => m.state.phase === 'live', 2000, 'live');
    expect(phases).to.deep.equal(['idle', 'live']);
    expect(f.calls.filter((c) => c.url.endsWith('/playback')).length).to.equal(3);
    m.dispose();
  });

  it('live without a playlist yet counts as not started', async () => {
    const f = scripted({ playback: [ok(info({ masterUrl: null }))] });
    const m = model(f);
    await m.start();
    expect(m.state.phase).to.equal('idle');
    m.dispose();
  });

  it('heartbeats only while playing; the answer drives viewers and the end of the stream', async () => {
    const f = scripted({ playback: [ok(info())], heartbeat: [ok({ status: 'live', viewers: 30 }), ok({ status: 'live', viewers: 31 }), ok({ status: 'ended', viewers: 31 })] });
    const m = model(f);
    await m.start();
    await new Promise((r) => setTimeout(r, 120));
    expect(f.calls.some((c) => c.url.endsWith('/heartbeat'))).to.equal(false, 'no heartbeat before playing');
    m.setPlaying(true);
    await until(() => m.state.viewers >= 30, 2000, 'viewers from the heartbeat');
    const hb = f.calls.find((c) => c.url.endsWith('/heartbeat'))!;
    expect(hb.method).to.equal('POST');
    expect(hb.auth).to.equal('Bearer tok');
    await until(() => m.state.phase === 'ended', 2000, 'ended');
    expect(m.state.sourceUrl).to.equal(undefined);
    const count = f.calls.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(f.calls.length).to.equal(count, 'nothing more after the end');
    m.dispose();
  });

  it('stops heartbeats when paused', async () => {
    const f = scripted({ playback: [ok(info())] });
    const m = model(f);
    await m.start();
    m.setPlaying(true);
    await until(() => f.calls.filter((c) => c.url.endsWith('/heartbeat')).length >= 2, 2000, 'heartbeats');
    m.setPlaying(false);
    const count = f.calls.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(f.calls.length).to.equal(count);
    m.dispose();
  });

  it('re-signs before the source expires (the URL changes, the version bumps, still live)', async () => {
    const f = scripted({
      playback: [ok(info({ expiresAt: Date.now() + 200 })), ok(info({ masterUrl: '/hls/s1/master.m3u8?sig=b&exp=2', expiresAt: Date.now() + 600_000 }))],
    });
    const m = model(f, { refreshAheadMs: 100 });
    await m.start();
    expect(m.state.sourceVersion).to.equal(1);
    await until(() => m.state.sourceVersion === 2, 2000, 're-signed');
    expect(m.state.sourceUrl).to.contain('sig=b');
    expect(m.state.phase).to.equal('live');
    m.dispose();
  });

  it('a refused segment asks once for a fresh URL even when several report it', async () => {
    const f = scripted({ playback: [ok(info()), ok(info({ masterUrl: '/hls/s1/master.m3u8?sig=c&exp=3' }))] });
    const m = model(f);
    await m.start();
    await Promise.all([m.sourceRefused(), m.sourceRefused(), m.sourceRefused()]);
    expect(f.calls.filter((c) => c.url.endsWith('/playback')).length).to.equal(2);
    expect(m.state.sourceUrl).to.contain('sig=c');
    m.dispose();
  });

  for (const [status, code, final] of [
    [404, 'stream_not_found', true],
    [401, 'token_expired', true],
    [401, 'token_invalid', true],
    [403, 'stream_full', false],
  ] as const) {
    it(`${code}: an error state with a plain message${final ? ', no retry' : ', retried'}`, async () => {
      const f = scripted({ playback: [err(status, code), ok(info())] });
      const m = model(f);
      await m.start();
      expect(m.state.phase).to.equal('error');
      expect(m.state.error?.code).to.equal(code);
      expect(streamErrorMessage(m.state.error!)).to.not.equal(code);
      await new Promise((r) => setTimeout(r, 120));
      expect(m.state.phase).to.equal(final ? 'error' : 'live');
      if (final) {
        await m.retry();
        expect(m.state.phase).to.equal('live', 'retry() tries again');
      }
      m.dispose();
    });
  }

  it('stream_not_live waits like a stream that has not started', async () => {
    const f = scripted({ playback: [err(409, 'stream_not_live'), ok(info())] });
    const m = model(f);
    await m.start();
    expect(m.state.phase).to.equal('idle');
    await until(() => m.state.phase === 'live', 2000, 'live');
    m.dispose();
  });

  it('an unreachable server: server_unreachable, then retried with backoff', async () => {
    const f = scripted({ playback: ['network', 'network', ok(info())] });
    const m = model(f);
    await m.start();
    expect(m.state.error?.code).to.equal('server_unreachable');
    await until(() => m.state.phase === 'live', 3000, 'live after retries');
    expect(m.state.error).to.equal(undefined);
    m.dispose();
  });

  it('keeps playing through a failed re-sign while the old URL is still valid', async () => {
    const f = scripted({ playback: [ok(info()), 'network', ok(info({ masterUrl: '/hls/s1/master.m3u8?sig=d&exp=4' }))] });
    const m = model(f);
    await m.start();
    await m.sourceRefused();
    expect(m.state.phase).to.equal('live');
    expect(m.state.error?.code).to.equal('server_unreachable');
    await until(() => m.state.sourceUrl?.includes('sig=d'), 3000, 'the retry re-signed');
    m.dispose();
  });

  it('heartbeat token_expired ends playback with a clear error', async () => {
    const f = scripted({ playback: [ok(info())], heartbeat: [err(401, 'token_expired')] });
    const m = model(f);
    await m.start();
    m.setPlaying(true);
    await until(() => m.state.phase === 'error', 2000, 'error');
    expect(m.state.error?.code).to.equal('token_expired');
    expect(m.state.sourceUrl).to.equal(undefined);
    m.dispose();
  });

  it('dispose stops every timer', async () => {
    const f = scripted({ playback: [ok(info({ status: 'idle', masterUrl: null }))] });
    const m = model(f);
    await m.start();
    m.dispose();
    const count = f.calls.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(f.calls.length).to.equal(count);
  });
});

describe('StreamModel with a recording (recordingId)', () => {
  const rec = (patch: Partial<PlaybackInfo> = {}) =>
    info({ status: 'ended', masterUrl: '/hls/r_1/100/aaa/index.m3u8', renditions: [{ name: '720p', width: 1280, height: 720, bitrate: 3_000_000 }], viewers: 0, ...patch });
  const recModel = (f: ReturnType<typeof scripted>, extra: Partial<ConstructorParameters<typeof StreamModel>[0]> = {}) => model(f, { recordingId: 'r_1', ...extra });

  it('asks the recording playback endpoint and is ready to play (phase recording), though the answer says ended', async () => {
    const f = scripted({ playback: [ok(rec())] });
    const m = recModel(f);
    expect(m.isRecording).to.equal(true);
    await m.start();
    expect(f.calls[0]).to.deep.equal({ url: 'https://media.example.com/api/v1/recordings/r_1/playback', method: 'GET', auth: 'Bearer tok' });
    expect(m.state.phase).to.equal('recording');
    expect(m.state.sourceUrl).to.equal('https://media.example.com/hls/r_1/100/aaa/index.m3u8');
    expect(m.state.sourceVersion).to.equal(1);
    expect(m.state.renditions.length).to.equal(1);
    expect(m.state.viewers).to.equal(0);
    m.dispose();
  });

  it('sends no heartbeats and polls nothing while it plays', async () => {
    const f = scripted({ playback: [ok(rec())] });
    const m = recModel(f);
    await m.start();
    m.setPlaying(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(f.calls.map((c) => c.url.split('/').pop())).to.deep.equal(['playback']);
    expect(m.state.phase).to.equal('recording');
    m.dispose();
  });

  it('re-signs before its links expire: a new URL, the version bumps, still a recording', async () => {
    const f = scripted({ playback: [ok(rec({ expiresAt: Date.now() + 200 })), ok(rec({ masterUrl: '/hls/r_1/200/bbb/index.m3u8', expiresAt: Date.now() + 600_000 }))] });
    const m = recModel(f, { refreshAheadMs: 100 });
    await m.start();
    await until(() => m.state.sourceVersion === 2, 2000, 're-signed');
    expect(m.state.sourceUrl).to.equal('https://media.example.com/hls/r_1/200/bbb/index.m3u8');
    expect(m.state.phase).to.equal('recording');
    expect(f.calls.every((c) => c.url.endsWith('/recordings/r_1/playback'))).to.equal(true);
    // Segments signed earlier move under the new signature (links in the VOD playlist are relative).
    expect(resignUrl('https://media.example.com/hls/r_1/100/aaa/seg_3.ts', ['https://media.example.com/hls/r_1/100/aaa/index.m3u8'], m.state.sourceUrl)).to.equal(
      'https://media.example.com/hls/r_1/200/bbb/seg_3.ts',
    );
    m.dispose();
  });

  it('a refused segment re-signs; a failed re-sign keeps the recording while its link is good', async () => {
    const f = scripted({ playback: [ok(rec()), 'network', ok(rec({ masterUrl: '/hls/r_1/300/ccc/index.m3u8' }))] });
    const m = recModel(f);
    await m.start();
    await m.sourceRefused();
    expect(m.state.phase).to.equal('recording');
    expect(m.state.error?.code).to.equal('server_unreachable');
    await until(() => m.state.sourceUrl?.includes('/ccc/'), 3000, 'the retry re-signed');
    expect(m.state.error).to.equal(undefined);
    m.dispose();
  });

  for (const [answer, code, words] of [
    [err(404, 'not_found'), 'not_found', 'recording does not exist'],
    [{ status: 404, body: undefined }, 'not_found', 'recording does not exist'],
    [err(401, 'token_expired'), 'token_expired', 'expired'],
    [err(401, 'token_invalid'), 'token_invalid', 'not signed in'],
    [err(403, 'origin_not_allowed'), 'origin_not_allowed', 'cannot be watched here'],
  ] as const) {
    it(`${code}${(answer as { body?: unknown }).body ? '' : ' (no body)'}: a final error with a plain message, no retry`, async () => {
      const f = scripted({ playback: [answer, ok(rec())] });
      const m = recModel(f);
      await m.start();
      expect(m.state.phase).to.equal('error');
      expect(m.state.error?.code).to.equal(code);
      expect(streamErrorMessage(m.state.error!).toLowerCase()).to.contain(words);
      await new Promise((r) => setTimeout(r, 120));
      expect(f.calls.length).to.equal(1, 'not retried by itself');
      await m.retry();
      expect(m.state.phase).to.equal('recording', 'retry() tries again');
      m.dispose();
    });
  }

  it('an answer without a playlist is a missing recording', async () => {
    const f = scripted({ playback: [ok(rec({ masterUrl: null }))] });
    const m = recModel(f);
    await m.start();
    expect(m.state.phase).to.equal('error');
    expect(m.state.error?.code).to.equal('not_found');
    m.dispose();
  });

  it('streamId is ignored when recordingId is set', async () => {
    const f = scripted({ playback: [ok(rec())] });
    const m = new StreamModel({ server: 'https://media.example.com', streamId: 'live-1', recordingId: 'r_1', token: 'tok', fetch: f.fetch });
    await m.start();
    expect(f.calls[0]!.url).to.equal('https://media.example.com/api/v1/recordings/r_1/playback');
    m.dispose();
  });
});

describe('resignUrl', () => {
  const first = 'https://cdn.example.com/hls/s1/master.m3u8?sig=a&exp=1&v=2';
  const now = 'https://cdn.example.com/hls/s1/master.m3u8?sig=c&exp=3&v=2';
  it('moves the signature params that changed onto any older URL of the stream', () => {
    expect(resignUrl('https://cdn.example.com/hls/s1/360p/index.m3u8?sig=a&exp=1', [first], now)).to.equal('https://cdn.example.com/hls/s1/360p/index.m3u8?sig=c&exp=3');
    // Signed by an intermediate re-sign (b): still brought up to date.
    expect(resignUrl('https://cdn.example.com/hls/s1/360p/seg9.ts?sig=b&exp=2', [first], now)).to.equal('https://cdn.example.com/hls/s1/360p/seg9.ts?sig=c&exp=3');
  });
  it('moves URLs signed in the path (the backend: /hls/<stream>/<exp>/<sig>/…) under the current folder', () => {
    const m1 = 'https://media.example.com/hls/s1/100/aaa/master.m3u8';
    const m2 = 'https://media.example.com/hls/s1/200/bbb/master.m3u8';
    const m3 = 'https://media.example.com/hls/s1/300/ccc/master.m3u8';
    expect(resignUrl('https://media.example.com/hls/s1/100/aaa/720p/index.m3u8', [m1, m2], m3)).to.equal('https://media.example.com/hls/s1/300/ccc/720p/index.m3u8');
    expect(resignUrl('https://media.example.com/hls/s1/200/bbb/720p/seg7.ts', [m1, m2], m3)).to.equal('https://media.example.com/hls/s1/300/ccc/720p/seg7.ts');
    expect(resignUrl('https://media.example.com/hls/s1/300/ccc/720p/seg8.ts', [m1, m2], m3)).to.equal('https://media.example.com/hls/s1/300/ccc/720p/seg8.ts');
    expect(resignUrl('https://media.example.com/hls/s2/100/aaa/720p/seg8.ts', [m1, m2], m3)).to.equal('https://media.example.com/hls/s2/100/aaa/720p/seg8.ts');
  });
  it('leaves unsigned, other-origin and unchanged URLs alone', () => {
    expect(resignUrl('https://cdn.example.com/hls/s1/seg1.ts', [first], now)).to.equal('https://cdn.example.com/hls/s1/seg1.ts');
    expect(resignUrl('https://other.example.com/x.ts?sig=a&exp=1', [first], now)).to.equal('https://other.example.com/x.ts?sig=a&exp=1');
    expect(resignUrl('https://cdn.example.com/x.ts?sig=a&exp=1', [first], first)).to.equal('https://cdn.example.com/x.ts?sig=a&exp=1');
    expect(resignUrl('https://cdn.example.com/x.ts?v=9', [first], now)).to.equal('https://cdn.example.com/x.ts?v=9');
  });
});
