import type { QualityReport } from '../../protocol/signaling.js';
import { englishTexts, type Texts } from '../i18n/locale.js';

/*
 * Connection quality, DOM-free: raw RTCStats (from one getStats per transport every couple of
 * seconds) become per-participant summaries and a 3-level verdict. Counters are turned into rates
 * against the previous poll, so every function here takes the previous `StatsMemory` and returns
 * the next one. Thresholds live in QUALITY (the verdict) and in adaptation.ts (what to receive).
 */

export type QualityLevel = 'good' | 'fair' | 'poor';

/** How often the room polls getStats, and how often it reports its own summary to the server. */
export const QUALITY_POLL_MS = 2000;
export const QUALITY_REPORT_MS = 5000;

/** The verdict's thresholds: at or above `fair*` is at best fair; at or above `poor*` is poor. */
export const QUALITY = {
  fairRttMs: 250,
  poorRttMs: 600,
  fairLossPct: 2,
  poorLossPct: 8,
  fairJitterMs: 30,
  poorJitterMs: 80,
  /** Video that flows at fewer frames per second than this is fair / poor. */
  fairFps: 12,
  poorFps: 5,
} as const;

/** One stats object as getStats gives it (a plain record with `id`, `type`, `timestamp`). */
export interface RawStat {
  id: string;
  type: string;
  timestamp: number;
  [key: string]: unknown;
}

/** Whose a received track is (keyed by the track's id, which is inbound-rtp's `trackIdentifier`). */
export interface TrackOwner {
  participantId: string;
  kind: 'audio' | 'video';
  source: string;
}

/** The numbers behind a verdict; any may be missing (a browser reports what it has). */
export interface QualityMetrics {
  rttMs?: number | undefined;
  lossPct?: number | undefined;
  jitterMs?: number | undefined;
  /** Frames per second of video that is flowing (undefined: no video flowing). */
  fps?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  /** Video freezes seen since the previous poll. */
  freezes?: number | undefined;
}

/** What one participant's media looks like from here. */
export interface ParticipantQuality extends QualityMetrics {
  participantId: string;
  level: QualityLevel;
  /** Received bitrate of everything this participant sends us (audio + video). */
  kbps?: number | undefined;
  /** Their camera's frames arrive (false: paused, audio only, or nothing yet). */
  videoFlowing: boolean;
}

/** The receive side as a whole: the link, and each participant on it. */
export interface ReceiveSummary extends QualityMetrics {
  downKbps?: number | undefined;
  /** The receiving path's estimate of what it could take (when the browser offers one). */
  availableKbps?: number | undefined;
  /** Some camera video is flowing now. */
  videoFlowing: boolean;
  participants: Map<string, ParticipantQuality>;
}

export interface SendSummary {
  upKbps?: number | undefined;
  rttMs?: number | undefined;
  /** Loss the server reports for what we send (remote-inbound-rtp). */
  lossPct?: number | undefined;
}

/** Counters of the previous poll, by stats id. */
export type StatsMemory = Map<string, { timestamp: number; bytes: number; packets: number; lost: number; frames: number; freezes: number }>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const round = (v: number | undefined, digits = 0): number | undefined => (v === undefined ? undefined : Math.round(v * 10 ** digits) / 10 ** digits);

/** An RTCStatsReport (a Map-like) or a recorded array/object as plain stats objects. */
export function readStats(report: RTCStatsReport | Iterable<RawStat> | Record<string, RawStat>): RawStat[] {
  if (typeof (report as RTCStatsReport).forEach === 'function' && typeof (report as RTCStatsReport).get === 'function') {
    const out: RawStat[] = [];
    (report as RTCStatsReport).forEach((s: RawStat) => out.push(s));
    return out;
  }
  if (Symbol.iterator in (report as object)) return [...(report as Iterable<RawStat>)];
  return Object.values(report as Record<string, RawStat>);
}

/** The pair ICE selected (via the transport stats, else the nominated succeeded one). */
function selectedPair(stats: RawStat[]): RawStat | undefined {
  const byId = new Map(stats.map((s) => [s.id, s]));
  for (const t of stats) {
    if (t.type === 'transport' && typeof t.selectedCandidatePairId === 'string') {
      const pair = byId.get(t.selectedCandidatePairId);
      if (pair) return pair;
    }
  }
  return stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
}

function rate(prev: { timestamp: number; bytes: number } | undefined, now: number, bytes: number): number | undefined {
  if (!prev || now <= prev.timestamp || bytes < prev.bytes) return undefined;
  return ((bytes - prev.bytes) * 8) / (now - prev.timestamp); // bits per ms = kbps
}

function lossPct(dPackets: number, dLost: number): number | undefined {
  const total = dPackets + Math.max(0, dLost);
  return total > 0 ? (Math.max(0, dLost) / total) * 100 : undefined;
}

const worst = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/**
 * The receive transport's stats → the link and each sender's media. Video "flows" when frames
 * were decoded since the previous poll; a paused consumer keeps its old counters and does not.
 */
