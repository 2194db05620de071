import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import { backendUrl, byTestId, mount, nextEvent, token, until, mountCounter } from './helpers.js';

/* <fit-rep-counter> inside a room and standalone (a second device), against the real backend. */

afterEach(() => {
  for (const el of document.querySelectorAll('fit-class-room, fit-rep-counter')) el.remove();
});

const counter = mountCounter;

const count = (el: Element) => el.shadowRoot!.querySelector('[data-testid="rep-count"]')!.textContent!.trim();

describe('<fit-rep-counter>', () => {
  it('inside the room counts the member’s reps, acknowledged by the server', async () => {
    const room = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: await token('member', 'Cleo') });
    await room.join();
    const inner = await until(() => room.shadowRoot!.querySelector('fit-rep-counter'), 10_000, 'counter in the room');
    await until(() => !inner.shadowRoot!.querySelector('button')!.disabled, 10_000, 'counter enabled');
    const rep = nextEvent<{ count: number }>(inner, 'fit-rep');
    inner.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="rep-button"]')!.click();
    expect((await rep).detail.count).to.equal(1);
    await until(() => count(inner) === '1', 3000, 'count shown');
    expect(inner.shadowRoot!.querySelector('button')!.getAttribute('aria-label')).to.match(/1/);
    await room.leave();
  });

  it('standalone on a second device counts for the same seat; before joining it explains and retries', async () => {
    const memberToken = await token('member', 'Dana');
    const phone = await counter({ server: backendUrl, 'class-id': 'demo-hiit', token: memberToken });
    await until(() => phone.shadowRoot!.querySelector('[data-testid="error-message"]'), 10_000, 'not-joined message');
    expect(byTestId(phone, 'error-message')!.dataset.code).to.equal('not_joined');

    const room = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: memberToken });
    await room.join();
    phone.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="rep-button"]')!.click(); // retry
    await until(() => phone.room?.state.phase === 'joined', 10_000, 'phone follows the class');
    for (let i = 0; i < 3; i++) await phone.tap();
    await until(() => count(phone) === '3', 3000, 'phone shows 3');
    // The seat in the room sees the same count, through the server.
    await until(() => room.room!.fitness.currentReps(room.room!.state.self!.id) === 3, 3000, 'room sees 3');
    await room.leave();
  });
});
