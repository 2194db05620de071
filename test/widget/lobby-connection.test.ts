import { expect } from '@esm-bundle/chai';
import { FitError } from '../../widget/room/fit-error.js';
import { dropHeldConnection, holdConnection, takeConnection } from '../../widget/room/lobby-connection.js';
import type { SignalingClient, SignalingEvents, SignalingStatus } from '../../widget/room/signaling-client.js';

/*
 * The lobby's class connection on its own, over stand-in clients (the join over a real one is
 * in fit-class-room.test.ts and every e2e; its effect on join time in `npm run bench`).
 */

class StandIn {
  closed = false;
  auth: { token: string; classId: string };
  constructor(
    readonly server: string,
    auth: { token: string; classId: string },
    readonly events: SignalingEvents,
  ) {
    this.auth = auth;
  }
  useAuth(auth: { token: string; classId: string }): void {
    this.auth = auth;
  }
  close(): void {
    this.closed = true;
  }
}

function recorder(): SignalingEvents & { statuses: SignalingStatus[]; failures: FitError[]; reconnects: number } {
  const r = {
    statuses: [] as SignalingStatus[],
    failures: [] as FitError[],
    reconnects: 0,
    status: (s: SignalingStatus) => void r.statuses.push(s),
    failed: (e: FitError) => void r.failures.push(e),
    reconnected: () => void r.reconnects++,
  };
  return r;
}

describe('the lobby connection', () => {
  let opened: StandIn[];
  const open = (server: string, auth: { token: string; classId: string }, events: SignalingEvents) => {
    const c = new StandIn(server, auth, events);
    opened.push(c);
    return c as unknown as SignalingClient;
  };
  const auth = { token: 't.1', classId: 'demo-hiit' };
  beforeEach(() => {
    opened = [];
    dropHeldConnection();
  });

  it('is taken by the join for the same server, class and token, with its status and later events', () => {
    holdConnection('http://a.test', auth, open);
    holdConnection('http://a.test', { ...auth }, open);
    expect(opened, 'one connection for one lobby').to.have.length(1);
    opened[0]!.events.status('connected');
    // Not joined yet: a reconnection has nothing to enter.
    opened[0]!.events.reconnected();

    const room = recorder();
    const roomAuth = { ...auth };
    const taken = takeConnection('http://a.test', roomAuth, room);
    expect(taken).to.equal(opened[0]);
    expect(room.statuses, 'the current status at once').to.deep.equal(['connected']);
    expect(opened[0]!.auth, "the room's auth object (renewals go into it)").to.equal(roomAuth);
    opened[0]!.events.status('reconnecting');
    opened[0]!.events.reconnected();
    expect(room.statuses).to.deep.equal(['connected', 'reconnecting']);
    expect(room.reconnects).to.equal(1);
    expect(takeConnection('http://a.test', auth, recorder()), 'taken once').to.equal(undefined);
  });

  it('is not taken for another token, class or server; two lobbies on a page each keep theirs until dropped', () => {
    holdConnection('http://a.test', auth, open);
    expect(takeConnection('http://b.test', auth, recorder())).to.equal(undefined);
    expect(takeConnection('http://a.test', { ...auth, token: 't.2' }, recorder())).to.equal(undefined);
    expect(takeConnection('http://a.test', { ...auth, classId: 'demo-yoga' }, recorder())).to.equal(undefined);
    holdConnection('http://a.test', { ...auth, token: 't.2' }, open);
    expect(opened[0]!.closed, 'another lobby does not close this one').to.equal(false);
    dropHeldConnection('http://a.test', auth);
    expect(opened[0]!.closed, 'the first token’s connection is closed when its lobby drops it').to.equal(true);
    expect(opened[1]!.closed).to.equal(false);
    expect(takeConnection('http://a.test', { ...auth, token: 't.2' }, recorder())).to.equal(opened[1]);
  });

  it('a refusal or a lost connection before the click is kept quiet; the join connects afresh', () => {
    holdConnection('http://a.test', auth, open);
    opened[0]!.events.failed(new FitError('unauthorized', 'expired'));
    expect(takeConnection('http://a.test', auth, recorder())).to.equal(undefined);
    expect(opened[0]!.closed).to.equal(true);

    holdConnection('http://a.test', auth, open);
    opened[1]!.events.status('disconnected');
    const room = recorder();
    expect(takeConnection('http://a.test', auth, room)).to.equal(undefined);
    expect(opened[1]!.closed).to.equal(true);
    expect(room.statuses, 'nothing reached the room').to.deep.equal([]);
  });
});
