import { expect } from '@esm-bundle/chai';
import type { ChatMessage } from '../../protocol/social.js';
import type { RequestName, RequestPayload, ResponseMap } from '../../protocol/signaling.js';
import { ChatModel, linkify } from '../../widget/room/chat-model.js';
import { FitError } from '../../widget/room/fit-error.js';
import { ReactionsModel } from '../../widget/room/reactions-model.js';

/* The DOM-free chat and reactions models, with a scripted channel instead of a server. */

type Handler = (payload: unknown) => unknown;

class FakeChannel {
  calls: Array<{ name: string; payload: unknown }> = [];
  constructor(public handlers: Partial<Record<RequestName, Handler>> = {}) {}
  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    this.calls.push({ name, payload });
    const h = this.handlers[name];
    if (!h) return Promise.reject(new FitError('not_found', `no handler for ${name}`));
    try {
      return Promise.resolve(h(payload) as ResponseMap[N]);
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

const msg = (seq: number, text = `m${seq}`, participantId = 'p-other'): ChatMessage => ({
  seq,
  participantId,
  displayName: participantId === 'p-self' ? 'Me' : 'Ana',
  role: 'member',
  text,
  sentAt: 1_700_000_000_000 + seq * 1000,
});

const seqs = (m: ChatModel) => m.state.messages.map((x) => x.seq);

function model(channel?: FakeChannel, opts: ConstructorParameters<typeof ChatModel>[1] = {}) {
  let changes = 0;
  let n = 0;
  const chat = new ChatModel(() => changes++, { retryDelayMs: 1, newId: () => `client-id-${++n}`, ...opts });
  if (channel) chat.attach(channel, { id: 'p-self' });
  return { chat, changes: () => changes };
}

describe('linkify', () => {
  it('keeps plain text as one text segment', () => {
    expect(linkify('just do 10 burpees')).to.deep.equal([{ kind: 'text', text: 'just do 10 burpees' }]);
    expect(linkify('')).to.deep.equal([]);
  });

  it('turns http(s) URLs into links and leaves the punctuation after them as text', () => {
    expect(linkify('see https://example.com/plan?a=1&b=2, then http://x.org.')).to.deep.equal([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/plan?a=1&b=2', href: 'https://example.com/plan?a=1&b=2' },
      { kind: 'text', text: ', then ' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps a balanced closing bracket, drops an unbalanced one', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Plank_(exercise))')).to.deep.equal([
      { kind: 'text', text: '(' },
      { kind: 'link', text: 'https://en.wikipedia.org/wiki/Plank_(exercise)', href: 'https://en.wikipedia.org/wiki/Plank_(exercise)' },
      { kind: 'text', text: ')' },
    ]);
  });

  it('never links other schemes, bare domains or broken URLs', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'mailto:a@b.c', 'www.example.com', 'https://', 'xhttps://evil.com', 'ftp://files.example.com']) {
      expect(linkify(text).every((s) => s.kind === 'text'), text).to.equal(true);
      expect(linkify(text).map((s) => s.text).join('')).to.equal(text);
    }
  });

  it('does not let HTML or quotes into a link', () => {
    const segs = linkify('<a href="https://evil.com">x</a> https://ok.com/"onmouseover=alert(1)');
    const links = segs.filter((s) => s.kind === 'link');
    expect(links.map((l) => l.text)).to.deep.equal(['https://evil.com', 'https://ok.com/']);
    expect(segs.map((s) => s.text).join('')).to.equal('<a href="https://evil.com">x</a> https://ok.com/"onmouseover=alert(1)');
  });

  it('is case-blind about the scheme', () => {
    expect(linkify('HTTPS://Example.com')[0]).to.deep.include({ kind: 'link', href: 'https://example.com/' });
  });
});

