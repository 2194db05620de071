import type { FitError } from './fit-error.js';
import type { SignalingClient, SignalingEvents, SignalingStatus } from './signaling-client.js';

/*
 * The class connection, opened while the lobby shows: the handshake (token check, origin, the
 * class's node) is done before the member clicks Join, so the click goes straight to `room:join`.
 * Nothing is joined until then; the server holds no seat for it. A lobby connection that fails
 * is dropped without a word, and the click connects afresh and shows what went wrong, as
 * before. One that is not taken within LOBBY_HOLD_MS is closed.
 */

export type Auth = { token: string; classId: string };
type Open = (server: string, auth: Auth, events: SignalingEvents) => SignalingClient;

/** A lobby left open this long without a click gives its connection back to the server. */
export const LOBBY_HOLD_MS = 5 * 60_000;

/** Passes a held connection's events on to the room that takes it; until then keeps only the latest status. */
class Relay implements SignalingEvents {
  target: SignalingEvents | undefined;
  latest: SignalingStatus = 'connecting';
  dead = false;
  status(status: SignalingStatus): void {
    this.latest = status;
    this.target?.status(status);
  }
  failed(error: FitError): void {
    if (this.target) this.target.failed(error);
    else this.dead = true;
  }
  reconnected(): void {
    // Not joined yet: nothing to re-enter.
    this.target?.reconnected();
  }
}

interface Held {
  key: string;
  client: SignalingClient;
  relay: Relay;
  timer: ReturnType<typeof setTimeout>;
}

/** The lobby connections of the page's class rooms, by server, class and token. */
const held = new Map<string, Held>();
const keyOf = (server: string, auth: Auth) => `${server}\n${auth.classId}\n${auth.token}`;

function release(key: string): void {
  const h = held.get(key);
  if (!h) return;
  clearTimeout(h.timer);
  h.client.close();
  held.delete(key);
}

/** Opens (or keeps) the lobby's connection for this server, class and token. */
export function holdConnection(server: string, auth: Auth, open: Open): void {
  const key = keyOf(server, auth);
  if (held.get(key)?.relay.dead === false) return;
  release(key);
  const relay = new Relay();
  const client = open(server, { ...auth }, relay);
  held.set(key, { key, client, relay, timer: setTimeout(() => release(key), LOBBY_HOLD_MS) });
}

/**
 * The lobby's connection, if it is for this server, class and token and still usable: its events
 * go to `events` from now on (the current status at once), and it sends `auth` from now on.
 */
export function takeConnection(server: string, auth: Auth, events: SignalingEvents): SignalingClient | undefined {
  const key = keyOf(server, auth);
  const h = held.get(key);
  if (!h) return undefined;
  held.delete(key);
  clearTimeout(h.timer);
  if (h.relay.dead || h.relay.latest === 'disconnected') {
    h.client.close();
    return undefined;
  }
  h.client.useAuth(auth);
  h.relay.target = events;
  events.status(h.relay.latest);
  return h.client;
}

/** Closes a lobby's connection (its element left the page, or its token changed); all of them without arguments. */
export function dropHeldConnection(server?: string, auth?: Auth): void {
  if (server && auth) release(keyOf(server, auth));
  else for (const key of [...held.keys()]) release(key);
}
