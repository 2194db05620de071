// Where a join's time goes, seen from the page, the same way for our widget and for a Janus
// subscriber, without changing either. An init script:
//  - starts the clock at the join click (pointerdown, capture phase: window.__t0);
//  - wraps RTCPeerConnection to note each connection's ICE / DTLS (connectionState) changes and
//    when its received video track unmutes (Chromium unmutes a remote track on its first RTP packet);
//  - from the click, polls getStats every few ms for the first inbound-rtp video packet, the first
//    decoded frame and the first decoded keyframe. Note: libwebrtc caches a connection's stats
//    report for 50 ms, so whatever the poll interval these are seen 0-~60 ms late; each is
//    timed at its report's own timestamp;
// and firstFrameScript() waits for the first presented frame (requestVideoFrameCallback) and keeps
// its metadata: `receiveTime` (its last packet received) and `processingDuration` (decode), which
// time the first keyframe to the ms.
//
//   await page.addInitScript(phaseInitScript());              // before goto
//   ... click ...
//   const ms = await page.evaluate(firstFrameScript(expr));   // click → first presented frame
//   const p = await collectPhases(page);                      // ms from the click, per phase
//
// BENCH_PHASE_POLL_MS (default 5; 0 turns the getStats poll off) sets the poll interval.
import type { Page } from 'playwright-core';

export const PHASE_POLL_MS = Number(process.env.BENCH_PHASE_POLL_MS ?? 5);
/**
 * How long each page shows before its join click (BENCH_LOBBY_MS, default 1000), ours and
 * Janus's alike: a person reads the lobby first, and whatever a page gets ready meanwhile
 * (our widget: device, capabilities, the class connection; Janus's page: nothing) is its own.
 */
export const LOBBY_MS = Number(process.env.BENCH_LOBBY_MS ?? 1000);

/** Source text for page.addInitScript (source text, so tsx does not rewrite it). */
export function phaseInitScript(pollMs = PHASE_POLL_MS, limitMs = 20_000): string {
  return String.raw`(() => {
  const Native = window.RTCPeerConnection;
  if (!Native || window.__phase) return;
  const pcs = [];
  const info = (window.__phase = { pcs: [], recvPc: undefined, firstRtp: undefined, firstDecoded: undefined, firstKeyframe: undefined, polls: 0, frame: undefined, longTasks: [] });
  // Main-thread tasks over 50 ms: a step that waits for the page, not the network, shows here.
  try { new PerformanceObserver((list) => { for (const e of list.getEntries()) info.longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true }); } catch {}
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      const rec = { created: performance.now(), ice: {}, conn: {}, videoUnmuted: undefined };
      info.pcs.push(rec);
      pcs.push(this);
      this.addEventListener('iceconnectionstatechange', () => { rec.ice[this.iceConnectionState] ??= performance.now(); });
      this.addEventListener('connectionstatechange', () => { rec.conn[this.connectionState] ??= performance.now(); });
      this.addEventListener('track', (e) => {
        if (e.track.kind !== 'video') return;
        if (!e.track.muted) rec.videoUnmuted ??= performance.now();
        else e.track.addEventListener('unmute', () => { rec.videoUnmuted ??= performance.now(); }, { once: true });
      });
    }
  };
  // A report's timestamp is on the epoch clock (ms); marks are on performance.now(). A cached
  // report carries the time it was made, which is the best bound on when its state was reached.
  const snapshotAt = (s, answered) => {
    const t = s.timestamp - performance.timeOrigin;
    return t > window.__t0 - 100 && t <= answered + 1 ? t : answered;
  };
  const poll = async (deadline) => {
    for (let i = 0; i < pcs.length; i++) {
      const pc = pcs[i];
      if (pc.signalingState === 'closed') continue;
      let stats;
      try { stats = await pc.getStats(); } catch { continue; }
      const answered = performance.now();
      stats.forEach((s) => {
        if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
        const at = snapshotAt(s, answered);
        if (s.packetsReceived > 0 && info.firstRtp === undefined) { info.firstRtp = at; info.recvPc = i; }
        if (s.framesDecoded > 0 && info.firstDecoded === undefined) info.firstDecoded = at;
        if (s.keyFramesDecoded > 0 && info.firstKeyframe === undefined) info.firstKeyframe = at;
      });
    }
    info.polls++;
    const done = info.firstDecoded !== undefined && info.firstKeyframe !== undefined;
    if (!done && performance.now() < deadline) setTimeout(() => poll(deadline), ${pollMs});
  };
  window.addEventListener('pointerdown', () => {
    if (window.__t0 !== undefined) return;
    window.__t0 = performance.now();
    if (${pollMs} > 0) setTimeout(() => poll(window.__t0 + ${limitMs}), 0);
  }, { capture: true });
  // The selected candidate pair of the connection that received video: local → remote addresses.
  window.__phasePair = async () => {
    let i = info.recvPc;
    if (i === undefined) i = info.pcs.findIndex((r) => r.videoUnmuted !== undefined);
    const pc = pcs[i < 0 ? pcs.length - 1 : i];
    if (!pc) return undefined;
    const stats = await pc.getStats();
    let pair;
    stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId); });
    if (!pair) return undefined;
    const l = stats.get(pair.localCandidateId), r = stats.get(pair.remoteCandidateId);
    return { local: l && (l.address ?? l.ip), remote: r && (r.address ?? r.ip), protocol: l && l.protocol };
  };
})();`;
}