describe('ChatModel', () => {
  it('orders by seq and keeps each message once, however it arrives', async () => {
    const channel = new FakeChannel({ 'chat:history': () => ({ messages: [msg(3), msg(4), msg(5)], hasMore: false }) });
    const { chat } = model(channel);
    expect(chat.onMessage(msg(6))).to.equal(true);
    expect(chat.onMessage(msg(5))).to.equal(true);
    await chat.loadLatest();
    expect(chat.onMessage(msg(4))).to.equal(false);
    expect(chat.onMessage(msg(6))).to.equal(false);
    expect(seqs(chat)).to.deep.equal([3, 4, 5, 6]);
    expect(chat.state.loaded).to.equal(true);
    expect(chat.state.hasMore).to.equal(false);
  });

  it('pages back through history until there is no more', async () => {
    const all = Array.from({ length: 250 }, (_, i) => msg(i + 1));
    const page = (before?: number) => {
      const older = all.filter((m) => before === undefined || m.seq < before);
      return { messages: older.slice(-100), hasMore: older.length > 100 };
    };
    const channel = new FakeChannel({ 'chat:history': (p) => page((p as { beforeSeq?: number }).beforeSeq) });
    const { chat } = model(channel);
    await chat.loadLatest();
    expect(seqs(chat)[0]).to.equal(151);
    expect(chat.state.hasMore).to.equal(true);
    await chat.loadOlder();
    expect(channel.calls.at(-1)!.payload).to.deep.equal({ beforeSeq: 151 });
    expect(seqs(chat)[0]).to.equal(51);
    await chat.loadOlder();
    expect(seqs(chat)).to.deep.equal(all.map((m) => m.seq));
    expect(chat.state.hasMore).to.equal(false);
    const calls = channel.calls.length;
    await chat.loadOlder();
    expect(channel.calls.length, 'no request without more').to.equal(calls);
    // A re-join reloads the newest page: the older pages stay, and so does hasMore=false.
    await chat.loadLatest();
    expect(seqs(chat).length).to.equal(250);
    expect(chat.state.hasMore).to.equal(false);
  });

  it('after a long drop, a newest page that leaves a gap replaces the old messages', async () => {
    let newest = [msg(1), msg(2)];
    let hasMore = false;
    const channel = new FakeChannel({ 'chat:history': () => ({ messages: newest, hasMore }) });
    const { chat } = model(channel);
    await chat.loadLatest();
    newest = Array.from({ length: 100 }, (_, i) => msg(i + 301));
    hasMore = true;
    await chat.loadLatest();
    expect(seqs(chat)[0]).to.equal(301);
    expect(seqs(chat).length).to.equal(100);
    expect(chat.state.hasMore).to.equal(true);
  });

  it('a deleted message disappears and a late history page cannot bring it back', async () => {
    const channel = new FakeChannel({ 'chat:history': () => ({ messages: [msg(1), msg(2), msg(3)], hasMore: false }) });
    const { chat } = model(channel);
    chat.onMessage(msg(2));
    chat.onDeleted(2);
    expect(seqs(chat)).to.deep.equal([]);
    await chat.loadLatest();
    expect(seqs(chat)).to.deep.equal([1, 3]);
  });

  it('sends with a clientId, and retries a lost answer with the same one', async () => {
    let attempts = 0;
    const stored = { ...msg(10, 'hello', 'p-self') };
    const channel = new FakeChannel({
      'chat:send': () => {
        attempts++;
        if (attempts < 3) throw new FitError('server_unreachable', 'No answer to chat:send');
        return { message: stored, duplicate: attempts > 1 };
      },
    });
    const { chat } = model(channel);
    const sending = chat.send('  hello  ');
    expect(chat.state.pending).to.have.length(1);
    expect(chat.state.pending[0]).to.deep.include({ text: 'hello', status: 'sending' });
    expect(await sending).to.deep.equal(stored);
    const ids = channel.calls.filter((c) => c.name === 'chat:send').map((c) => (c.payload as { clientId: string }).clientId);
    expect(ids).to.deep.equal(['client-id-1', 'client-id-1', 'client-id-1']);
    expect(chat.state.pending).to.have.length(0);
    expect(seqs(chat)).to.deep.equal([10]);
    // The same message also arrives live: still once.
    expect(chat.onMessage(stored)).to.equal(false);
    expect(seqs(chat)).to.deep.equal([10]);
  });

  it('our own message seen live before the answer leaves no pending copy behind', async () => {
    let answer!: (v: unknown) => void;
    const channel = new FakeChannel({ 'chat:send': () => new Promise((r) => (answer = r)) });
    const { chat } = model(channel);
    const sending = chat.send('on my way');
    await Promise.resolve();
    chat.onMessage(msg(7, 'on my way', 'p-self'));
    expect(chat.state.pending).to.have.length(0);
    expect(seqs(chat)).to.deep.equal([7]);
    answer({ message: msg(7, 'on my way', 'p-self'), duplicate: false });
    await sending;
    expect(seqs(chat)).to.deep.equal([7]);
  });

  it('too fast: the message stays as failed with a clear reason, and Retry reuses its clientId', async () => {
    let limited = true;
    const channel = new FakeChannel({
      'chat:send': (p) => {
        if (limited) throw new FitError('rate_limited', 'Too many messages');
        return { message: msg(20, (p as { text: string }).text, 'p-self'), duplicate: false };
      },
    });
    const { chat } = model(channel);
    expect(await chat.send('spam')).to.equal(undefined);
    expect(chat.state.pending[0]!.status).to.equal('failed');
    expect(chat.state.notice!.code).to.equal('rate_limited');
    expect(chat.state.notice!.message).to.match(/too fast/i);
    expect(channel.calls.length, 'not retried automatically').to.equal(1);
    limited = false;
    await chat.retry('client-id-1');
    expect((channel.calls.at(-1)!.payload as { clientId: string }).clientId).to.equal('client-id-1');
    expect(chat.state.pending).to.have.length(0);
    expect(chat.state.notice).to.equal(undefined);
    expect(seqs(chat)).to.deep.equal([20]);
  });

  it('muted: read only, with a message; unmuted: writable again', async () => {
    const channel = new FakeChannel({ 'chat:send': () => ({ message: msg(1, 'x', 'p-self'), duplicate: false }) });
    const { chat } = model(channel);
    chat.onClassState({ chatMuted: ['p-self'] });
    expect(chat.state.muted).to.equal(true);
    expect(chat.state.notice!.code).to.equal('chat_muted');
    expect(await chat.send('hi')).to.equal(undefined);
    expect(channel.calls).to.have.length(0);
    chat.clearNotice();
    expect(chat.state.notice!.code, 'the mute notice stays while muted').to.equal('chat_muted');
    chat.onClassState({ chatMuted: [] });
    expect(chat.state.muted).to.equal(false);
    expect(chat.state.notice).to.equal(undefined);
    await chat.send('hi');
    expect(seqs(chat)).to.deep.equal([1]);
  });

  it('a chat_muted refusal (the state not in yet) makes the chat read only', async () => {
    const channel = new FakeChannel({
      'chat:send': () => {
        throw new FitError('chat_muted', 'The coach has muted your chat');
      },
    });
    const { chat } = model(channel);
    await chat.send('hello?');
    expect(chat.state.muted).to.equal(true);
    expect(chat.state.pending[0]!.status).to.equal('failed');
    chat.discard('client-id-1');
    expect(chat.state.pending).to.have.length(0);
  });

  it('refuses empty and too long messages without a request', async () => {
    const channel = new FakeChannel({});
    const { chat } = model(channel);
    expect(await chat.send('   ')).to.equal(undefined);
    expect(await chat.send('x'.repeat(501))).to.equal(undefined);
    expect(chat.state.notice!.code).to.equal('bad_request');
    expect(channel.calls).to.have.length(0);
  });

  it('counts unread messages from others while hidden', () => {
    const { chat } = model(new FakeChannel());
    chat.setVisible(false);
    chat.onMessage(msg(1));
    chat.onMessage(msg(1));
    chat.onMessage(msg(2, 'mine', 'p-self'));
    chat.onMessage(msg(3));
    expect(chat.state.unread).to.equal(2);
    chat.setVisible(true);
    expect(chat.state.unread).to.equal(0);
    chat.onMessage(msg(4));
    expect(chat.state.unread).to.equal(0);
  });

  it('reports once and knows it', async () => {
    const channel = new FakeChannel({ 'chat:report': () => ({}) });
    const { chat } = model(channel);
    await chat.report(3, 'rude');
    expect(channel.calls[0]).to.deep.equal({ name: 'chat:report', payload: { seq: 3, reason: 'rude' } });
    expect(chat.isReported(3)).to.equal(true);
    expect(chat.isReported(4)).to.equal(false);
  });

  it('without a connection, intents fail with not_joined', async () => {
    const { chat } = model();
    let code = '';
    await chat.deleteMessage(1).catch((e: FitError) => (code = e.code));
    expect(code).to.equal('not_joined');
  });
});

