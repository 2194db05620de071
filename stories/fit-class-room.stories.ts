// Stories for <fit-class-room> in Component Story Format: the lobby, each room state through a
// mock model (stories/mock-room.ts), the chat, board and quality panels; no backend needed.
import '../widget/index.js';
import { LitElement, html } from 'lit';
import type { BoardItem, ChatMessage, SharedFile } from '../protocol/social.js';
import { styles as roomStyles } from '../widget/elements/fit-class-room/fit-class-room.styles.js';
import { boardPanel, filesPanel } from '../widget/elements/fit-class-room/board-files-panels.js';
import { chatPanel } from '../widget/elements/chat-panel.js';
import { englishTexts } from '../widget/i18n/locale.js';
import { chatStyles } from '../widget/elements/chat-panel.styles.js';
import { themeStyles } from '../widget/elements/theme.styles.js';
import { audioOnlyNotice, qualityBadge } from '../widget/elements/fit-class-room/quality-panels.js';
import { qualityStyles } from '../widget/elements/fit-class-room/quality.styles.js';
import { describeQuality, type QualityLevel } from '../widget/room/quality.js';
import type { RoomState } from '../widget/room/room-model.js';
import { BoardModel } from '../widget/room/board-model.js';
import { ChatModel } from '../widget/room/chat-model.js';
import { FilesModel } from '../widget/room/files-model.js';
import { MockRoom, liveClassState, liveRoom } from './mock-room.js';

export default {
  title: 'Elements/fit-class-room',
  component: 'fit-class-room',
  args: { server: 'https://media.example-club.com', classId: 'hiit-monday', token: '' },
};

interface Args {
  server: string;
  classId: string;
  token: string;
}

function room(args: Args, style = ''): HTMLElement {
  const el = document.createElement('fit-class-room');
  el.setAttribute('server', args.server);
  el.setAttribute('class-id', args.classId);
  if (args.token) el.setAttribute('token', args.token);
  if (style) el.setAttribute('style', style);
  return el;
}

/** Before joining: the join button and a disconnected state. */
export const Lobby = { render: (args: Args) => room(args) };

/** Theming through custom properties only. */
export const Themed = {
  render: (args: Args) => room(args, '--fit-accent:#1d4ed8;--fit-on-accent:#fff;--fit-bg:#f8fafc;--fit-fg:#0f172a;--fit-muted:#475569;--fit-tile-bg:#e2e8f0;--fit-radius:4px'),
};

// The chat panel on its own: the real <fit-class-room> template driven by a ChatModel fed from
// the story (no backend). A small host element renders `chatPanel` with the room's styles.

interface ChatArgs {
  muted: boolean;
  moderator: boolean;
  open: boolean;
}

const sample: ChatMessage[] = [
  { seq: 1, participantId: 'coach', displayName: 'Coach Sam', role: 'coach', text: 'Welcome! Warm-up in 2 minutes.', sentAt: Date.UTC(2026, 0, 5, 18, 0) },
  { seq: 2, participantId: 'ana', displayName: 'Ana', role: 'member', text: 'Ready 💪 plan: https://example.com/hiit-plan', sentAt: Date.UTC(2026, 0, 5, 18, 1) },
  { seq: 3, participantId: 'ben', displayName: 'Ben', role: 'member', text: '<b>this is not bold</b>\nand a second line', sentAt: Date.UTC(2026, 0, 5, 18, 2) },
];

class FitChatStory extends LitElement {
  static override styles = [roomStyles, themeStyles, chatStyles];
  static override properties = { args: { attribute: false } };
  declare args: ChatArgs;
  private draft = '';
  private readonly chat = new ChatModel(() => this.requestUpdate(), { newId: () => `story-${Math.random().toString(36).slice(2, 12)}` });

  override connectedCallback(): void {
    super.connectedCallback();
    // A channel that answers like the server would, so sending works in the story.
    let seq = sample.length;
    this.chat.attach(
      {
        request: (async (name: string, payload: { text?: string }) => {
          if (name === 'chat:send') {
            const message: ChatMessage = { seq: ++seq, participantId: 'me', displayName: 'You', role: 'member', text: payload.text ?? '', sentAt: Date.now() };
            return { message, duplicate: false };
          }
          if (name === 'chat:history') return { messages: sample, hasMore: false };
          return {};
        }) as never,
      },
      { id: 'me' },
    );
    void this.chat.loadLatest();
  }

  protected override render() {
    this.chat.onClassState({ chatMuted: this.args.muted ? ['me'] : [] });
    return html`<div class="room">
      ${chatPanel({
        i18n: englishTexts,
        chat: this.chat,
        self: { id: 'me', role: 'member', displayName: 'You', moderator: this.args.moderator },
        chatMuted: [],
        open: this.args.open,
        draft: this.draft,
        setOpen: (open) => ((this.args = { ...this.args, open }), this.chat.setVisible(open)),
        setDraft: (text) => ((this.draft = text), this.requestUpdate()),
        submit: () => {
          const text = this.draft;
          this.draft = '';
          void this.chat.send(text);
        },
        onScroll: () => undefined,
        run: (intent) => void intent().catch(() => undefined),
      })}
    </div>`;
  }
}
if (!customElements.get('fit-chat-story')) customElements.define('fit-chat-story', FitChatStory);

