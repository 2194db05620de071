import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import { RoomModel } from '../../widget/index.js';
import { FitError } from '../../widget/room/fit-error.js';
import { mount, nextEvent, until } from './helpers.js';
import { ScriptedConnection, scriptedDeps } from './scripted-connection.js';

/*
 * A backend restarting under a class: the connection comes back to a server that is still going
 * away, so the re-entry's first request goes unanswered and the connection drops again. That is
 * not the end of the class: the next reconnection enters again. (The whole restart, with real
 * media, is test/e2e/backend-restart.test.ts.)
 */

afterEach(() => {
  for (const el of document.querySelectorAll('fit-class-room')) el.remove();
});

describe('<fit-class-room> when the connection drops while it enters again', () => {
  it('stays in the class, says it is reconnecting, and enters on the next reconnection', async () => {
    const el = await mount({ 'class-id': 'demo-hiit' });
    const { deps, connection } = scriptedDeps();
    el.attachRoom(new RoomModel({ server: 'http://scripted.test', classId: 'demo-hiit', token: 'x.e30.y' }, deps));
    const c = () => connection();
    await el.join();
    c().full = false;
    // (The scripted class starts full: take the seat as a reconnection would.)
    c().events.reconnected();
    await until(() => el.room!.state.phase === 'joined', 3000, 'joined');
    const errors: unknown[] = [];
    el.addEventListener('fit-error', (e) => errors.push((e as CustomEvent).detail));

    // Back on a server that is shutting down: it drops the connection instead of answering.
    let dying = true;
    c().request = async function (this: ScriptedConnection, name: string, payload: unknown) {
      if (!dying) return ScriptedConnection.prototype.request.call(this, name, payload);
      this.calls.push(name);
      this.events.status('reconnecting');
      throw new FitError('server_unreachable', `No answer to ${name}`);
    };
    c().events.status('connected');
    c().events.reconnected();
    await until(() => el.room!.state.connection === 'reconnecting', 3000, 'reconnecting');
    await new Promise((r) => setTimeout(r, 50));
    expect(el.room!.state.phase, 'still in the class').to.equal('joined');
    expect(el.room!.state.error).to.equal(undefined);
    expect(el.getAttribute('connection-state')).to.equal('reconnecting');

    // The restarted server answers: the room enters again by itself.
    dying = false;
    const joins = c().calls.filter((n) => n === 'room:join').length;
    const joined = nextEvent(el, 'fit-joined');
    c().events.status('connected');
    c().events.reconnected();
    await joined;
    expect(c().calls.filter((n) => n === 'room:join').length).to.equal(joins + 1);
    expect(el.room!.state.phase).to.equal('joined');
    expect(el.room!.state.connection).to.equal('connected');
    expect(errors, 'no error reached the page').to.deep.equal([]);
    await el.leave();
  });

  it('a first join whose server does not answer while connected still fails with a clear error', async () => {
    const el = await mount({ 'class-id': 'demo-hiit' });
    const { deps, connection } = scriptedDeps();
    const room = new RoomModel({ server: 'http://scripted.test', classId: 'demo-hiit', token: 'x.e30.y' }, deps);
    el.attachRoom(room);
    const error = nextEvent<{ code: string }>(el, 'fit-error');
    const joining = el.join();
    // Connected, but the join is never answered (a server that hangs): that is an error to show.
    connection().request = async (name: string) => {
      throw new FitError('server_unreachable', `No answer to ${name}`);
    };
    await joining;
    expect((await error).detail.code).to.equal('server_unreachable');
    expect(room.state.phase).to.equal('error');
  });
});