describe('ReactionsModel', () => {
  function reactions(opts: ConstructorParameters<typeof ReactionsModel>[1] = {}) {
    const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
    const model = new ReactionsModel(() => undefined, {
      random: () => 0.5,
      setTimer: (fn, ms) => (timers.push({ fn, ms, cleared: false }), timers.length - 1),
      clearTimer: (h) => (timers[h as number]!.cleared = true),
      ...opts,
    });
    const fire = () => timers.filter((t) => !t.cleared).forEach((t) => ((t.cleared = true), t.fn()));
    return { model, fire };
  }

  it('a big burst makes a handful of floaters, every emoji represented', () => {
    const { model } = reactions();
    const made = model.onBurst({ '👏': 500, '🔥': 2, '💪': 1 });
    expect(made).to.have.length(8);
    expect(new Set(made.map((f) => f.emoji))).to.deep.equal(new Set(['👏', '🔥', '💪']));
    expect(made.filter((f) => f.emoji === '🔥')).to.have.length(2);
    expect(made.every((f) => f.lane >= 0 && f.lane <= 9 && f.variant >= 0 && f.variant <= 2)).to.equal(true);
  });

  it('caps what is on screen and lets floaters expire', () => {
    const { model, fire } = reactions({ maxOnScreen: 10 });
    for (let i = 0; i < 5; i++) model.onBurst({ '🎉': 3 });
    expect(model.floaters).to.have.length(10);
    fire();
    expect(model.floaters).to.have.length(0);
  });

  it('ignores junk in a burst', () => {
    const { model } = reactions();
    expect(model.onBurst({ '<img>': 3, '👏': -1, '🔥': Number.NaN } as Record<string, number>)).to.have.length(0);
    expect(model.onBurst(undefined)).to.have.length(0);
  });

  it('too fast: a short notice, not an error', async () => {
    const { model, fire } = reactions();
    model.attach(new FakeChannel({ 'reaction:send': () => { throw new FitError('rate_limited', 'slow down'); } }));
    await model.send('👏');
    expect(model.notice!.code).to.equal('rate_limited');
    fire();
    expect(model.notice).to.equal(undefined);
  });
});
