import type { QualityReport } from '../../protocol/signaling.js';
import { adapt, initialAdapt, type AdaptSample, type AdaptState } from './adaptation.js';
import {
  QUALITY_POLL_MS,
  QUALITY_REPORT_MS,
  ownReport,
  readStats,
  summariseReceive,
  summariseSend,
  type ParticipantQuality,
  type ReceiveSummary,
  type SendSummary,
  type StatsMemory,
  type TrackOwner,
} from './quality.js';

export interface QualitySnapshot {
  /** Each remote participant's media as received here. */
  participants: Readonly<Record<string, ParticipantQuality>>;
  /** This seat's own summary (what it reports). */
  self: QualityReport;
  adapt: AdaptState;
}

export interface QualityMonitorDeps {
  /** One getStats per transport. */
  stats(): Promise<{ recv?: RTCStatsReport | undefined; send?: RTCStatsReport | undefined }>;
  /** Received tracks by track id. */
  owners(): ReadonlyMap<string, TrackOwner>;
  /** The member chose audio only: the adaptation holds still meanwhile. */
  chosenAudioOnly(): boolean;
  /** After each poll; `adaptChanged` when the layer cap or audio-only changed. */
  onSample(snapshot: QualitySnapshot, adaptChanged: boolean): void;
  /** Every few seconds: this seat's summary, for the server. */
  report(report: QualityReport): void;
  now?: () => number;
}

/**
 * Polls getStats once per transport every QUALITY_POLL_MS (never per tile or per frame), turns
 * the stats into summaries (quality.ts), feeds the adaptation machine (adaptation.ts), and hands
 * the latest own summary to `report` every QUALITY_REPORT_MS.
 */
export class QualityMonitor {
  adaptState: AdaptState;
  private recvMemory: StatsMemory | undefined;
  private sendMemory: StatsMemory | undefined;
  private recv: ReceiveSummary | undefined;
  private send: SendSummary | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private reportTimer: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  private stopped = false;

  constructor(
    private readonly deps: QualityMonitorDeps,
    private readonly pollMs = QUALITY_POLL_MS,
    private readonly reportMs = QUALITY_REPORT_MS,
  ) {
    this.adaptState = initialAdapt(this.now());
  }

  private now(): number {
    return this.deps.now?.() ?? performance.now();
  }

  start(): void {
    this.stopped = false;
    this.pollTimer ??= setInterval(() => void this.poll(), this.pollMs);
    this.reportTimer ??= setInterval(() => this.deps.report(this.current()), this.reportMs);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.reportTimer);
    this.pollTimer = this.reportTimer = undefined;
  }

  /** This seat's summary now. */
  current(): QualityReport {
    return ownReport(this.recv, this.send, { chosen: this.deps.chosenAudioOnly(), forced: this.adaptState.audioOnly });
  }

  /** Feeds one sample to the adaptation by hand (tests, or a page that knows better). */
  feed(sample: Omit<AdaptSample, 'at'> & { at?: number }): void {
    const before = this.adaptState;
    this.adaptState = adapt(before, { ...sample, at: sample.at ?? this.now() });
    const changed = before.cap !== this.adaptState.cap || before.audioOnly !== this.adaptState.audioOnly;
    this.deps.onSample({ participants: Object.fromEntries(this.recv?.participants ?? []), self: this.current(), adapt: this.adaptState }, changed);
  }

  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const { recv, send } = await this.deps.stats();
      if (this.stopped) return;
      if (recv) {
        const r = summariseReceive(readStats(recv), this.recvMemory, this.deps.owners());
        this.recv = r.summary;
        this.recvMemory = r.memory;
      }
      if (send) {
        const s = summariseSend(readStats(send), this.sendMemory);
        this.send = s.summary;
        this.sendMemory = s.memory;
      }
      const before = this.adaptState;
      if (this.recv && !this.deps.chosenAudioOnly()) {
        const r = this.recv;
        this.adaptState = adapt(before, { at: this.now(), lossPct: r.lossPct, rttMs: r.rttMs, fps: r.fps, freezes: r.freezes, availableKbps: r.availableKbps });
      }
      const changed = before.cap !== this.adaptState.cap || before.audioOnly !== this.adaptState.audioOnly;
      this.deps.onSample({ participants: Object.fromEntries(this.recv?.participants ?? []), self: this.current(), adapt: this.adaptState }, changed);
    } catch (err) {
      console.warn('[fitlive] quality stats', err);
    } finally {
      this.polling = false;
    }
  }
}
