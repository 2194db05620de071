import { englishTexts, type Texts } from '../../i18n/locale.js';
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ClassStateView } from '../../../protocol/class-state.js';
import { REACTIONS } from '../../../protocol/social-constants.js';
import type { ClassModel } from '../../room/class-model.js';
import { REACTION_IDS, type Floater, type ReactionsModel } from '../../room/reactions-model.js';
import type { WaitlistState } from '../../room/room-model.js';
import type { Run } from './class-panels.js';

/*
 * Templates for the social parts of <fit-class-room>: hands, reactions, seats and the waitlist
 * (the chat panel is ../chat-panel.ts, shared with <fit-live-stream>). Pure functions of the
 * models; user text goes through Lit text bindings only.
 */

type T = Texts['t'];
const EN: T = englishTexts.t;

/** A member's raise/lower hand toggle, with their place in the queue. */
export function handToggle(fitness: ClassModel, selfId: string, run: Run, t: T = EN): TemplateResult {
  const pos = fitness.handPosition(selfId);
  return html`<span class="hand-control">
    <button part="hand-button" class="chip" data-testid="hand-toggle" aria-pressed=${pos > 0} @click=${() => run(() => (pos ? fitness.lowerHand() : fitness.raiseHand()))}>
      <span aria-hidden="true">✋</span> ${t(pos ? 'hand.lower' : 'hand.raise')}
    </button>
    ${pos ? html`<span class="muted" data-testid="hand-position" data-position=${pos} role="status">${t('hand.inLine', { n: pos })}</span>` : nothing}
  </span>`;
}

/** The coach's queue of raised hands, oldest first. */
export function handQueue(fitness: ClassModel, names: ReadonlyMap<string, string>, run: Run, t: T = EN): TemplateResult | typeof nothing {
  const hands = fitness.state?.hands ?? [];
  if (!hands.length) return nothing;
  return html`<section part="hands" class="hands" data-testid="hand-queue" aria-labelledby="hands-title">
    <h4 id="hands-title"><span aria-hidden="true">✋</span> ${t('hand.queue', { n: hands.length })}</h4>
    <ol>
      ${repeat(
        hands,
        (id) => id,
        (id, i) => html`<li data-testid="hand" data-participant-id=${id} data-position=${i + 1}>
          <span class="num">${i + 1}</span>
          <span class="who">${names.get(id) ?? t('hand.someone')}</span>
          <button class="mini" data-testid="hand-call" @click=${() => run(() => fitness.callOnHand(id))}>${t('hand.call')}</button>
          <button class="mini" data-testid="hand-lower" aria-label=${t('hand.lowerLabel', { name: names.get(id) })} @click=${() => run(() => fitness.lowerHand(id))}>${t('hand.lowerShort')}</button>
        </li>`,
      )}
    </ol>
  </section>`;
}

/** The hand badge on a participant's tile. */
export function tileHand(fitness: ClassModel, participantId: string, t: T = EN): TemplateResult | typeof nothing {
  const pos = fitness.handPosition(participantId);
  return pos
    ? html`<span part="hand-badge" class="hand-badge" data-testid="tile-hand" data-position=${pos} role="img" aria-label=${t('hand.badge', { n: pos })}>✋ ${pos}</span>`
    : nothing;
}

/** One button per reaction; a short notice when the server says "too fast". */
export function reactionBar(reactions: ReactionsModel, run: Run, t: T = EN): TemplateResult {
  return html`<div part="reactions" class="reactions" role="group" aria-label=${t('reactions')}>
    ${REACTIONS.map((e) => {
      const label = t(`reaction.${REACTION_IDS[e]}`);
      return html`<button class="reaction" data-testid="reaction" data-emoji=${e} data-reaction=${REACTION_IDS[e]} aria-label=${label} title=${label} @click=${() => run(() => reactions.send(e))}>
        ${e}
      </button>`;
    })}
    ${reactions.notice ? html`<span class="reaction-notice muted" role="status" data-testid="reaction-notice" data-code=${reactions.notice.code}>${t('reactions.tooFast')}</span>` : nothing}
  </div>`;
}

/** Floating emoji over the stage (decorative: hidden from screen readers). */
export function floaterLayer(floaters: readonly Floater[]): TemplateResult {
  return html`<div part="reaction-layer" class="floaters" aria-hidden="true">
    ${repeat(floaters, (f) => f.id, (f) => html`<span class="floater" data-testid="floater" data-lane=${f.lane} data-variant=${f.variant}>${f.emoji}</span>`)}
  </div>`;
}

/** "12 / 20 in class · 3 waiting". */
export function seatsView(seats: ClassStateView['seats'] | undefined, t: T = EN): TemplateResult | typeof nothing {
  if (!seats || !Number.isFinite(seats.capacity)) return nothing;
  return html`<span part="seats" class="seats" data-testid="seats" data-taken=${seats.taken} data-capacity=${seats.capacity} data-waiting=${seats.waiting}
    >${t('seats', seats)}</span
  >`;
}

/** The class is full: join the line, see one's place, or go back. */
export function waitlistView(waitlist: WaitlistState | undefined, join: () => void, leave: () => void, t: T = EN): TemplateResult {
  const position = waitlist?.position;
  return html`<div part="waitlist" class="lobby waitlist" data-testid="class-full">
    <strong class="full-title">${t('waitlist.full')}</strong>
    ${position === undefined
      ? html`<span>${t('waitlist.offer')}</span>
          <button part="waitlist-button" data-testid="waitlist-join" @click=${join}>${t('waitlist.join')}</button>`
      : position === 0
        ? html`<span role="status" data-testid="waitlist-position" data-position="0">${t('waitlist.placeFree')}</span>`
        : html`<span role="status" data-testid="waitlist-position" data-position=${position}>
            ${t('waitlist.numberBefore')} <strong>${position}</strong> ${t('waitlist.numberAfter')}
          </span>`}
    <button class="chip" data-testid="waitlist-leave" @click=${leave}>${t(position === undefined ? 'waitlist.notNow' : 'waitlist.leave')}</button>
  </div>`;
}