export function summariseReceive(stats: RawStat[], prev: StatsMemory | undefined, owners: ReadonlyMap<string, TrackOwner>): { summary: ReceiveSummary; memory: StatsMemory } {
  const memory: StatsMemory = new Map();
  const pair = selectedPair(stats);
  const rttSec = num(pair?.currentRoundTripTime);
  const rttMs = rttSec === undefined ? undefined : rttSec * 1000;
  const available = num(pair?.availableIncomingBitrate);
  type Acc = { kbps: number; packets: number; lost: number; jitter?: number; fps?: number; width?: number; height?: number; freezes: number; flowing: boolean; seen: boolean };
  const per = new Map<string, Acc>();
  let downKbps: number | undefined;
  let dPacketsAll = 0;
  let dLostAll = 0;
  for (const s of stats) {
    if (s.type !== 'inbound-rtp') continue;
    const owner = typeof s.trackIdentifier === 'string' ? owners.get(s.trackIdentifier) : undefined;
    const bytes = num(s.bytesReceived) ?? 0;
    const packets = num(s.packetsReceived) ?? 0;
    const lost = num(s.packetsLost) ?? 0;
    const frames = num(s.framesDecoded) ?? 0;
    const freezes = num(s.freezeCount) ?? 0;
    const before = prev?.get(s.id);
    memory.set(s.id, { timestamp: s.timestamp, bytes, packets, lost, frames, freezes });
    const kbps = rate(before, s.timestamp, bytes);
    if (kbps !== undefined) downKbps = (downKbps ?? 0) + kbps;
    if (!owner) continue;
    const acc: Acc = per.get(owner.participantId) ?? { kbps: 0, packets: 0, lost: 0, freezes: 0, flowing: false, seen: false };
    per.set(owner.participantId, acc);
    if (kbps !== undefined) acc.kbps += kbps;
    if (before) {
      const dp = Math.max(0, packets - before.packets);
      const dl = Math.max(0, lost - before.lost);
      acc.packets += dp;
      acc.lost += dl;
      dPacketsAll += dp;
      dLostAll += dl;
      acc.seen = true;
    }
    const jitter = num(s.jitter);
    if (jitter !== undefined && (s.kind === 'audio' || owner.kind === 'audio' || !before || packets > before.packets)) acc.jitter = worst(acc.jitter, jitter * 1000);
    if ((s.kind ?? owner.kind) === 'video' && owner.source === 'camera') {
      const dFrames = before ? frames - before.frames : 0;
      const flowing = !!before && dFrames > 0;
      if (flowing) {
        acc.flowing = true;
        const seconds = (s.timestamp - before!.timestamp) / 1000;
        acc.fps = num(s.framesPerSecond) ?? (seconds > 0 ? dFrames / seconds : undefined);
        acc.width = num(s.frameWidth);
        acc.height = num(s.frameHeight);
        acc.freezes += Math.max(0, freezes - before!.freezes);
      }
    }
  }
  const participants = new Map<string, ParticipantQuality>();
  let best: ParticipantQuality | undefined;
  let jitterAll: number | undefined;
  let freezesAll = 0;
  for (const [participantId, a] of per) {
    const metrics: QualityMetrics = {
      rttMs: round(rttMs),
      lossPct: a.seen ? round(lossPct(a.packets, a.lost), 1) : undefined,
      jitterMs: round(a.jitter),
      fps: a.flowing ? round(a.fps) : undefined,
      width: a.flowing ? a.width : undefined,
      height: a.flowing ? a.height : undefined,
      freezes: a.flowing ? a.freezes : undefined,
    };
    const q: ParticipantQuality = { participantId, ...metrics, kbps: round(a.kbps), videoFlowing: a.flowing, level: qualityLevel(metrics) };
    participants.set(participantId, q);
    jitterAll = worst(jitterAll, q.jitterMs);
    freezesAll += q.freezes ?? 0;
    // The largest video shown is the one to describe the link with (the coach, for a member).
    if (q.videoFlowing && (!best || (q.height ?? 0) > (best.height ?? 0))) best = q;
  }
  return {
    memory,
    summary: {
      rttMs: round(rttMs),
      lossPct: round(lossPct(dPacketsAll, dLostAll), 1),
      jitterMs: jitterAll,
      fps: best?.fps,
      width: best?.width,
      height: best?.height,
      freezes: freezesAll,
      downKbps: round(downKbps),
      availableKbps: available === undefined ? undefined : round(available / 1000),
      videoFlowing: !!best,
      participants,
    },
  };
}

