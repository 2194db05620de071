// Stories for <fit-class-room> in Component Story Format. Storybook itself (and a mock room
// model for the live states) arrives with the Storybook issue; these render without a backend.
import '../widget/index.js';
import { LitElement, html } from 'lit';
import type { ChatMessage } from '../protocol/social.js';
import { styles as roomStyles } from '../widget/elements/fit-class-room/fit-class-room.styles.js';
import { chatPanel } from '../widget/elements/fit-class-room/social-panels.js';
import { ChatModel } from '../widget/room/chat-model.js';

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
  render: (args: Args) => room(args, '--fit-accent:#2563eb;--fit-bg:#f8fafc;--fit-fg:#0f172a;--fit-tile-bg:#e2e8f0;--fit-radius:4px'),
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
  static override styles = roomStyles;
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
