import type { Texts } from '../i18n/locale.js';
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from '../../protocol/social.js';
import { CHAT_MAX_LENGTH } from '../../protocol/social-constants.js';
import type { ChatModel, PendingMessage } from '../room/chat-model.js';
import { linkify } from '../room/linkify.js';

/*
 * The chat panel, shared by <fit-class-room> (members and the coach) and <fit-live-stream>
 * (viewers of a class's broadcast). A pure function of the chat model; every piece of user text
 * goes through Lit text bindings (never innerHTML), so HTML in a message or a name shows as text.
 */

/** Runs a user intent; the element shows a refusal. */
export type Run = (intent: () => Promise<unknown>) => void;

/** Who is reading: their own messages show as theirs; the coach and moderators moderate. */
export interface ChatReader {
  id: string;
  displayName: string;
  role: 'coach' | 'member' | 'viewer';
  moderator?: boolean | undefined;
}

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
  self: ChatReader | undefined;
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
  /** Why the reader cannot write now, besides a mute (a broadcast not live yet, or over). */
  closed?: string | undefined;
  /** The element's texts, in its language. */
  i18n: Texts;
}

export function chatPanel(c: ChatPanelContext): TemplateResult {
  const st = c.chat.state;
  const { t } = c.i18n;
  const canModerate = c.self?.role === 'coach' || c.self?.moderator === true;
  const nearLimit = c.draft.length >= CHAT_MAX_LENGTH - 50;
  const onKeydown = (e: KeyboardEvent) => {
    // Enter sends; Shift+Enter is a new line; an IME composition keeps its Enter.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      c.submit();
    }
  };
  return html`<aside part="chat" class="chat" data-testid="chat" data-open=${c.open} aria-label=${t('chat.label')}>
    <div class="chat-head">
      <h3 id="chat-title">${t('chat.title')}</h3>
      ${!c.open && st.unread
        ? html`<span part="chat-unread" class="unread" data-testid="chat-unread" role="status" aria-label=${t('chat.unread', { n: st.unread })}>${st.unread > 99 ? '99+' : st.unread}</span>`
        : nothing}
      <button class="mini chat-toggle" data-testid="chat-toggle" aria-expanded=${c.open} aria-controls="chat-body" @click=${() => c.setOpen(!c.open)}>
        ${t(c.open ? 'chat.hide' : 'chat.show')}
      </button>
    </div>
    <div id="chat-body" class="chat-body" ?hidden=${!c.open}>
      <ol part="chat-list" class="chat-list" data-testid="chat-list" aria-live="polite" aria-relevant="additions" aria-labelledby="chat-title" tabindex="0" @scroll=${c.onScroll}>
        ${st.hasMore
          ? html`<li class="older">
              <button class="mini" data-testid="chat-older" ?disabled=${st.loadingOlder} @click=${() => c.run(() => c.chat.loadOlder())}>
                ${t(st.loadingOlder ? 'chat.loading' : 'chat.earlier')}
              </button>
            </li>`
          : nothing}
        ${repeat(st.messages, (m) => m.seq, (m) => chatItem(m, c, canModerate))}
        ${repeat(st.pending, (p) => p.clientId, (p) => pendingItem(p, c))}
        ${st.loaded && !st.messages.length && !st.pending.length ? html`<li class="empty muted" data-testid="chat-empty">${t('chat.empty')}</li>` : nothing}
      </ol>
      ${st.notice
        ? html`<p part="chat-notice" class="chat-notice" role="status" data-testid="chat-notice" data-code=${st.notice.code}>${c.i18n.error(st.notice)}</p>`
        : nothing}
      <form class="chat-form" @submit=${(e: Event) => (e.preventDefault(), c.submit())}>
        <textarea
          part="chat-input"
          data-testid="chat-input"
          rows="2"
          maxlength=${CHAT_MAX_LENGTH}
          aria-label=${t('chat.input')}
          aria-describedby="chat-count"
          placeholder=${st.muted ? t('chat.mutedYou') : (c.closed ?? t('chat.placeholder'))}
          ?disabled=${st.muted || !!c.closed}
          .value=${c.draft}
          @input=${(e: Event) => c.setDraft((e.target as HTMLTextAreaElement).value)}
          @keydown=${onKeydown}
        ></textarea>
        <span id="chat-count" class="count ${nearLimit ? 'near' : ''}" data-testid="chat-count" aria-live=${nearLimit ? 'polite' : 'off'}>
          ${nearLimit ? `${c.draft.length}/${CHAT_MAX_LENGTH}` : ''}
        </span>
        <button part="chat-send" class="chip" type="submit" data-testid="chat-send" ?disabled=${st.muted || !!c.closed || !c.draft.trim()}>${t('chat.send')}</button>
      </form>
    </div>
  </aside>`;
}