/** The send transport's stats → upload bitrate, and the loss/RTT the server reports back. */
export function summariseSend(stats: RawStat[], prev: StatsMemory | undefined): { summary: SendSummary; memory: StatsMemory } {
  const memory: StatsMemory = new Map();
  let upKbps: number | undefined;
  for (const s of stats) {
    if (s.type !== 'outbound-rtp') continue;
    const bytes = num(s.bytesSent) ?? 0;
    const before = prev?.get(s.id);
    memory.set(s.id, { timestamp: s.timestamp, bytes, packets: num(s.packetsSent) ?? 0, lost: 0, frames: 0, freezes: 0 });
    const kbps = rate(before, s.timestamp, bytes);
    if (kbps !== undefined) upKbps = (upKbps ?? 0) + kbps;
  }
  let rttMs: number | undefined;
  let loss: number | undefined;
  for (const s of stats) {
    if (s.type !== 'remote-inbound-rtp') continue;
    const rtt = num(s.roundTripTime);
    if (rtt !== undefined) rttMs = worst(rttMs, rtt * 1000);
    const fraction = num(s.fractionLost);
    if (fraction !== undefined) loss = worst(loss, fraction * 100);
  }
  const pairRtt = num(selectedPair(stats)?.currentRoundTripTime);
  return { memory, summary: { upKbps: round(upKbps), rttMs: round(rttMs ?? (pairRtt === undefined ? undefined : pairRtt * 1000)), lossPct: round(loss, 1) } };
}

/** The 3-level verdict: the worst of RTT, loss, jitter, and (for flowing video) fps and freezes. */
export function qualityLevel(m: QualityMetrics): QualityLevel {
  const over = (v: number | undefined, limit: number) => v !== undefined && v >= limit;
  const under = (v: number | undefined, limit: number) => v !== undefined && v < limit;
  if (over(m.rttMs, QUALITY.poorRttMs) || over(m.lossPct, QUALITY.poorLossPct) || over(m.jitterMs, QUALITY.poorJitterMs) || under(m.fps, QUALITY.poorFps)) return 'poor';
  if (over(m.rttMs, QUALITY.fairRttMs) || over(m.lossPct, QUALITY.fairLossPct) || over(m.jitterMs, QUALITY.fairJitterMs) || under(m.fps, QUALITY.fairFps) || (m.freezes ?? 0) > 0) return 'fair';
  return 'good';
}

const LEVEL_ORDER: Record<QualityLevel, number> = { good: 0, fair: 1, poor: 2 };
export const worseLevel = (a: QualityLevel, b: QualityLevel): QualityLevel => (LEVEL_ORDER[a] >= LEVEL_ORDER[b] ? a : b);

/** This seat's summary as the server takes it (`quality:report`): finite numbers only. */
export function ownReport(recv: ReceiveSummary | undefined, send: SendSummary | undefined, audioOnly: { chosen: boolean; forced: boolean }): QualityReport {
  const rttMs = worst(recv?.rttMs, send?.rttMs);
  const lossPct = worst(recv?.lossPct, send?.lossPct);
  const metrics: QualityMetrics = { rttMs, lossPct, jitterMs: recv?.jitterMs, fps: recv?.fps, freezes: recv?.freezes };
  // Video that could not be kept up is poor, whatever the audio numbers say now.
  const level = audioOnly.forced ? 'poor' : qualityLevel(metrics);
  const clamp = (v: number | undefined, max: number) => (v === undefined || !Number.isFinite(v) ? undefined : Math.min(max, Math.max(0, v)));
  const report: QualityReport = { level, audioOnly: audioOnly.chosen || audioOnly.forced };
  const put = <K extends keyof QualityReport>(k: K, v: QualityReport[K] | undefined) => {
    if (v !== undefined) report[k] = v;
  };
  put('rttMs', clamp(rttMs, 60_000));
  put('lossPct', clamp(lossPct, 100));
  put('jitterMs', clamp(recv?.jitterMs, 60_000));
  put('fps', clamp(recv?.fps, 240));
  put('width', clamp(recv?.width, 10_000));
  put('height', clamp(recv?.height, 10_000));
  put('downKbps', clamp(recv?.downKbps, 1_000_000));
  put('upKbps', clamp(send?.upKbps, 1_000_000));
  return report;
}

type T = Texts['t'];
type Metrics = Partial<QualityReport> & QualityMetrics & { kbps?: number | undefined };

/** The verdict and the numbers, e.g. "fair: 320 ms round trip, 3% loss, …", in the texts' language. */
export function qualitySummary(level: QualityLevel, m: Metrics, t: T = englishTexts.t): string {
  const parts: string[] = [];
  if (m.rttMs !== undefined) parts.push(t('quality.rtt', { ms: Math.round(m.rttMs) }));
  if (m.lossPct !== undefined) parts.push(t('quality.loss', { pct: m.lossPct }));
  if (m.jitterMs !== undefined) parts.push(t('quality.jitter', { ms: Math.round(m.jitterMs) }));
  if (m.width && m.height) parts.push(`${m.width}×${m.height}`);
  if (m.fps !== undefined) parts.push(t('quality.fps', { fps: Math.round(m.fps) }));
  const kbps = m.kbps ?? m.downKbps;
  if (kbps !== undefined) parts.push(t('quality.kbps', { kbps: Math.round(kbps) }));
  if (m.audioOnly) parts.push(t('quality.audioOnly'));
  return `${t(`quality.${level}`)}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/**
 * Words for a badge's label and tooltip, e.g. "Connection fair: 320 ms round trip, 3% loss, …"
 * (`prefix` defaults to "Connection" in the texts' language).
 */
export function describeQuality(level: QualityLevel, m: Metrics, prefix?: string, t: T = englishTexts.t): string {
  return `${prefix ?? t('quality.connection')} ${qualitySummary(level, m, t)}`;
}
