import { expect } from '@esm-bundle/chai';
import { QUALITY, describeQuality, ownReport, qualityLevel, readStats, summariseReceive, summariseSend, type RawStat, type TrackOwner } from '../../widget/room/quality.js';
import { qualityReportSchema } from '../../protocol/signaling.js';

/* The stats summariser and the 3-level verdict, on synthetic getStats output (Chromium's shape). */

const owners = new Map<string, TrackOwner>([
  ['coach-video', { participantId: 'coach', kind: 'video', source: 'camera' }],
  ['coach-audio', { participantId: 'coach', kind: 'audio', source: 'mic' }],
  ['ana-video', { participantId: 'ana', kind: 'video', source: 'camera' }],
]);

interface Tick {
  t: number;
  rtt?: number;
  video: { bytes: number; packets: number; lost: number; frames: number; freezes?: number; fps?: number; w?: number; h?: number; jitter?: number };
  audio: { bytes: number; packets: number; lost: number; jitter?: number };
  ana?: { bytes: number; packets: number; lost: number; frames: number; w?: number; h?: number };
}

/** One receive-side getStats report, as Chromium shapes it. */
function recvReport(x: Tick): RawStat[] {
  const out: RawStat[] = [
    { id: 'T01', type: 'transport', timestamp: x.t, selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', timestamp: x.t, state: 'succeeded', nominated: true, ...(x.rtt !== undefined ? { currentRoundTripTime: x.rtt } : {}) },
    { id: 'CP2', type: 'candidate-pair', timestamp: x.t, state: 'failed', currentRoundTripTime: 9 },
    {
      id: 'IV1', type: 'inbound-rtp', kind: 'video', timestamp: x.t, trackIdentifier: 'coach-video',
      bytesReceived: x.video.bytes, packetsReceived: x.video.packets, packetsLost: x.video.lost, framesDecoded: x.video.frames,
      freezeCount: x.video.freezes ?? 0, framesPerSecond: x.video.fps, frameWidth: x.video.w, frameHeight: x.video.h, jitter: x.video.jitter ?? 0.004,
    },
    { id: 'IA1', type: 'inbound-rtp', kind: 'audio', timestamp: x.t, trackIdentifier: 'coach-audio', bytesReceived: x.audio.bytes, packetsReceived: x.audio.packets, packetsLost: x.audio.lost, jitter: x.audio.jitter ?? 0.002 },
    { id: 'CO1', type: 'codec', timestamp: x.t, mimeType: 'video/VP8' },
  ];
  if (x.ana) {
    out.push({ id: 'IV2', type: 'inbound-rtp', kind: 'video', timestamp: x.t, trackIdentifier: 'ana-video', bytesReceived: x.ana.bytes, packetsReceived: x.ana.packets, packetsLost: x.ana.lost, framesDecoded: x.ana.frames, frameWidth: x.ana.w, frameHeight: x.ana.h });
  }
  return out;
}

describe('quality: summarising getStats', () => {
  it('turns counters into rates per participant, with the link RTT from the selected pair', () => {
    const first = summariseReceive(recvReport({ t: 1000, rtt: 0.04, video: { bytes: 0, packets: 0, lost: 0, frames: 0 }, audio: { bytes: 0, packets: 0, lost: 0 } }), undefined, owners);
    // Nothing to compare with yet: no rates, no video flowing.
    expect(first.summary.downKbps).to.equal(undefined);
    expect(first.summary.videoFlowing).to.equal(false);
    expect(first.summary.rttMs).to.equal(40);

    const second = summariseReceive(
      recvReport({ t: 3000, rtt: 0.04, video: { bytes: 250_000, packets: 300, lost: 0, frames: 60, fps: 30, w: 1280, h: 720 }, audio: { bytes: 10_000, packets: 100, lost: 0 } }),
      first.memory,
      owners,
    );
    const coach = second.summary.participants.get('coach')!;
    expect(coach.videoFlowing).to.equal(true);
    expect(coach.kbps).to.equal(1040); // (250 000 + 10 000) bytes * 8 / 2000 ms
    expect(coach.fps).to.equal(30);
    expect([coach.width, coach.height]).to.deep.equal([1280, 720]);
    expect(coach.lossPct).to.equal(0);
    expect(coach.rttMs).to.equal(40);
    expect(coach.jitterMs).to.equal(4);
    expect(coach.level).to.equal('good');
    expect(second.summary.downKbps).to.equal(1040);
    expect(second.summary.fps).to.equal(30);
    expect(second.summary.height).to.equal(720);
  });

  it('counts loss over the window, sees freezes, and calls a paused video not flowing', () => {
    const a = summariseReceive(recvReport({ t: 0, rtt: 0.3, video: { bytes: 1e5, packets: 1000, lost: 10, frames: 100, freezes: 1 }, audio: { bytes: 1e4, packets: 500, lost: 0 } }), undefined, owners);
    // 100 video and 100 audio packets arrive, 12 video packets are lost; one new freeze; 10 frames in 2 s.
    const b = summariseReceive(recvReport({ t: 2000, rtt: 0.3, video: { bytes: 1.5e5, packets: 1100, lost: 22, frames: 110, freezes: 2, fps: 5, w: 320, h: 180 }, audio: { bytes: 1.2e4, packets: 600, lost: 0 } }), a.memory, owners);
    const coach = b.summary.participants.get('coach')!;
    expect(coach.lossPct).to.equal(5.7); // 12 lost of 200 received + 12 (audio and video together)
    expect(coach.freezes).to.equal(1);
    expect(coach.fps).to.equal(5);
    expect(coach.level).to.equal('fair'); // 300 ms RTT, 6 % loss, a freeze
    // A paused consumer: counters stand still.
    const c = summariseReceive(recvReport({ t: 4000, rtt: 0.3, video: { bytes: 1.5e5, packets: 1100, lost: 22, frames: 110, fps: 5, w: 320, h: 180 }, audio: { bytes: 1.4e4, packets: 700, lost: 0 } }), b.memory, owners);
    const paused = c.summary.participants.get('coach')!;
    expect(paused.videoFlowing).to.equal(false);
    expect(paused.fps).to.equal(undefined);
    expect(paused.width).to.equal(undefined);
    expect(c.summary.videoFlowing).to.equal(false);
  });

  it('describes the link by the largest video flowing (the coach, not a small tile)', () => {
    const a = summariseReceive(recvReport({ t: 0, video: { bytes: 0, packets: 0, lost: 0, frames: 0 }, audio: { bytes: 0, packets: 0, lost: 0 }, ana: { bytes: 0, packets: 0, lost: 0, frames: 0 } }), undefined, owners);
    const b = summariseReceive(
      recvReport({ t: 2000, video: { bytes: 1e5, packets: 100, lost: 0, frames: 48, fps: 24, w: 640, h: 360 }, audio: { bytes: 1e4, packets: 100, lost: 0 }, ana: { bytes: 2e4, packets: 40, lost: 0, frames: 30, w: 160, h: 90 } }),
      a.memory,
      owners,
    );
    expect(b.summary.height).to.equal(360);
    const ana = b.summary.participants.get('ana')!;
    expect(ana.fps).to.equal(15); // no framesPerSecond: from frames decoded over the window
    expect(ana.height).to.equal(90);
    expect(b.summary.rttMs).to.equal(undefined);
  });

  it('reads an RTCStatsReport-like map, an array and a recorded object alike', () => {
    const arr = recvReport({ t: 1, video: { bytes: 0, packets: 0, lost: 0, frames: 0 }, audio: { bytes: 0, packets: 0, lost: 0 } });
    const map = new Map(arr.map((s) => [s.id, s]));
    expect(readStats(map as unknown as RTCStatsReport)).to.have.length(arr.length);
    expect(readStats(arr)).to.have.length(arr.length);
    expect(readStats(Object.fromEntries(map))).to.have.length(arr.length);
  });

  it('sums what is sent and takes loss and RTT from what the server reports back', () => {
    const send = (t: number, bytes: number, fraction: number): RawStat[] => [
      { id: 'O1', type: 'outbound-rtp', kind: 'video', timestamp: t, bytesSent: bytes, packetsSent: bytes / 1000 },
      { id: 'O2', type: 'outbound-rtp', kind: 'video', timestamp: t, bytesSent: bytes / 2, packetsSent: bytes / 2000 },
      { id: 'R1', type: 'remote-inbound-rtp', kind: 'video', timestamp: t, roundTripTime: 0.05, fractionLost: fraction },
    ];
    const a = summariseSend(send(0, 1e5, 0), undefined);
    expect(a.summary.upKbps).to.equal(undefined);
    const b = summariseSend(send(1000, 2e5, 0.05), a.memory);
    expect(b.summary.upKbps).to.equal(1200);
    expect(b.summary.rttMs).to.equal(50);
    expect(b.summary.lossPct).to.equal(5);
  });
});

describe('quality: the level', () => {
  it('is good, fair or poor by the worst of its numbers', () => {
    expect(qualityLevel({})).to.equal('good');
    expect(qualityLevel({ rttMs: 40, lossPct: 0, jitterMs: 5, fps: 30 })).to.equal('good');
    expect(qualityLevel({ rttMs: QUALITY.fairRttMs })).to.equal('fair');
    expect(qualityLevel({ lossPct: QUALITY.fairLossPct })).to.equal('fair');
    expect(qualityLevel({ jitterMs: QUALITY.fairJitterMs })).to.equal('fair');
    expect(qualityLevel({ fps: QUALITY.fairFps - 1 })).to.equal('fair');
    expect(qualityLevel({ freezes: 1 })).to.equal('fair');
    expect(qualityLevel({ rttMs: QUALITY.poorRttMs })).to.equal('poor');
    expect(qualityLevel({ lossPct: 20, rttMs: 10 })).to.equal('poor');
    expect(qualityLevel({ jitterMs: QUALITY.poorJitterMs })).to.equal('poor');
    expect(qualityLevel({ fps: 2 })).to.equal('poor');
    // No video flowing (fps undefined) is not held against the link.
    expect(qualityLevel({ fps: undefined, rttMs: 20 })).to.equal('good');
  });

  it('makes a report the server accepts, poor while video could not be kept up', () => {
    const recv = { rttMs: 30, lossPct: 0.5, jitterMs: 3, fps: 24, width: 640, height: 360, freezes: 0, downKbps: 700.4, videoFlowing: true, participants: new Map() };
    const report = ownReport(recv, { upKbps: 900, rttMs: 35, lossPct: 0 }, { chosen: false, forced: false });
    expect(report).to.deep.equal({ level: 'good', audioOnly: false, rttMs: 35, lossPct: 0.5, jitterMs: 3, fps: 24, width: 640, height: 360, downKbps: 700.4, upKbps: 900 });
    expect(qualityReportSchema.safeParse(report).success).to.equal(true);
    expect(ownReport(recv, undefined, { chosen: false, forced: true }).level).to.equal('poor');
    const chosen = ownReport(undefined, undefined, { chosen: true, forced: false });
    expect(chosen).to.deep.equal({ level: 'good', audioOnly: true });
    expect(qualityReportSchema.safeParse(chosen).success).to.equal(true);
  });

  it('says it in words', () => {
    expect(describeQuality('fair', { rttMs: 320.4, lossPct: 3, fps: 24, width: 640, height: 360, kbps: 512 })).to.equal('Connection fair: 320 ms round trip, 3% loss, 640×360, 24 fps, 512 kbps');
    expect(describeQuality('good', {}, 'Ana: connection')).to.equal('Ana: connection good');
    expect(describeQuality('poor', { audioOnly: true })).to.equal('Connection poor: audio only');
  });
});