/**
 * Source text for page.evaluate: resolves with ms from the click to the first frame presented by
 * the <video> that `videoExpr` finds (polled every 5 ms until it exists), keeping that frame's
 * metadata for collectPhases; rejects after `limitMs`, or when `errorExpr` becomes truthy.
 */
export function firstFrameScript(videoExpr: string, limitMs = 20_000, errorExpr = 'undefined'): string {
  return `new Promise((resolve, reject) => {
    const deadline = performance.now() + ${limitMs};
    const poll = () => {
      const err = ${errorExpr};
      if (err) return reject(new Error(String(err)));
      if (performance.now() > deadline) return reject(new Error('no video element within ${limitMs} ms'));
      const v = ${videoExpr};
      if (!v) return setTimeout(poll, 5);
      v.requestVideoFrameCallback((now, md) => {
        if (window.__phase) window.__phase.frame = { now, receiveTime: md.receiveTime, processingDuration: md.processingDuration };
        resolve(now - window.__t0);
      });
    };
    poll();
  })`;
}

export interface JoinPhases {
  /** Phase name → ms from the click (missing when not seen). */
  at: Record<string, number>;
  /** The receiving connection's selected candidate pair. */
  pair?: { local?: string; remote?: string; protocol?: string };
  /** How many getStats rounds ran. */
  polls: number;
  /** Main-thread tasks over 50 ms from the click to the first frame: [ms from the click, ms long]. */
  longTasks?: Array<[number, number]>;
}

export const PHASE = {
  recvPc: 'recv pc created',
  ice: 'ICE connected (recv)',
  dtls: 'DTLS connected (recv)',
  rtp: 'first RTP (track unmute)',
  rtpStats: 'first RTP (getStats)',
  keyframeReceived: 'keyframe received (rVFC)',
  keyframeDecoded: 'keyframe decoded (rVFC)',
  keyframeStats: 'keyframe decoded (getStats)',
  presented: 'first frame presented',
} as const;

/**
 * Reads what the init script noted, as ms from the click. Call once the first frame was presented
 * (it waits, bounded, for the poll to have seen the first decoded frame too).
 */