function chatItem(m: ChatMessage, c: ChatPanelContext, canModerate: boolean): TemplateResult {
  const mine = m.participantId === c.self?.id;
  const authorMuted = c.chatMuted.includes(m.participantId);
  const reported = c.chat.isReported(m.seq);
  const { t } = c.i18n;
  const name = m.displayName;
  return html`<li class="msg ${mine ? 'mine' : ''}" data-testid="chat-message" data-seq=${m.seq} data-participant-id=${m.participantId} data-role=${m.role}>
    <div class="meta">
      <span class="name" data-testid="chat-name">${m.displayName}</span>
      ${m.role === 'coach' ? html`<span part="chat-role" class="role-badge" data-testid="chat-role">${t('chat.coach')}</span>` : nothing}
      ${m.role === 'viewer' ? html`<span part="chat-role" class="role-badge viewer" data-testid="chat-role" title=${t('chat.viewerTitle')}>${t('chat.viewer')}</span>` : nothing}
      <time datetime=${isoTime(m.sentAt)}>${formatTime(m.sentAt)}</time>
    </div>
    <p class="text" data-testid="chat-text">${messageText(m.text)}</p>
    <div class="msg-actions">
      ${canModerate
        ? html`<button class="mini" data-testid="chat-delete" aria-label=${t('chat.deleteLabel', { name })} @click=${() => c.run(() => c.chat.deleteMessage(m.seq))}>${t('chat.delete')}</button>`
        : nothing}
      ${canModerate && !mine && m.role !== 'coach'
        ? html`<button class="mini" data-testid="chat-mute" aria-pressed=${authorMuted} aria-label=${t('chat.muteLabel', { name, muted: authorMuted })}
            @click=${() => c.run(() => c.chat.setMuted(m.participantId, !authorMuted))}>${t(authorMuted ? 'chat.unmute' : 'chat.mute')}</button>`
        : nothing}
      ${!canModerate && !mine
        ? html`<button class="mini" data-testid="chat-report" ?disabled=${reported} aria-label=${t('chat.reportLabel', { name })} @click=${() => c.run(() => c.chat.report(m.seq))}>
            ${t(reported ? 'chat.reported' : 'chat.report')}
          </button>`
        : nothing}
    </div>
  </li>`;
}

function pendingItem(p: PendingMessage, c: ChatPanelContext): TemplateResult {
  const failed = p.status === 'failed';
  const { t } = c.i18n;
  return html`<li class="msg mine pending" data-testid="chat-pending" data-status=${p.status} data-client-id=${p.clientId}>
    <div class="meta">
      <span class="name">${c.self?.displayName ?? t('chat.you')}</span>
      <span class="state ${failed ? 'failed' : ''}">${failed ? t('chat.notSent', { reason: p.error ? c.i18n.error(p.error) : undefined }) : t('chat.sending')}</span>
    </div>
    <p class="text">${messageText(p.text)}</p>
    ${failed
      ? html`<div class="msg-actions shown">
          <button class="mini" data-testid="chat-retry" @click=${() => c.run(() => c.chat.retry(p.clientId))}>${t('chat.retry')}</button>
          <button class="mini" data-testid="chat-discard" @click=${() => c.chat.discard(p.clientId)}>${t('chat.discard')}</button>
        </div>`
      : nothing}
  </li>`;
}


/**
 * Sends a chat draft. Returns false when there is nothing to send (empty, muted, no chat), true
 * when it went: the element then clears the draft and keeps the list at the newest message.
 * Refusals show in the chat itself (a failed message with its reason and Retry).
 */
export function sendDraft(chat: ChatModel | undefined, draft: string): boolean {
  if (!chat || !draft.trim() || chat.state.muted) return false;
  void chat.send(draft);
  return true;
}

/** Scrolled near the top of the list: the page before it, once. */
export function loadOlderNearTop(e: Event, chat: ChatModel | undefined, run: Run): void {
  const el = e.target as HTMLElement;
  if (chat && el.scrollTop < 48 && chat.state.hasMore && !chat.state.loadingOlder) run(() => chat.loadOlder());
}