function chatStory(args: ChatArgs): HTMLElement {
  const el = document.createElement('fit-chat-story') as FitChatStory;
  el.args = args;
  return el;
}

/** The chat panel: coach badge, a link, HTML shown as text; type and press Enter to send. */
export const Chat = { args: { muted: false, moderator: false, open: true }, render: chatStory };

/** As a moderator: delete and mute on each message. */
export const ChatModerator = { args: { muted: false, moderator: true, open: true }, render: chatStory };

/** Muted by the coach: the box is disabled with a message. */
export const ChatMuted = { args: { muted: true, moderator: false, open: true }, render: chatStory };

// The whiteboard and the shared files on their own: the real templates driven by a BoardModel and
// a FilesModel with a channel that answers like the server (no backend; uploads are simulated).

interface BoardArgs {
  coach: boolean;
}

const sampleBoard: BoardItem[] = [
  { kind: 'text', id: 't1', color: '#111827', size: 56, x: 0.04, y: 0.05, text: 'HIIT · 3 rounds' },
  { kind: 'text', id: 't2', color: '#2563eb', size: 40, x: 0.06, y: 0.22, text: '10 burpees\n20 squats\n30 s plank' },
  { kind: 'stroke', id: 's1', color: '#dc2626', width: 6, points: [[0.55, 0.3], [0.7, 0.2], [0.85, 0.35], [0.7, 0.55], [0.55, 0.3]] },
];

const sampleFiles: SharedFile[] = [
  { id: 'f1', name: 'hiit-plan.pdf', contentType: 'application/pdf', size: 182_400, url: '/api/v1/files/f1?exp=0&sig=story', expiresAt: Date.now() + 3_600_000, sharedAt: Date.UTC(2026, 0, 5, 18, 3) },
  { id: 'f2', name: 'squat-form.jpg', contentType: 'image/jpeg', size: 1_240_000, url: '/api/v1/files/f2?exp=0&sig=story', expiresAt: Date.now() + 3_600_000, sharedAt: Date.UTC(2026, 0, 5, 18, 1) },
];

