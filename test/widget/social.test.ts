import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import type { FitClassRoom } from '../../widget/index.js';
import { allByTestId, backendUrl, byTestId, mount, token, until } from './helpers.js';

/* Chat, hands and reactions between real <fit-class-room>s on the real backend. */

afterEach(async () => {
  for (const el of document.querySelectorAll('fit-class-room')) {
    await el.leave().catch(() => undefined);
    el.remove();
  }
});

async function joinAs(role: 'coach' | 'member', name: string): Promise<FitClassRoom> {
  const el = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: await token(role, name) });
  await el.join();
  await until(() => el.room?.state.phase === 'joined' && el.room.chat.state.loaded, 15_000, `${name} joined with chat history`);
  await el.updateComplete;
  return el;
}

/** Types into the chat box and presses Enter, as a user would. */
async function say(el: FitClassRoom, text: string): Promise<void> {
  const input = byTestId(el, 'chat-input') as HTMLTextAreaElement;
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
  await el.updateComplete;
}

const messages = (el: FitClassRoom) => allByTestId(el, 'chat-message');
const findMessage = (el: FitClassRoom, text: string) => messages(el).find((m) => m.querySelector('[data-testid="chat-text"]')?.textContent === text);

describe('<fit-class-room> chat, hands and reactions', function () {
  this.timeout(90_000);

  it('two members chat in the same order; HTML shows as text; links are safe; the coach deletes for everyone', async () => {
    const coach = await joinAs('coach', 'Coach Lee');
    const ana = await joinAs('member', 'Ana Chat');
    const ben = await joinAs('member', 'Ben Chat');
    const tag = Math.random().toString(36).slice(2, 8);
    const seenByBen: string[] = [];
    ben.addEventListener('fit-chat-message', (e) => seenByBen.push(e.detail.text));

    const html = `<img src=x onerror="window.__pwned=1"> <b>bold</b> ${tag} https://example.com/plan?x=1`;
    await say(ana, html);
    expect((byTestId(ana, 'chat-input') as HTMLTextAreaElement).value, 'the box is cleared').to.equal('');
    await say(ben, `second ${tag}`);
    await say(ana, `third ${tag}`);

    for (const el of [ana, ben, coach]) {
      await until(() => findMessage(el, `third ${tag}`) && findMessage(el, `second ${tag}`) && findMessage(el, html), 10_000, 'all three messages');
    }
    // The same order everywhere, ascending by the server's seq.
    const order = (el: FitClassRoom) => messages(el).filter((m) => m.textContent!.includes(tag)).map((m) => Number(m.dataset.seq));
    expect(order(ana)).to.deep.equal(order(ben));
    expect(order(ana)).to.deep.equal([...order(ana)].sort((a, b) => a - b));
    expect(order(ana)).to.have.length(3);
    expect(seenByBen).to.include(html);

    // HTML is text: no element made from it, the whole string visible; the URL is a safe link.
    const text = findMessage(ben, html)!.querySelector('[data-testid="chat-text"]')!;
    expect(text.querySelector('img, b')).to.equal(null);
    expect(text.textContent).to.equal(html);
    const link = text.querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('https://example.com/plan?x=1');
    expect(link.target).to.equal('_blank');
    expect(link.rel.split(' ').sort()).to.deep.equal(['nofollow', 'noopener', 'noreferrer']);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);

    // Names and roles: the coach's messages carry a badge.
    await say(coach, `coach here ${tag}`);
    await until(() => findMessage(ana, `coach here ${tag}`), 10_000, 'coach message');
    expect(findMessage(ana, `coach here ${tag}`)!.querySelector('[data-testid="chat-role"]')?.textContent).to.equal('Coach');
    expect(findMessage(ana, `second ${tag}`)!.querySelector('[data-testid="chat-name"]')?.textContent).to.equal('Ben Chat');

    // Members report, they cannot delete; the coach deletes and it is gone for everyone.
    expect(findMessage(ben, html)!.querySelector('[data-testid="chat-delete"]')).to.equal(null);
    expect(findMessage(ben, html)!.querySelector('[data-testid="chat-report"]')).to.exist;
    await until(() => findMessage(coach, html), 5000, 'coach sees it');
    (findMessage(coach, html)!.querySelector('[data-testid="chat-delete"]') as HTMLButtonElement).click();
    for (const el of [ana, ben, coach]) await until(() => !findMessage(el, html), 5000, 'deleted everywhere');
    expect(findMessage(ana, `second ${tag}`), 'the others stay').to.exist;
  });

  it('the coach mutes a member in chat: read only with a message, then writable again', async () => {
    const coach = await joinAs('coach', 'Coach Mo');
    const cam = await joinAs('member', 'Cam Mute');
    const tag = Math.random().toString(36).slice(2, 8);
    await say(cam, `before mute ${tag}`);
    await until(() => findMessage(coach, `before mute ${tag}`), 10_000, 'message at the coach');
    (findMessage(coach, `before mute ${tag}`)!.querySelector('[data-testid="chat-mute"]') as HTMLButtonElement).click();
    await until(() => (byTestId(cam, 'chat-input') as HTMLTextAreaElement).disabled, 5000, 'input disabled');
    expect(byTestId(cam, 'chat-notice')!.dataset.code).to.equal('chat_muted');
    await until(() => findMessage(coach, `before mute ${tag}`)!.querySelector('[data-testid="chat-mute"]')!.getAttribute('aria-pressed') === 'true', 5000, 'shown as muted');
    (findMessage(coach, `before mute ${tag}`)!.querySelector('[data-testid="chat-mute"]') as HTMLButtonElement).click();
    await until(() => !(byTestId(cam, 'chat-input') as HTMLTextAreaElement).disabled, 5000, 'input enabled');
    expect(byTestId(cam, 'chat-notice')).to.equal(null);
  });

  it('a raised hand reaches the coach in order; calling on it spotlights the member', async () => {
    const coach = await joinAs('coach', 'Coach Ray');
    const dee = await joinAs('member', 'Dee Hand');
    const eli = await joinAs('member', 'Eli Hand');
    byTestId(eli, 'hand-toggle')!.click();
    await until(() => byTestId(eli, 'hand-position')?.dataset.position === '1', 5000, 'Eli first');
    byTestId(dee, 'hand-toggle')!.click();
    await until(() => byTestId(dee, 'hand-position')?.dataset.position === '2', 5000, 'Dee second');
    expect(byTestId(dee, 'hand-toggle')!.getAttribute('aria-pressed')).to.equal('true');

    const queue = await until(() => byTestId(coach, 'hand-queue'), 5000, 'hand queue');
    await until(() => queue.querySelectorAll('[data-testid="hand"]').length === 2, 5000, 'two hands');
    const hands = [...queue.querySelectorAll<HTMLElement>('[data-testid="hand"]')];
    expect(hands.map((h) => h.textContent!.includes('Eli Hand'))).to.deep.equal([true, false]);
    expect(hands[1]!.textContent).to.contain('Dee Hand');
    // The badge on the tiles, with the order.
    const eliTile = () => allByTestId(coach, 'participant-tile').find((t) => t.dataset.participantId === eli.room!.state.self!.id);
    await until(() => eliTile()?.querySelector('[data-testid="tile-hand"]'), 5000, 'badge on the tile');
    expect(eliTile()!.querySelector<HTMLElement>('[data-testid="tile-hand"]')!.dataset.position).to.equal('1');

    // A member lowers their own hand.
    byTestId(dee, 'hand-toggle')!.click();
    await until(() => queue.querySelectorAll('[data-testid="hand"]').length === 1, 5000, 'Dee lowered');
    // The coach calls on Eli: the hand comes down and Eli is spotlighted.
    (byTestId(coach, 'hand-call') as HTMLButtonElement).click();
    await until(() => !byTestId(coach, 'hand-queue'), 5000, 'queue empty');
    await until(() => coach.room!.fitness.state!.spotlightId === eli.room!.state.self!.id, 5000, 'Eli spotlighted');
    await until(() => byTestId(eli, 'hand-toggle')!.getAttribute('aria-pressed') === 'false', 5000, 'Eli sees the hand down');
    await coach.room!.fitness.spotlight(null);
  });

  it('shows the seats, and a reaction floats for everyone', async () => {
    const coach = await joinAs('coach', 'Coach Flo');
    const fay = await joinAs('member', 'Fay React');
    const seats = await until(() => byTestId(fay, 'seats'), 5000, 'seat count');
    expect(seats.textContent).to.match(/^\d+ \/ \d+ in class/);
    expect(Number(seats.dataset.taken)).to.be.greaterThan(0);

    const burst = new Promise<CustomEvent<{ counts: Partial<Record<string, number>> }>>((resolve) => coach.addEventListener('fit-reaction', (e) => resolve(e), { once: true }));
    const button = allByTestId(fay, 'reaction').find((b) => b.dataset.emoji === '🔥')!;
    expect(button.getAttribute('aria-label')).to.equal('On fire');
    button.click();
    expect((await burst).detail.counts['🔥']).to.be.greaterThan(0);
    await until(() => allByTestId(coach, 'floater').some((f) => f.textContent === '🔥'), 5000, 'floater at the coach');
    expect(coach.shadowRoot!.querySelector('[part~="reaction-layer"]')!.getAttribute('aria-hidden')).to.equal('true');
  });
});