export async function collectPhases(page: Page, timeoutMs = 3000): Promise<JoinPhases> {
  await page
    .waitForFunction('!window.__phase || window.__phase.polls === 0 || window.__phase.firstKeyframe !== undefined', undefined, { timeout: timeoutMs, polling: 20 })
    .catch(() => undefined);
  const raw = (await page.evaluate(`(async () => {
    const p = window.__phase;
    if (!p) return undefined;
    return { t0: window.__t0, pcs: p.pcs, recvPc: p.recvPc, firstRtp: p.firstRtp, firstKeyframe: p.firstKeyframe, polls: p.polls, frame: p.frame, longTasks: p.longTasks, pair: await window.__phasePair().catch(() => undefined) };
  })()`)) as
    | {
        t0: number;
        pcs: Array<{ created: number; ice: Record<string, number>; conn: Record<string, number>; videoUnmuted?: number }>;
        recvPc?: number;
        firstRtp?: number;
        firstKeyframe?: number;
        polls: number;
        frame?: { now: number; receiveTime?: number; processingDuration?: number };
        longTasks?: Array<[number, number]>;
        pair?: JoinPhases['pair'];
      }
    | undefined;
  if (!raw) return { at: {}, polls: 0, longTasks: [] };
  const at: Record<string, number> = {};
  const rel = (name: string, t: number | undefined) => {
    if (t !== undefined && Number.isFinite(t)) at[name] = t - raw.t0;
  };
  // The receiving connection: the one whose video track unmuted (else the one video RTP showed up on).
  let i = raw.pcs.findIndex((r) => r.videoUnmuted !== undefined);
  if (i < 0) i = raw.recvPc ?? raw.pcs.length - 1;
  const recv = raw.pcs[i];
  if (recv) {
    rel(PHASE.recvPc, recv.created);
    rel(PHASE.ice, recv.ice.connected ?? recv.ice.completed);
    rel(PHASE.dtls, recv.conn.connected);
    rel(PHASE.rtp, recv.videoUnmuted);
  }
  if (raw.polls > 0) {
    rel(PHASE.rtpStats, raw.firstRtp);
    rel(PHASE.keyframeStats, raw.firstKeyframe);
  }
  const f = raw.frame;
  if (f?.receiveTime) {
    rel(PHASE.keyframeReceived, f.receiveTime);
    if (f.processingDuration !== undefined) rel(PHASE.keyframeDecoded, f.receiveTime + f.processingDuration * 1000);
  }
  // Long tasks between the click and the first frame (a task that began before the click counts from it).
  const end = f ? f.now : Infinity;
  const longTasks = (raw.longTasks ?? [])
    .filter(([start, dur]) => start + dur > raw.t0 && start < end)
    .map(([start, dur]): [number, number] => [Math.max(0, start - raw.t0), dur - Math.max(0, raw.t0 - start)]);
  return { at, pair: raw.pair, polls: raw.polls, longTasks };
}

export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const p50 = (xs: number[]) => pct([...xs].sort((a, b) => a - b), 50);

/**
 * Lines for a phase breakdown: each phase's p50 from the click, in time order, with the step
 * from the previous line; the largest step is flagged. Names in `aside` (cross-checks) are
 * listed but take no part in the steps.
 */
export function formatPhases(phases: Record<string, number[]>, joins: number, aside: string[] = [PHASE.rtpStats, PHASE.keyframeStats]): string[] {
  const rows = Object.entries(phases)
    .map(([name, times]) => ({ name, p50: p50(times), n: times.length, aside: aside.includes(name) }))
    .sort((a, b) => a.p50 - b.p50);
  const steps: Array<number | undefined> = [];
  let prev = 0;
  for (const r of rows) {
    if (r.aside) steps.push(undefined);
    else (steps.push(r.p50 - prev), (prev = r.p50));
  }
  const slowest = steps.indexOf(Math.max(...steps.filter((s): s is number => s !== undefined)));
  return rows.map((r, i) => {
    const seen = r.n < joins ? ` (seen in ${r.n}/${joins} joins)` : '';
    const step = steps[i] === undefined ? '   (cross-check, ≤~60 ms late)' : `${`+${steps[i]!.toFixed(0)}`.padStart(6)}${i === slowest ? '  ← slowest step' : ''}`;
    return `    ${r.name.padEnd(28)} ${`${r.p50.toFixed(0)} ms`.padStart(7)} ${step}${seen}`;
  });
}
