import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import { RoomModel } from '../../widget/index.js';
import { byTestId, mount, nextEvent, until } from './helpers.js';
import { ScriptedConnection, scriptedDeps } from './scripted-connection.js';

/*
 * A full class and its waitlist, in <fit-class-room> over a scripted connection (the demo class
 * has 50 seats; the real backend's waitlist is covered by the backend tests).
 */

afterEach(() => {
  for (const el of document.querySelectorAll('fit-class-room')) el.remove();
});

describe('<fit-class-room> in a full class', () => {
  it('says the class is full, waits in line, and joins by itself when a seat is held', async () => {
    const el = await mount({ 'class-id': 'demo-hiit' });
    const { deps, connection, cameras } = scriptedDeps();
    el.attachRoom(new RoomModel({ server: 'http://scripted.test', classId: 'demo-hiit', token: 'x.e30.y' }, deps));
    const error = nextEvent<{ code: string }>(el, 'fit-error');
    await el.join();
    expect((await error).detail.code).to.equal('class_full');
    await el.updateComplete;
    expect(el.room!.state.phase).to.equal('full');
    expect(byTestId(el, 'class-full')!.textContent).to.contain('This class is full');
    expect(byTestId(el, 'error-message'), 'not shown as a failure').to.equal(null);
    // No camera while waiting.
    await until(() => cameras.length && cameras.every((s) => s.getTracks().every((t) => t.readyState === 'ended')), 3000, 'camera released');

    const waiting = nextEvent<{ position: number }>(el, 'fit-waitlist');
    byTestId(el, 'waitlist-join')!.click();
    expect((await waiting).detail.position).to.equal(3);
    await el.updateComplete;
    expect(byTestId(el, 'waitlist-position')!.textContent).to.match(/number\s+3\s+in line/);

    connection().notify('waitlist:position', { position: 1 });
    await el.updateComplete;
    expect(byTestId(el, 'waitlist-position')!.dataset.position).to.equal('1');

    connection().full = false;
    const joined = nextEvent(el, 'fit-joined');
    connection().notify('waitlist:promoted', { holdSeconds: 30 });
    await joined;
    await el.updateComplete;
    expect(el.room!.state.phase).to.equal('joined');
    expect(byTestId(el, 'class-full')).to.equal(null);
    expect(byTestId(el, 'seats')!.textContent).to.equal('1 / 1 in class');
    expect(connection().calls.filter((c) => c === 'room:join')).to.have.length(2);
    // The camera opens again for the class.
    await until(() => cameras.length === 2 && cameras[1]!.getTracks().some((t) => t.readyState === 'live'), 3000, 'camera back');
    await el.leave();
  });

  it('a held seat at once (position 0) joins straight away; leaving the line says so to the server', async () => {
    const el = await mount({ 'class-id': 'demo-hiit' });
    const { deps, connection } = scriptedDeps();
    el.attachRoom(new RoomModel({ server: 'http://scripted.test', classId: 'demo-hiit', token: 'x.e30.y' }, deps));
    await el.join();
    expect(el.room!.state.phase).to.equal('full');
    byTestId(el, 'waitlist-leave')!.click();
    await until(() => el.room!.state.phase === 'left', 3000, 'left');
    expect(connection().calls).to.include('waitlist:leave');

    const el2 = await mount({ 'class-id': 'demo-hiit' });
    const second = scriptedDeps();
    el2.attachRoom(new RoomModel({ server: 'http://scripted.test', classId: 'demo-hiit', token: 'x.e30.y' }, second.deps));
    await el2.join();
    const c = second.connection();
    c.request = async function (this: ScriptedConnection, name: string, payload: unknown) {
      if (name === 'waitlist:join') {
        this.calls.push(name);
        this.full = false;
        return { position: 0 };
      }
      return ScriptedConnection.prototype.request.call(this, name, payload);
    };
    const joined = nextEvent(el2, 'fit-joined');
    await el2.room!.joinWaitlist();
    await joined;
    expect(el2.room!.state.phase).to.equal('joined');
    await el2.leave();
  });
});
