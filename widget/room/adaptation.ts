/*
 * Bandwidth adaptation on the receiving side, as a pure state machine fed one sample per stats
 * poll. Video that cannot be kept up first drops a simulcast layer (the cap is combined with the
 * tile's own layer: min(size layer, cap)), then falls back to audio only; after a while it probes
 * the lowest layer again (waiting longer after each failed probe) and steps back up while the
 * samples stay good. Every threshold is here.
 */

export const ADAPT = {
  /** A sample is bad at this much loss (%) … */
  badLossPct: 10,
  /** … or this round trip (ms) … */
  badRttMs: 800,
  /**
   * … or flowing video this slow (fps) while it also freezes: low fps alone is as often the
   * sender (a busy phone, a CPU-bound coach) as our link, and dropping our layer cannot fix that.
   */
  badFps: 5,
  /** … or the path's own estimate below this (kbps, when the browser offers one). */
  badAvailableKbps: 150,
  /** A sample is good below this loss (%) and round trip (ms), with no freeze. */
  goodLossPct: 2,
  goodRttMs: 300,
  /** Consecutive bad samples before dropping a step (layer, then video). */
  downAfter: 2,
  /** Consecutive good samples before stepping a layer up. */
  upAfter: 5,
  /** After any change, samples are not held against video for this long (keyframes, resumes). */
  settleMs: 3000,
  /** First wait in audio only before probing the lowest layer; doubled after each failed probe. */
  probeAfterMs: 10_000,
  maxProbeAfterMs: 120_000,
  /** Good samples at the lowest layer before a probe counts as a recovery. */
  probeConfirm: 3,
  /** The highest spatial layer (3 simulcast layers: 0, 1, 2). */
  topLayer: 2,
} as const;

export interface AdaptSample {
  /** When (ms, any monotonic clock). */
  at: number;
  lossPct?: number | undefined;
  rttMs?: number | undefined;
  /** Fps of flowing camera video (undefined: none flowing). */
  fps?: number | undefined;
  /** Freezes since the previous sample. */
  freezes?: number | undefined;
  /** The receiving path's estimate (kbps), when there is one. */
  availableKbps?: number | undefined;
}

export interface AdaptState {
  /** The highest spatial layer video may use now. */
  cap: number;
  /** Video cannot be kept up: receive audio only. */
  audioOnly: boolean;
  /** Probing the lowest layer after audio only (one bad sample sends it back). */
  probing: boolean;
  bad: number;
  good: number;
  lastChangeAt: number;
  /** While audio only: when to probe next. */
  probeAt: number;
  /** The wait before the next probe (grows after failed probes, resets on full recovery). */
  backoffMs: number;
}

export function initialAdapt(at = 0): AdaptState {
  return { cap: ADAPT.topLayer, audioOnly: false, probing: false, bad: 0, good: 0, lastChangeAt: at - ADAPT.settleMs, probeAt: 0, backoffMs: ADAPT.probeAfterMs };
}

export type SampleVerdict = 'bad' | 'ok' | 'good';

export function classifySample(s: AdaptSample): SampleVerdict {
  if (
    (s.lossPct ?? 0) >= ADAPT.badLossPct ||
    (s.rttMs ?? 0) >= ADAPT.badRttMs ||
    (s.fps !== undefined && s.fps < ADAPT.badFps && (s.freezes ?? 0) > 0) ||
    (s.availableKbps !== undefined && s.availableKbps < ADAPT.badAvailableKbps)
  )
    return 'bad';
  // Freezes alone make video "not good" (it does not step up) but are no reason to drop it.
  if ((s.lossPct ?? 0) < ADAPT.goodLossPct && (s.rttMs ?? 0) < ADAPT.goodRttMs && !(s.freezes ?? 0)) return 'good';
  return 'ok';
}

/** One step of the machine: the state after `sample`. */
export function adapt(state: AdaptState, sample: AdaptSample): AdaptState {
  const verdict = classifySample(sample);
  const settled = sample.at - state.lastChangeAt >= ADAPT.settleMs;
  const changed = (patch: Partial<AdaptState>): AdaptState => ({ ...state, bad: 0, good: 0, lastChangeAt: sample.at, ...patch });

  if (state.audioOnly) {
    // Audio only: wait for the probe time, then try the lowest layer on a sample that is not bad.
    if (sample.at >= state.probeAt && verdict !== 'bad') return changed({ audioOnly: false, probing: true, cap: 0 });
    return state;
  }

  if (verdict === 'bad') {
    if (!settled) return state;
    // A probe that fails goes straight back to audio only, and waits longer next time.
    if (state.probing) {
      const backoffMs = Math.min(state.backoffMs * 2, ADAPT.maxProbeAfterMs);
      return changed({ audioOnly: true, probing: false, backoffMs, probeAt: sample.at + backoffMs });
    }
    const bad = state.bad + 1;
    if (bad < ADAPT.downAfter) return { ...state, bad, good: 0 };
    if (state.cap > 0) return changed({ cap: state.cap - 1 });
    return changed({ audioOnly: true, probeAt: sample.at + state.backoffMs });
  }

  if (verdict === 'good') {
    const good = state.good + 1;
    if (state.probing) {
      if (good < ADAPT.probeConfirm) return { ...state, good, bad: 0 };
      return changed({ probing: false });
    }
    if (state.cap < ADAPT.topLayer && good >= ADAPT.upAfter) {
      const cap = state.cap + 1;
      // All the way back up: the next trouble starts from the first, short, probe wait.
      return changed({ cap, backoffMs: cap === ADAPT.topLayer ? ADAPT.probeAfterMs : state.backoffMs });
    }
    return { ...state, good, bad: 0 };
  }

  return { ...state, bad: 0, good: 0 };
}

/** The layer and visibility a camera consumer gets: the tile's wish, within what the link allows. */
export function effectiveView(view: { visible: boolean; layer: number }, adapt: Pick<AdaptState, 'cap' | 'audioOnly'>, chosenAudioOnly: boolean): { visible: boolean; spatialLayer: number } {
  return { visible: view.visible && !adapt.audioOnly && !chosenAudioOnly, spatialLayer: Math.max(0, Math.min(view.layer, adapt.cap)) };
}

/** The tile's own layer from its rendered height. */
export const layerForHeight = (height: number): number => (height < 240 ? 0 : height < 540 ? 1 : 2);
