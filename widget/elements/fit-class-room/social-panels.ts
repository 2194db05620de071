import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ClassStateView } from '../../../protocol/class-state.js';
import type { ParticipantInfo } from '../../../protocol/participants.js';
import type { ChatMessage } from '../../../protocol/social.js';
import { CHAT_MAX_LENGTH, REACTIONS } from '../../../protocol/social-constants.js';
import type { ChatModel, PendingMessage } from '../../room/chat-model.js';
import type { ClassModel } from '../../room/class-model.js';
import { linkify } from '../../room/linkify.js';
import { REACTION_LABELS, type Floater, type ReactionsModel } from '../../room/reactions-model.js';
import type { WaitlistState } from '../../room/room-model.js';
import type { Run } from './class-panels.js';

/*
 * Templates for the social parts of <fit-class-room>: chat, hands, reactions, seats and the
 * waitlist. Pure functions of the models; every piece of user text goes through Lit text
 * bindings (never innerHTML), so HTML in a message or a name shows as text.
 */

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const formatTime = (ms: number) => (Number.isFinite(ms) ? timeFormat.format(ms) : '');
const isoTime = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');

/** Message text with http(s) links as links; everything else as text. */
export function messageText(text: string): Array<string | TemplateResult> {
  return linkify(text).map((seg) =>
    seg.kind === 'link' ? html`<a href=${seg.href} target="_blank" rel="noopener noreferrer nofollow">${seg.text}</a>` : seg.text,
  );
}

export interface ChatPanelContext {
  chat: ChatModel;
  self: ParticipantInfo | undefined;
  /** Who is muted in chat (from the class state). */
  chatMuted: readonly string[];
  open: boolean;
  draft: string;
  setOpen(open: boolean): void;
  setDraft(text: string): void;
  /** Sends the draft (the element clears it and keeps the list at the bottom). */
  submit(): void;
  onScroll(e: Event): void;
  run: Run;
}

export function chatPanel(c: ChatPanelContext): TemplateResult {
  const st = c.chat.state;
  const canModerate = c.self?.role === 'coach' || c.self?.moderator === true;
  const nearLimit = c.draft.length >= CHAT_MAX_LENGTH - 50;
  const onKeydown = (e: KeyboardEvent) => {
    // Enter sends; Shift+Enter is a new line; an IME composition keeps its Enter.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      c.submit();
    }
  };
  return html`<aside part="chat" class="chat" data-testid="chat" data-open=${c.open} aria-label="Class chat">
    <div class="chat-head">
      <h3 id="chat-title">Chat</h3>
      ${!c.open && st.unread
        ? html`<span part="chat-unread" class="unread" data-testid="chat-unread" role="status" aria-label=${`${st.unread} unread`}>${st.unread > 99 ? '99+' : st.unread}</span>`
        : nothing}
      <button class="mini chat-toggle" data-testid="chat-toggle" aria-expanded=${c.open} aria-controls="chat-body" @click=${() => c.setOpen(!c.open)}>
        ${c.open ? 'Hide' : 'Show'}
      </button>
    </div>
    <div id="chat-body" class="chat-body" ?hidden=${!c.open}>
      <ol part="chat-list" class="chat-list" data-testid="chat-list" role="log" aria-live="polite" aria-labelledby="chat-title" tabindex="0" @scroll=${c.onScroll}>
        ${st.hasMore
          ? html`<li class="older">
              <button class="mini" data-testid="chat-older" ?disabled=${st.loadingOlder} @click=${() => c.run(() => c.chat.loadOlder())}>
                ${st.loadingOlder ? 'Loading…' : 'Earlier messages'}
              </button>
            </li>`
          : nothing}
        ${repeat(st.messages, (m) => m.seq, (m) => chatItem(m, c, canModerate))}
        ${repeat(st.pending, (p) => p.clientId, (p) => pendingItem(p, c))}
        ${st.loaded && !st.messages.length && !st.pending.length ? html`<li class="empty muted" data-testid="chat-empty">No messages yet. Say hi!</li>` : nothing}
      </ol>
      ${st.notice
        ? html`<p part="chat-notice" class="chat-notice" role="status" data-testid="chat-notice" data-code=${st.notice.code}>${st.notice.message}</p>`
        : nothing}
      <form class="chat-form" @submit=${(e: Event) => (e.preventDefault(), c.submit())}>
        <textarea
          part="chat-input"
          data-testid="chat-input"
          rows="2"
          maxlength=${CHAT_MAX_LENGTH}
          aria-label="Message to the class"
          aria-describedby="chat-count"
          placeholder=${st.muted ? 'You are muted in this chat' : 'Message the class…'}
          ?disabled=${st.muted}
          .value=${c.draft}
          @input=${(e: Event) => c.setDraft((e.target as HTMLTextAreaElement).value)}
          @keydown=${onKeydown}
        ></textarea>
        <span id="chat-count" class="count ${nearLimit ? 'near' : ''}" data-testid="chat-count" aria-live=${nearLimit ? 'polite' : 'off'}>
          ${nearLimit ? `${c.draft.length}/${CHAT_MAX_LENGTH}` : ''}
        </span>
        <button part="chat-send" class="chip" type="submit" data-testid="chat-send" ?disabled=${st.muted || !c.draft.trim()}>Send</button>
      </form>
    </div>
  </aside>`;
}

