import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ClassStateView } from '../../../protocol/class-state.js';
import { REACTIONS } from '../../../protocol/social-constants.js';
import type { ClassModel } from '../../room/class-model.js';
import { REACTION_LABELS, type Floater, type ReactionsModel } from '../../room/reactions-model.js';
import type { WaitlistState } from '../../room/room-model.js';
import type { Run } from './class-panels.js';

/*
 * Templates for the social parts of <fit-class-room>: hands, reactions, seats and the waitlist
 * (the chat panel is ../chat-panel.ts, shared with <fit-live-stream>). Pure functions of the
 * models; user text goes through Lit text bindings only.
 */

const ordinal = (n: number) => {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${s}`;
};

/** A member's raise/lower hand toggle, with their place in the queue. */
export function handToggle(fitness: ClassModel, selfId: string, run: Run): TemplateResult {
  const pos = fitness.handPosition(selfId);
  return html`<span class="hand-control">
    <button part="hand-button" class="chip" data-testid="hand-toggle" aria-pressed=${pos > 0} @click=${() => run(() => (pos ? fitness.lowerHand() : fitness.raiseHand()))}>
      <span aria-hidden="true">✋</span> ${pos ? 'Lower hand' : 'Raise hand'}
    </button>
    ${pos ? html`<span class="muted" data-testid="hand-position" data-position=${pos} role="status">${ordinal(pos)} in line</span>` : nothing}
  </span>`;
}

/** The coach's queue of raised hands, oldest first. */
export function handQueue(fitness: ClassModel, names: ReadonlyMap<string, string>, run: Run): TemplateResult | typeof nothing {
  const hands = fitness.state?.hands ?? [];
  if (!hands.length) return nothing;
  return html`<section part="hands" class="hands" data-testid="hand-queue" aria-labelledby="hands-title">
    <h4 id="hands-title"><span aria-hidden="true">✋</span> Raised hands (${hands.length})</h4>
    <ol>
      ${repeat(
        hands,
        (id) => id,
        (id, i) => html`<li data-testid="hand" data-participant-id=${id} data-position=${i + 1}>
          <span class="num">${i + 1}</span>
          <span class="who">${names.get(id) ?? 'A member'}</span>
          <button class="mini" data-testid="hand-call" @click=${() => run(() => fitness.callOnHand(id))}>Call on</button>
          <button class="mini" data-testid="hand-lower" aria-label=${`Lower ${names.get(id) ?? 'this'} hand`} @click=${() => run(() => fitness.lowerHand(id))}>Lower</button>
        </li>`,
      )}
    </ol>
  </section>`;
}

/** The hand badge on a participant's tile. */
export function tileHand(fitness: ClassModel, participantId: string): TemplateResult | typeof nothing {
  const pos = fitness.handPosition(participantId);
  return pos
    ? html`<span part="hand-badge" class="hand-badge" data-testid="tile-hand" data-position=${pos} role="img" aria-label=${`Hand raised, ${ordinal(pos)} in line`}>✋ ${pos}</span>`
    : nothing;
}

/** One button per reaction; a short notice when the server says "too fast". */
export function reactionBar(reactions: ReactionsModel, run: Run): TemplateResult {
  return html`<div part="reactions" class="reactions" role="group" aria-label="Reactions">
    ${REACTIONS.map(
      (e) => html`<button class="reaction" data-testid="reaction" data-emoji=${e} aria-label=${REACTION_LABELS[e]} title=${REACTION_LABELS[e]} @click=${() => run(() => reactions.send(e))}>
        ${e}
      </button>`,
    )}
    ${reactions.notice ? html`<span class="reaction-notice muted" role="status" data-testid="reaction-notice">${reactions.notice.message}</span>` : nothing}
  </div>`;
}

/** Floating emoji over the stage (decorative: hidden from screen readers). */
export function floaterLayer(floaters: readonly Floater[]): TemplateResult {
  return html`<div part="reaction-layer" class="floaters" aria-hidden="true">
    ${repeat(floaters, (f) => f.id, (f) => html`<span class="floater" data-testid="floater" data-lane=${f.lane} data-variant=${f.variant}>${f.emoji}</span>`)}
  </div>`;
}

/** "12 / 20 in class · 3 waiting". */
export function seatsView(seats: ClassStateView['seats'] | undefined): TemplateResult | typeof nothing {
  if (!seats || !Number.isFinite(seats.capacity)) return nothing;
  return html`<span part="seats" class="seats" data-testid="seats" data-taken=${seats.taken} data-capacity=${seats.capacity} data-waiting=${seats.waiting}
    >${seats.taken} / ${seats.capacity} in class${seats.waiting ? ` · ${seats.waiting} waiting` : ''}</span
  >`;
}

/** The class is full: join the line, see one's place, or go back. */
export function waitlistView(waitlist: WaitlistState | undefined, join: () => void, leave: () => void): TemplateResult {
  const position = waitlist?.position;
  return html`<div part="waitlist" class="lobby waitlist" data-testid="class-full">
    <strong class="full-title">This class is full</strong>
    ${position === undefined
      ? html`<span>Join the waitlist and you will be let in as soon as a place frees up.</span>
          <button part="waitlist-button" data-testid="waitlist-join" @click=${join}>Join the waitlist</button>`
      : position === 0
        ? html`<span role="status" data-testid="waitlist-position" data-position="0">A place is free for you: joining…</span>`
        : html`<span role="status" data-testid="waitlist-position" data-position=${position}>
            You are number <strong>${position}</strong> in line. Keep this page open: you will join automatically.
          </span>`}
    <button class="chip" data-testid="waitlist-leave" @click=${leave}>${position === undefined ? 'Not now' : 'Leave the line'}</button>
  </div>`;
}
