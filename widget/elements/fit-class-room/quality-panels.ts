import { englishTexts, type Texts } from '../../i18n/locale.js';
import { html, nothing, type TemplateResult } from 'lit';
import type { QualityReport } from '../../../protocol/signaling.js';
import { describeQuality, qualitySummary, type ParticipantQuality, type QualityLevel } from '../../room/quality.js';
import type { RoomState } from '../../room/room-model.js';
import type { Run } from './class-panels.js';

/*
 * Connection quality on tiles, the audio-only notice and the member's media choices
 * (audio only, camera off/on). Pure templates of the room state.
 */

const BARS: Record<QualityLevel, number> = { good: 3, fair: 2, poor: 1 };

/**
 * A focusable badge: three bars (3 good, 2 fair, 1 poor, so not colour alone) whose details
 * show as a tooltip on hover and on keyboard focus; the same words are its accessible name.
 */
export function qualityBadge(q: { level: QualityLevel; details: string; source: 'measured' | 'reported' } | undefined, extraClass = ''): TemplateResult | typeof nothing {
  if (!q) return nothing;
  return html`<button type="button" part=${`quality quality-${q.level}`} class="quality ${extraClass}" data-testid="quality-badge" data-level=${q.level} data-source=${q.source}
    aria-label=${q.details} data-bars=${BARS[q.level]}>
    <span class="bars" aria-hidden="true"><i></i><i></i><i></i></span>
    <span part="quality-details" class="tip" aria-hidden="true">${q.details}</span>
  </button>`;
}

/** What a tile shows: what the person reports of their own connection (coaches), else what arrives here. */
export function tileQuality(s: RoomState, participantId: string, name: string, t: Texts['t'] = englishTexts.t): { level: QualityLevel; details: string; source: 'measured' | 'reported' } | undefined {
  const reported: QualityReport | undefined = s.reportedQuality[participantId];
  const measured: ParticipantQuality | undefined = s.quality[participantId];
  const prefix = t('quality.of', { name });
  if (reported) {
    const details = describeQuality(reported.level, reported, prefix, t) + (measured ? `. ${t('quality.here', { summary: qualitySummary(measured.level, measured, t) })}` : '');
    return { level: reported.level, details, source: 'reported' };
  }
  if (measured) return { level: measured.level, details: describeQuality(measured.level, measured, prefix, t), source: 'measured' };
  return undefined;
}

/** Why video is off, on the stage (a status, read out once). */
export function audioOnlyNotice(s: RoomState, t: Texts['t'] = englishTexts.t): TemplateResult | typeof nothing {
  const { chosen, forced } = s.audioOnly;
  if (!chosen && !forced) return nothing;
  return html`<p part="quality-notice" class="quality-notice" role="status" data-testid="audio-only-notice" data-reason=${chosen ? 'chosen' : 'weak'}>
    ${t(chosen ? 'media.audioOnlyChosen' : 'media.audioOnlyWeak')}
  </p>`;
}

/** Audio only (a toggle) and camera off/on. */
export function mediaChoices(room: { setAudioOnly(on: boolean): void; setCameraOff(off: boolean): Promise<void> }, s: RoomState, run: Run, t: Texts['t'] = englishTexts.t): TemplateResult {
  return html`<button part="audio-only-button" class="chip" data-testid="audio-only-toggle" aria-pressed=${s.audioOnly.chosen ? 'true' : 'false'}
      @click=${() => room.setAudioOnly(!s.audioOnly.chosen)}>${t('media.audioOnly')}</button>
    <button part="camera-button" class="chip" data-testid="camera-toggle" data-state=${s.cameraOff ? 'off' : 'on'}
      @click=${() => run(() => room.setCameraOff(!s.cameraOff))}>${t(s.cameraOff ? 'media.cameraOn' : 'media.cameraOff')}</button>`;
}
