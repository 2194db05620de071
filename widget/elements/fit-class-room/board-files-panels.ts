import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { SHARED_FILE_MAX_BYTES } from '../../../protocol/social-constants.js';
import type { SharedFile } from '../../../protocol/social.js';
import { englishTexts, type Texts } from '../../i18n/locale.js';
import type { BoardModel, BoardNotice } from '../../room/board-model.js';
import { SHARED_FILE_ACCEPT, fileKind, formatBytes, type FilesModel, type FilesNotice } from '../../room/files-model.js';

/*
 * Templates for the whiteboard and the shared files in <fit-class-room>. The board itself is the
 * <fit-board> element (a canvas needs its own lifecycle); these are the panels around it.
 */

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export interface BoardPanelContext {
  board: BoardModel;
  amCoach: boolean;
  open: boolean;
  setOpen(open: boolean): void;
  /** The room's texts (English by default). */
  i18n?: Texts;
}

/** A board refusal in words: ours for the problems the model names, else the server's message. */
export function boardNoticeText(n: BoardNotice, i18n: Texts = englishTexts): string {
  const { t } = i18n;
  if (n.problem === 'full') return t('board.error.full', { max: n.max ?? 0 });
  if (n.problem) return t(`board.error.${n.problem}`);
  return i18n.error(n, n.message || t('board.error.failed'));
}

/** Why a file could not be shared, in words (English as the model's codes were always worded). */
export function filesNoticeText(n: FilesNotice, i18n: Texts = englishTexts): string {
  const { t } = i18n;
  const max = formatBytes(SHARED_FILE_MAX_BYTES);
  switch (n.problem) {
    case 'too_large':
      return n.file ? t('files.error.fileTooLarge', { name: n.file.name, size: formatBytes(n.file.size), max }) : t('files.error.tooLarge', { max });
    case 'failed':
      return i18n.error(n, n.message || (n.status ? t('files.error.status', { status: n.status }) : t('files.error.failed')));
    default:
      return t(`files.error.${n.problem}`);
  }
}

/**
 * The board below the stage. The coach opens it to draw (everyone sees every stroke live); a
 * member's panel appears once the board has something on it, with a "new" mark when it changes
 * while folded.
 */
export function boardPanel(c: BoardPanelContext): TemplateResult | typeof nothing {
  const i18n = c.i18n ?? englishTexts;
  const { t } = i18n;
  const st = c.board.state;
  if (!c.amCoach && !st.items.length && !st.unseen) return nothing;
  return html`<section part="board" class="board-panel" data-testid="board" data-open=${c.open} data-version=${st.version} aria-labelledby="board-title">
    <div class="panel-head">
      <h3 id="board-title">${t('board.title')}</h3>
      ${!c.open && st.unseen
        ? html`<span part="board-unseen" class="unread" data-testid="board-unseen" role="status" aria-label=${t('board.changed')}>${t('board.new')}</span>`
        : nothing}
      ${st.notice
        ? html`<span class="panel-notice" role="alert" data-testid="board-notice" data-code=${st.notice.code}>${boardNoticeText(st.notice, i18n)}</span>`
        : nothing}
      <button class="mini panel-toggle" data-testid="board-toggle" aria-expanded=${c.open} aria-controls="board-body" @click=${() => c.setOpen(!c.open)}>
        ${t(c.open ? 'board.hide' : c.amCoach ? 'board.open' : 'board.show')}
      </button>
    </div>
    <div id="board-body" ?hidden=${!c.open}>
      ${c.open
        ? html`<fit-board exportparts="board-canvas, board-tools" .items=${st.items} .model=${c.board} ?editable=${c.amCoach}></fit-board>`
        : nothing}
    </div>
  </section>`;
}

export interface FilesPanelContext {
  files: FilesModel;
  amCoach: boolean;
  /** Opens a file whose link has expired, after fetching fresh links. */
  openExpired(file: SharedFile): void;
  /** The coach picked a file. */
  pick(file: File): void;
  /** The room's texts (English by default). */
  i18n?: Texts;
}

/** "Files": what the coach shared (newest first), and for the coach "Share a file". */
export function filesPanel(c: FilesPanelContext): TemplateResult | typeof nothing {
  const i18n = c.i18n ?? englishTexts;
  const { t } = i18n;
  const st = c.files.state;
  if (!c.amCoach && !st.files.length) return nothing;
  const up = st.upload;
  const percent = up && up.total ? Math.min(100, Math.round((up.loaded / up.total) * 100)) : 0;
  const onClick = (e: MouseEvent, f: SharedFile) => {
    if (!c.files.isExpired(f)) return;
    // The link has expired: get fresh links first, then open.
    e.preventDefault();
    c.openExpired(f);
  };
  return html`<section part="files" class="files-panel" data-testid="files" aria-labelledby="files-title">
    <div class="panel-head">
      <h3 id="files-title">${t('files.title')}</h3>
      ${c.amCoach
        ? html`<label part="file-share" class="chip file-share ${up ? 'busy' : ''}" data-testid="file-share" aria-disabled=${!!up}>
            ${t(up ? 'files.uploading' : 'files.share')}
            <input
              class="sr-only"
              type="file"
              data-testid="file-input"
              accept=${SHARED_FILE_ACCEPT}
              aria-label=${t('files.shareLabel')}
              ?disabled=${!!up}
              @change=${(e: Event) => {
                const input = e.target as HTMLInputElement;
                const file = input.files?.[0];
                input.value = '';
                if (file) c.pick(file);
              }}
            />
          </label>`
        : nothing}
    </div>
    ${up
      ? html`<div class="upload" data-testid="file-upload" role="status">
          <span>${up.name}</span>
          <progress part="file-progress" data-testid="file-progress" max="100" value=${percent} aria-label=${t('files.uploadingName', { name: up.name })}>${percent}%</progress>
          <span class="muted">${percent}%</span>
        </div>`
      : nothing}
    ${st.notice
      ? html`<p part="file-notice" class="panel-notice" role="alert" data-testid="file-notice" data-code=${st.notice.code}>${filesNoticeText(st.notice, i18n)}</p>`
      : nothing}
    ${st.files.length
      ? html`<ul part="file-list" class="file-list" data-testid="file-list">
          ${repeat(
            st.files,
            (f) => f.id,
            (f) => html`<li data-testid="file" data-file-id=${f.id} data-type=${f.contentType}>
              <a href=${c.files.href(f)} target="_blank" rel="noopener noreferrer" data-testid="file-link" @click=${(e: MouseEvent) => onClick(e, f)}>${f.name}</a>
              <span class="muted file-meta">
                <span data-testid="file-type">${fileKind(f.contentType)}</span> ·
                <span data-testid="file-size">${formatBytes(f.size)}</span> ·
                <time datetime=${Number.isFinite(f.sharedAt) ? new Date(f.sharedAt).toISOString() : ''}>${Number.isFinite(f.sharedAt) ? timeFormat.format(f.sharedAt) : ''}</time>
              </span>
            </li>`,
          )}
        </ul>`
      : html`<p class="muted empty" data-testid="files-empty">${t('files.empty')}</p>`}
  </section>`;
}
