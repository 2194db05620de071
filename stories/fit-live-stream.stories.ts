// Stories for <fit-live-stream> in Component Story Format. They render without a backend: a
// stand-in fetch answers the playback and heartbeat endpoints for the live (an HLS test pattern
// served with the stories), not-started, ended and error states. For a live picture, point `server`/`streamId`/`token` at a running backend; for a
// recording, `server`/`recordingId` and a viewer token of the recording's stream.
import '../widget/index.js';
import type { PlaybackInfo } from '../protocol/streams.js';

export default {
  title: 'Elements/fit-live-stream',
  component: 'fit-live-stream',
  args: { server: 'https://media.example-club.com', streamId: 'sunday-hiit', recordingId: '', token: '', poster: '' },
};

interface Args {
  server: string;
  streamId: string;
  recordingId: string;
  token: string;
  poster: string;
}

const POSTER =
  'data:image/svg+xml,' +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9"><rect width="16" height="9" fill="#1d2229"/><circle cx="8" cy="4.5" r="2" fill="#ff5a1f"/></svg>');

/** A `fetch` for stories: answers `/playback` for a stream id from a fixed table, passes the rest through. */
function storyFetch(): void {
  const w = window as Window & { __fitStoryFetch?: boolean };
  if (w.__fitStoryFetch) return;
  w.__fitStoryFetch = true;
  const real = window.fetch.bind(window);
  const base: PlaybackInfo = { streamId: '', title: 'Sunday HIIT with Sam', status: 'idle', posterUrl: null, masterUrl: null, renditions: [], viewers: 0, chat: false, expiresAt: Date.now() + 3600_000 };
  window.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const rec = /\/api\/v1\/recordings\/r_story-([a-z-]+)\/playback$/.exec(url);
    if (rec) {
      return rec[1] === 'elsewhere'
        ? json(403, { error: { code: 'origin_not_allowed', message: 'This site may not play the club’s streams' } })
        : json(404, { error: { code: 'not_found', message: 'No such recording for this token' } });
    }
    const m = /\/api\/v1\/streams\/story-([a-z-]+)\/(playback|heartbeat)$/.exec(url);
    if (!m) return real(input, init);
    switch (m[1]) {
      case 'live':
        // A short test pattern made by .storybook/main.ts with FFmpeg, served with the stories.
        return json(200, { ...base, streamId: 'story-live', status: 'live', masterUrl: new URL('story-hls/live.m3u8', location.href).href, viewers: 42 });
      case 'idle':
        return json(200, { ...base, streamId: 'story-idle', posterUrl: POSTER });
      case 'ended':
        return json(200, { ...base, streamId: 'story-ended', status: 'ended' });
      case 'full':
        return json(403, { error: { code: 'stream_full', message: 'This stream has reached its viewer limit' } });
      case 'expired':
        return json(401, { error: { code: 'token_expired', message: 'The viewer token has expired' } });
      default:
        return json(404, { error: { code: 'stream_not_found', message: 'No such stream' } });
    }
  };
}

function player(args: Args, streamId = args.streamId, style = ''): HTMLElement {
  const el = document.createElement('fit-live-stream');
  el.setAttribute('server', args.server);
  el.setAttribute('stream-id', streamId);
  el.setAttribute('token', args.token || 'story-token');
  if (args.poster) el.setAttribute('poster', args.poster);
  el.setAttribute('style', `max-width:720px;${style}`);
  return el;
}

/** Live: the picture, the LIVE badge, the viewer count (a test pattern standing in for the stream). */
export const Live = {
  render: (args: Args) => {
    storyFetch();
    return player(args, 'story-live');
  },
};

/** A real stream: set `server`, `streamId` and a viewer `token` from `POST /api/v1/streams/:id/join`. */
export const LiveFromServer = { tags: ['needs-backend'], render: (args: Args) => player(args) };

function recordingPlayer(args: Args, recordingId = args.recordingId): HTMLElement {
  const el = document.createElement('fit-live-stream');
  el.setAttribute('server', args.server);
  el.setAttribute('recording-id', recordingId);
  el.setAttribute('token', args.token || 'story-token');
  if (args.poster) el.setAttribute('poster', args.poster);
  el.setAttribute('style', 'max-width:720px');
  return el;
}

/**
 * A recording (HLS VOD): set `server`, `recordingId` (`r_…`, from `GET /api/v1/streams/:id/recordings`)
 * and a viewer `token` of the recording's stream. It waits paused, with sound, behind a big Play
 * button; then a seek bar (arrows ±5 s, Home/End), time / duration, no LIVE or viewer count.
 */
export const Recording = {
  tags: ['needs-backend'],
  args: { recordingId: 'r_replace-me', poster: POSTER },
  render: (args: Args) => recordingPlayer(args),
};

/** A recording that is not there for this token, and one embedded on a site the club does not allow. */
export const RecordingErrors = {
  render: (args: Args) => {
    storyFetch();
    const wrap = document.createElement('div');
    wrap.style.cssText = 'display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(320px,1fr))';
    for (const id of ['r_story-missing', 'r_story-elsewhere']) wrap.append(recordingPlayer(args, id));
    return wrap;
  },
};

/** Not started yet: the poster and "Starts soon" (it polls every 5 s and starts by itself). */
export const NotStarted = {
  render: (args: Args) => {
    storyFetch();
    return player(args, 'story-idle');
  },
};

/** The "Starts soon" text replaced through its slot. */
export const CustomStartsSoon = {
  render: (args: Args) => {
    storyFetch();
    const el = player(args, 'story-idle');
    el.innerHTML = '<span slot="starts-soon">Doors open at 18:00 🏋️</span>';
    return el;
  },
};

export const Ended = {
  render: (args: Args) => {
    storyFetch();
    return player(args, 'story-ended');
  },
};

/** Error states: each code gets its own message and a "Try again" button. */
export const Errors = {
  render: (args: Args) => {
    storyFetch();
    const wrap = document.createElement('div');
    wrap.style.cssText = 'display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(320px,1fr))';
    for (const id of ['story-full', 'story-expired', 'story-missing']) wrap.append(player(args, id));
    return wrap;
  },
};

/** Theming through custom properties and ::part() only. */
export const Themed = {
  render: (args: Args) => {
    storyFetch();
    return player(args, 'story-idle', '--fit-accent:#2563eb;--fit-bg:#0f172a;--fit-radius:4px;--fit-live-color:#22c55e;--fit-stream-aspect-ratio:4/3');
  },
};