function chatItem(m: ChatMessage, c: ChatPanelContext, canModerate: boolean): TemplateResult {
  const mine = m.participantId === c.self?.id;
  const authorMuted = c.chatMuted.includes(m.participantId);
  const reported = c.chat.isReported(m.seq);
  return html`<li class="msg ${mine ? 'mine' : ''}" data-testid="chat-message" data-seq=${m.seq} data-participant-id=${m.participantId} data-role=${m.role}>
    <div class="meta">
      <span class="name" data-testid="chat-name">${m.displayName}</span>
      ${m.role === 'coach' ? html`<span part="chat-role" class="role-badge" data-testid="chat-role">Coach</span>` : nothing}
      <time datetime=${isoTime(m.sentAt)}>${formatTime(m.sentAt)}</time>
    </div>
    <p class="text" data-testid="chat-text">${messageText(m.text)}</p>
    <div class="msg-actions">
      ${canModerate
        ? html`<button class="mini" data-testid="chat-delete" aria-label=${`Delete message from ${m.displayName}`} @click=${() => c.run(() => c.chat.deleteMessage(m.seq))}>Delete</button>`
        : nothing}
      ${canModerate && !mine && m.role !== 'coach'
        ? html`<button class="mini" data-testid="chat-mute" aria-pressed=${authorMuted} aria-label=${`${authorMuted ? 'Unmute' : 'Mute'} ${m.displayName} in chat`}
            @click=${() => c.run(() => c.chat.setMuted(m.participantId, !authorMuted))}>${authorMuted ? 'Unmute' : 'Mute'}</button>`
        : nothing}
      ${!canModerate && !mine
        ? html`<button class="mini" data-testid="chat-report" ?disabled=${reported} aria-label=${`Report message from ${m.displayName}`} @click=${() => c.run(() => c.chat.report(m.seq))}>
            ${reported ? 'Reported' : 'Report'}
          </button>`
        : nothing}
    </div>
  </li>`;
}

function pendingItem(p: PendingMessage, c: ChatPanelContext): TemplateResult {
  const failed = p.status === 'failed';
  return html`<li class="msg mine pending" data-testid="chat-pending" data-status=${p.status} data-client-id=${p.clientId}>
    <div class="meta">
      <span class="name">${c.self?.displayName ?? 'You'}</span>
      <span class="state ${failed ? 'failed' : ''}">${failed ? `Not sent${p.error ? `: ${p.error.message}` : ''}` : 'Sending…'}</span>
    </div>
    <p class="text">${messageText(p.text)}</p>
    ${failed
      ? html`<div class="msg-actions shown">
          <button class="mini" data-testid="chat-retry" @click=${() => c.run(() => c.chat.retry(p.clientId))}>Retry</button>
          <button class="mini" data-testid="chat-discard" @click=${() => c.chat.discard(p.clientId)}>Discard</button>
        </div>`
      : nothing}
  </li>`;
}

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
