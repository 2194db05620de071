import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import { FitClassRoom, RoomModel } from '../../widget/index.js';
import { browserDeps } from '../../widget/room/room-model.js';
import { allByTestId, backendUrl, byTestId, mount, nextEvent, token, until } from './helpers.js';

/* <fit-class-room> in real Chromium against the real backend (mediasoup, Socket.IO, PGlite). */

afterEach(() => {
  for (const el of document.querySelectorAll('fit-class-room')) el.remove();
});

describe('<fit-class-room> before joining', () => {
  it('shows a join button, a disconnected state and its parts', async () => {
    const el = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: 'x' });
    await el.updateComplete;
    expect(byTestId(el, 'join-button')?.textContent?.trim()).to.equal('Join class');
    expect(byTestId(el, 'connection-state')?.textContent).to.equal('disconnected');
    expect(el.getAttribute('connection-state')).to.equal('disconnected');
    expect(el.classId).to.equal('demo-hiit');
    el.classId = 'other';
    expect(el.server).to.equal(backendUrl);
    for (const part of ['base', 'header', 'connection-state', 'join-button']) {
      expect(el.shadowRoot!.querySelector(`[part~="${part}"]`), part).to.exist;
    }
  });

  it('is defined once; a second copy of the script only warns', async () => {
    const { defineElement } = await import('../../widget/elements/fit-element.js');
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      defineElement('fit-class-room', class extends FitClassRoom {});
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('fit-class-room')).to.equal(FitClassRoom);
    expect(warnings).to.have.length(1);
  });

  it('without a token it explains what is missing', async () => {
    const el = await mount({ server: backendUrl, 'class-id': 'demo-hiit' });
    const error = nextEvent<{ code: string }>(el, 'fit-error');
    byTestId(el, 'join-button')!.click();
    expect((await error).detail.code).to.equal('bad_request');
    await el.updateComplete;
    expect(byTestId(el, 'error-message')?.textContent).to.match(/token/);
  });
});

describe('<fit-class-room> errors from the server', () => {
  it('a bad token gives token_invalid, a clear message and a way to retry', async () => {
    const el = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: 'eyJhbGciOiJIUzI1NiJ9.eyJjbHViIjoiZGVtby1jbHViIn0.bad' });
    const error = nextEvent<{ code: string; message: string }>(el, 'fit-error');
    byTestId(el, 'join-button')!.click();
    const { detail } = await error;
    expect(detail.code).to.equal('token_invalid');
    await el.updateComplete;
    expect(byTestId(el, 'error-message')!.dataset.code).to.equal('token_invalid');
    expect(byTestId(el, 'error-message')!.textContent).to.match(/invalid/i);
    expect(byTestId(el, 'connection-state')!.textContent).to.equal('disconnected');
    expect(byTestId(el, 'join-button')!.textContent!.trim()).to.equal('Rejoin class');
  });

  it('an unreachable server gives server_unreachable', async () => {
    const el = await mount({ server: 'http://127.0.0.1:9', 'class-id': 'demo-hiit', token: await token('member', 'Ana') });
    const error = nextEvent<{ code: string }>(el, 'fit-error');
    byTestId(el, 'join-button')!.click();
    expect((await error).detail.code).to.equal('server_unreachable');
    await el.updateComplete;
    expect(byTestId(el, 'error-message')!.textContent).to.contain('127.0.0.1:9');
  });
});

describe('<fit-class-room> in a live class', () => {
  it('a member joins, sees the coach who joins later, and leaves cleanly', async () => {
    const member = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: await token('member', 'Ana') });
    const joined = nextEvent<{ participantId: string; role: string }>(member, 'fit-joined');
    byTestId(member, 'join-button')!.click();
    expect((await joined).detail.role).to.equal('member');
    await until(() => byTestId(member, 'connection-state')!.textContent === 'connected', 10_000, 'connected');
    const self = await until(() => byTestId(member, 'self-video') as HTMLVideoElement | null, 10_000, 'self preview');
    expect(self.muted).to.equal(true);

    const coach = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: await token('coach', 'Coach Sam') });
    await coach.join();
    const coachVideo = await until(() => byTestId(member, 'coach-video') as HTMLVideoElement | null, 15_000, 'coach video');
    await until(() => coachVideo.videoWidth > 0, 15_000, 'coach frames');
    // The coach sees the member's tile.
    await until(() => allByTestId(coach, 'participant-tile').find((t) => t.dataset.role === 'member'), 10_000, 'member tile');

    const localTracks = member.room!.state.localStream!.getTracks();
    const left = nextEvent(member, 'fit-left');
    byTestId(member, 'leave-button')!.click();
    await left;
    await member.updateComplete;
    expect(byTestId(member, 'connection-state')!.textContent).to.equal('disconnected');
    expect(localTracks.every((t) => t.readyState === 'ended'), 'camera and mic released').to.equal(true);
    await until(() => allByTestId(coach, 'participant-tile').length === 0, 3000, 'tile gone from coach');
    await coach.leave();
  });

  it('the coach edits the plan from the class view', async () => {
    const coach = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: await token('coach', 'Coach Kim') });
    await coach.join();
    await until(() => coach.room!.fitness.state, 10_000, 'class state');
    const before = coach.room!.fitness.state!.plan.length;
    byTestId(coach, 'edit-plan')!.click();
    await coach.updateComplete;
    byTestId(coach, 'plan-add')!.click();
    await coach.updateComplete;
    const names = [...coach.shadowRoot!.querySelectorAll<HTMLInputElement>('[data-testid="plan-editor"] input[aria-label="Exercise name"]')];
    const last = names.at(-1)!;
    last.value = 'Mountain climbers';
    last.dispatchEvent(new Event('change'));
    await coach.updateComplete;
    byTestId(coach, 'plan-save')!.click();
    await until(() => coach.room!.fitness.state!.plan.length === before + 1, 5000, 'plan saved');
    expect(coach.room!.fitness.state!.plan.at(-1)!.name).to.equal('Mountain climbers');
    await until(() => !byTestId(coach, 'plan-editor'), 3000, 'editor closed');
    // Put the demo plan back for the other tests.
    await coach.room!.fitness.setPlan(coach.room!.fitness.state!.plan.slice(0, before));
    await coach.leave();
  });

  it('a refused camera still lets the member follow the class, with a notice', async () => {
    const el = await mount({ server: backendUrl, 'class-id': 'demo-hiit' });
    const refused = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    el.attachRoom(new RoomModel({ server: backendUrl, classId: 'demo-hiit', token: await token('member', 'Ben') }, { ...browserDeps(), getUserMedia: refused }));
    const error = nextEvent<{ code: string }>(el, 'fit-error');
    const joined = nextEvent(el, 'fit-joined');
    await el.join();
    expect((await error).detail.code).to.equal('media_permission_denied');
    await joined;
    await el.updateComplete;
    expect(byTestId(el, 'error-message')!.dataset.code).to.equal('media_permission_denied');
    expect(byTestId(el, 'error-message')!.textContent).to.match(/refused/);
    expect(byTestId(el, 'connection-state')!.textContent).to.equal('connected');
    expect(byTestId(el, 'self-video')).to.equal(null);
    await el.leave();
  });
});