class FitBoardStory extends LitElement {
  static override styles = [roomStyles, themeStyles];
  static override properties = { args: { attribute: false } };
  declare args: BoardArgs;
  private open = true;
  private readonly board = new BoardModel(() => this.requestUpdate());
  private readonly files = new FilesModel(() => this.requestUpdate(), {
    // A pretend upload: progress in steps, then the file as the server would answer it.
    uploader: async ({ body, onProgress }) => {
      for (let i = 1; i <= 5; i++) {
        await new Promise((r) => setTimeout(r, 200));
        onProgress((body.size * i) / 5, body.size);
      }
      const name = (body as File).name ?? 'file';
      return { status: 201, body: { id: `f${Date.now()}`, name, contentType: body.type, size: body.size, url: '/api/v1/files/x', expiresAt: Date.now() + 3_600_000, sharedAt: Date.now() } };
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    let version = 3;
    const items = [...sampleBoard];
    this.board.attach({
      request: (async (name: string, payload: { item?: BoardItem }) => {
        if (name === 'board:get') return { board: { items: [...items], version } };
        if (name === 'board:draw' && payload.item) items.push(payload.item);
        if (name === 'board:undo') items.pop();
        if (name === 'board:clear') items.length = 0;
        return { version: ++version };
      }) as never,
    });
    void this.board.load();
    this.files.attach({ request: (async () => ({ files: sampleFiles })) as never }, { server: 'https://media.example-club.com', classId: 'hiit-monday', token: 'story' });
    void this.files.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.files.dispose();
  }

  protected override render() {
    return html`<div class="room">
      ${boardPanel({ board: this.board, amCoach: this.args.coach, open: this.open, setOpen: (open) => ((this.open = open), this.board.setVisible(open), this.requestUpdate()) })}
      ${filesPanel({ files: this.files, amCoach: this.args.coach, openExpired: () => undefined, pick: (file) => void this.files.share(file) })}
    </div>`;
  }
}
if (!customElements.get('fit-board-story')) customElements.define('fit-board-story', FitBoardStory);

function boardStory(args: BoardArgs): HTMLElement {
  const el = document.createElement('fit-board-story') as FitBoardStory;
  el.args = args;
  return el;
}

/** The coach's board: pen, colours, widths, text, undo and clear; "Share a file" (simulated upload). */
export const BoardCoach = { args: { coach: true }, render: boardStory };

/** A member's view: the board live, and the files the coach shared. */
export const BoardMember = { args: { coach: false }, render: boardStory };

// Connection quality badges (hover or Tab to a badge for its details) and the audio-only notice:
// the real templates and styles, fed sample numbers.

interface QualityArgs {
  weak: boolean;
}

const sampleQuality: Array<{ name: string; level: QualityLevel; rttMs: number; lossPct: number; fps: number; width: number; height: number; kbps: number }> = [
  { name: 'Ana', level: 'good', rttMs: 38, lossPct: 0, fps: 24, width: 640, height: 360, kbps: 480 },
  { name: 'Ben', level: 'fair', rttMs: 310, lossPct: 3.2, fps: 15, width: 320, height: 180, kbps: 190 },
  { name: 'Cleo', level: 'poor', rttMs: 720, lossPct: 12, fps: 4, width: 160, height: 90, kbps: 60 },
];

class FitQualityStory extends LitElement {
  static override styles = [roomStyles, themeStyles, qualityStyles];
  static override properties = { args: { attribute: false } };
  declare args: QualityArgs;

  protected override render() {
    const state = { audioOnly: { chosen: false, forced: this.args.weak } } as RoomState;
    return html`<div class="stage">
        <div class="stage-avatar"><div class="avatar">CS</div></div>
        ${qualityBadge({ level: this.args.weak ? 'poor' : 'good', details: describeQuality(this.args.weak ? 'poor' : 'good', { rttMs: 40, lossPct: this.args.weak ? 14 : 0 }, 'Coach Sam: connection'), source: 'measured' }, 'on-stage')}
        ${audioOnlyNotice(state)}
      </div>
      <div class="grid">
        ${sampleQuality.map(
          (q) => html`<figure>
            <div class="avatar">${q.name[0]}</div>
            <figcaption>${q.name}</figcaption>
            ${qualityBadge({ level: q.level, details: describeQuality(q.level, q, `${q.name}: connection`), source: 'reported' }, 'on-tile')}
          </figure>`,
        )}
      </div>`;
  }
}
if (!customElements.get('fit-quality-story')) customElements.define('fit-quality-story', FitQualityStory);

function qualityStory(args: QualityArgs): HTMLElement {
  const el = document.createElement('fit-quality-story') as FitQualityStory;
  el.args = args;
  return el;
}

/** Quality badges on tiles: three bars good, two fair, one poor; details on hover and focus. */
export const Quality = { args: { weak: false }, render: qualityStory };

/** A link that could not keep video up: the avatar and "Weak connection: audio only". */
export const WeakConnection = { args: { weak: true }, render: qualityStory };

// ─── The room's states, driven by a mock model (stories/mock-room.ts): no backend, no camera ───

function withRoom(room: MockRoom, style = 'max-width:960px'): HTMLElement {
  const el = document.createElement('fit-class-room') as HTMLElement & { attachRoom(r: MockRoom): void };
  el.setAttribute('style', style);
  el.attachRoom(room);
  return el;
}

/** Connecting: the socket and the camera are on their way. */
export const Joining = { render: () => withRoom(new MockRoom({ phase: 'joining', connection: 'connecting', classTitle: 'HIIT Express' })) };

/** In class as a member: the coach large, your camera, the others' tiles, the exercise card and timer. */
export const LiveMember = { render: () => withRoom(liveRoom('member')) };

/** In class as the coach: every member's tile, raised hands, the class controls. */
export const LiveCoach = { render: () => withRoom(liveRoom('coach')) };

/** The connection dropped: the room says so and keeps the class on screen while it reconnects. */
export const Reconnecting = { render: () => withRoom(liveRoom('member', { connection: 'reconnecting' })) };

/** Audio only, chosen by the member: the coach's video stops arriving, an avatar and a notice instead. */
export const AudioOnly = { render: () => withRoom(liveRoom('member', { audioOnly: { chosen: true, forced: false } })) };

/** The coach ended the class: thanks and the member's summary. */
export const ClassEnded = {
  render: () => withRoom(new MockRoom({ phase: 'left', connection: 'disconnected', notice: { code: 'room_ended', message: 'The coach ended the class' } }, liveClassState('p_you'))),
};

/** A fatal error (here an expired token): a clear message and a way back. */
export const JoinError = {
  render: () => withRoom(new MockRoom({ phase: 'error', connection: 'disconnected', error: { code: 'token_expired', message: 'Your access to this class has expired. Ask the club for a new link.' } })),
};

/** The class is full: seats taken, the line, and a button to wait for a seat. */
export const ClassFull = { render: () => withRoom(new MockRoom({ phase: 'full', connection: 'connected', classTitle: 'HIIT Express', waitlist: { position: 3 } })) };

/** Dark theme: the same live room with the theme's custom properties set by the page. */
export const LiveDark = {
  render: () => withRoom(liveRoom('member'), 'max-width:960px;--fit-bg:#0b0f14;--fit-fg:#e6edf3;--fit-muted:#9aa7b4;--fit-tile-bg:#1c232c;--fit-accent:#ff5a1f'),
};

/** Light theme out of the box (`theme="light"`; `theme="auto"` follows the visitor's system). */
export const LiveLight = {
  render: () => {
    const el = withRoom(liveRoom('member'));
    el.setAttribute('theme', 'light');
    return el;
  },
};

/** Usable at 360 px: the narrowest phone the widget supports. */
export const LiveNarrow = { render: () => withRoom(liveRoom('member'), 'max-width:360px') };
