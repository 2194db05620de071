import { expect } from '@esm-bundle/chai';
import type { BoardItem, BoardState, SharedFile } from '../../protocol/social.js';
import { BOARD_MAX_POINTS, SHARED_FILE_MAX_BYTES } from '../../protocol/social-constants.js';
import type { RequestName, RequestPayload, ResponseMap } from '../../protocol/signaling.js';
import { BoardModel, simplifyStroke, type BoardPoint } from '../../widget/room/board-model.js';
import { FilesModel, formatBytes, precheckFile, sharedTypeOf, type Uploader } from '../../widget/room/files-model.js';
import { FitError } from '../../widget/room/fit-error.js';
import { nextTextPosition } from '../../widget/elements/fit-class-room/fit-board.js';
import { boardNoticeText, filesNoticeText } from '../../widget/elements/fit-class-room/board-files-panels.js';

/* The DOM-free board and files models, with a scripted channel instead of a server. */

type Handler = (payload: unknown) => unknown;

class FakeChannel {
  calls: Array<{ name: string; payload: unknown }> = [];
  constructor(public handlers: Partial<Record<RequestName, Handler>> = {}) {}
  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    this.calls.push({ name, payload });
    const h = this.handlers[name];
    if (!h) return Promise.reject(new FitError('not_found', `no handler for ${name}`));
    try {
      return Promise.resolve(h(payload)) as Promise<ResponseMap[N]>;
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

const stroke = (id: string, points: BoardPoint[] = [[0.1, 0.1], [0.2, 0.2]]): BoardItem => ({ kind: 'stroke', id, color: '#111827', width: 6, points });
const text = (id: string, t = 'Burpees x10'): BoardItem => ({ kind: 'text', id, color: '#111827', size: 48, x: 0.1, y: 0.1, text: t });
const ids = (m: BoardModel) => m.state.items.map((i) => i.id);
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A tiny server board: what the backend's Whiteboard does. */
function serverBoard(start: BoardState = { items: [], version: 0 }) {
  const s = { items: [...start.items], version: start.version };
  return {
    s,
    handlers: {
      'board:get': () => ({ board: { items: [...s.items], version: s.version } }),
      'board:draw': (p: unknown) => {
        const item = (p as { item: BoardItem }).item;
        const i = s.items.findIndex((x) => x.id === item.id);
        if (i >= 0) s.items[i] = item;
        else s.items.push(item);
        return { version: ++s.version };
      },
      'board:undo': () => {
        if (!s.items.length) throw new FitError('bad_request', 'Nothing to undo');
        s.items.pop();
        return { version: ++s.version };
      },
      'board:clear': () => ((s.items = []), { version: ++s.version }),
    } as Partial<Record<RequestName, Handler>>,
  };
}

describe('BoardModel', () => {
  it('loads the board, then follows notifications in version order and ignores stale ones', async () => {
    const server = serverBoard({ items: [stroke('a')], version: 3 });
    const remote: boolean[] = [];
    const m = new BoardModel((r) => remote.push(r));
    m.attach(new FakeChannel(server.handlers));
    await m.load();
    expect(m.state.loaded).to.equal(true);
    expect(m.state.version).to.equal(3);
    expect(ids(m)).to.deep.equal(['a']);
    expect(remote).to.include(true);

    m.onItem({ item: stroke('b'), version: 4 });
    expect(ids(m)).to.deep.equal(['a', 'b']);
    // Older than what is here: ignored (a late duplicate, or from before the load).
    m.onItem({ item: stroke('old'), version: 4 });
    m.onItem({ item: stroke('older'), version: 2 });
    m.onState({ items: [], version: 3 });
    expect(ids(m)).to.deep.equal(['a', 'b']);
    // The same id again replaces it in place.
    m.onItem({ item: text('a', 'moved'), version: 5 });
    expect(m.state.items.map((i) => i.kind)).to.deep.equal(['text', 'stroke']);
    // A newer whole board (undo or clear elsewhere) wins.
    m.onState({ items: [stroke('a')], version: 6 });
    expect(ids(m)).to.deep.equal(['a']);
    expect(m.state.version).to.equal(6);
  });

  it('a gap in versions fetches the whole board again', async () => {
    const server = serverBoard({ items: [stroke('a'), stroke('b'), stroke('c')], version: 7 });
    const channel = new FakeChannel(server.handlers);
    const m = new BoardModel(() => undefined);
    m.attach(channel);
    m.onState({ items: [stroke('a')], version: 5 });
    m.onItem({ item: stroke('c'), version: 7 });
    await tick();
    await tick();
    expect(channel.calls.filter((c) => c.name === 'board:get')).to.have.length(1);
    expect(ids(m)).to.deep.equal(['a', 'b', 'c']);
    expect(m.state.version).to.equal(7);
  });

  it('shows the coach’s stroke at once, keeps it when acknowledged, and takes the server’s version', async () => {
    const server = serverBoard({ items: [], version: 10 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const channel = new FakeChannel({
      ...server.handlers,
      'board:draw': async (p) => (await gate, server.handlers['board:draw']!(p)),
    });
    let n = 0;
    const m = new BoardModel(() => undefined, { newId: () => `id${++n}` });
    m.attach(channel);
    await m.load();
    const drawn = m.drawStroke([[0.1, 0.1], [0.5, 0.5], [0.9, 0.1]], '#dc2626', 6);
    expect(ids(m), 'optimistic').to.deep.equal(['id1']);
    expect(m.state.busy).to.equal(true);
    expect(m.state.version, 'not the server’s yet').to.equal(10);
    release();
    const item = await drawn;
    expect(item?.id).to.equal('id1');
    expect(ids(m)).to.deep.equal(['id1']);
    expect(m.state.version).to.equal(11);
    expect(m.state.busy).to.equal(false);
    expect(server.s.items.map((i) => i.id)).to.deep.equal(['id1']);
  });

  it('retries a draw with the same id after a dropped answer, and drops a refused one with the reason', async () => {
    const server = serverBoard();
    let drops = 1;
    const channel = new FakeChannel({
      ...server.handlers,
      'board:draw': (p) => {
        const r = server.handlers['board:draw']!(p);
        if (drops-- > 0) throw new FitError('server_unreachable', 'No answer to board:draw');
        return r;
      },
    });
    const m = new BoardModel(() => undefined, { retryDelayMs: 1, newId: () => 'same' });
    m.attach(channel);
    await m.draw(text('t1'));
    const sent = channel.calls.filter((c) => c.name === 'board:draw').map((c) => (c.payload as { item: BoardItem }).item.id);
    expect(sent).to.deep.equal(['t1', 't1']);
    expect(server.s.items, 'stored once').to.have.length(1);
    expect(ids(m)).to.deep.equal(['t1']);

    channel.handlers['board:draw'] = () => {
      throw new FitError('forbidden', 'Only the coach can draw on the board');
    };
    expect(await m.draw(text('t2'))).to.equal(undefined);
    expect(ids(m)).to.deep.equal(['t1']);
    expect(m.state.notice?.code).to.equal('forbidden');
    expect(m.state.notice?.problem).to.equal('forbidden');
    expect(boardNoticeText(m.state.notice!)).to.equal('Only the coach can change the board.');
  });

  it('undo and clear wait for draws on their way and match the server', async () => {
    const server = serverBoard();
    const m = new BoardModel(() => undefined);
    m.attach(new FakeChannel(server.handlers));
    void m.draw(stroke('a'));
    void m.draw(stroke('b'));
    await m.undo();
    expect(ids(m)).to.deep.equal(['a']);
    expect(server.s.items.map((i) => i.id)).to.deep.equal(['a']);
    expect(m.state.version).to.equal(server.s.version);
    await m.clear();
    expect(ids(m)).to.deep.equal([]);
    expect(m.state.version).to.equal(server.s.version);
    // Undo on an empty board does nothing (no request).
    await m.undo();
    expect(m.state.version).to.equal(server.s.version);
  });

  it('a folded board marks changes from the server as unseen', async () => {
    const m = new BoardModel(() => undefined);
    m.setVisible(false);
    m.onItem({ item: stroke('a'), version: 1 });
    expect(m.state.unseen).to.equal(true);
    m.setVisible(true);
    expect(m.state.unseen).to.equal(false);
  });
});

describe('simplifyStroke', () => {
  it('drops points closer than a small distance and keeps the ends', () => {
    const pts: BoardPoint[] = [[0.1, 0.1], [0.1001, 0.1001], [0.1002, 0.1], [0.3, 0.3], [0.30001, 0.30001]];
    const out = simplifyStroke(pts);
    expect(out[0]).to.deep.equal([0.1, 0.1]);
    expect(out.at(-1)).to.deep.equal([0.3, 0.3]);
    expect(out).to.have.length(2);
  });

  it('straightens a straight line and keeps a corner', () => {
    const line: BoardPoint[] = Array.from({ length: 100 }, (_, i) => [i / 100, 0.5]);
    expect(simplifyStroke(line)).to.have.length(2);
    const corner: BoardPoint[] = [...Array.from({ length: 50 }, (_, i): BoardPoint => [0.1 + i / 100, 0.1]), ...Array.from({ length: 50 }, (_, i): BoardPoint => [0.6, 0.1 + i / 100])];
    const out = simplifyStroke(corner);
    expect(out.length).to.be.within(3, 4);
    expect(out.some(([x, y]) => Math.abs(x - 0.6) < 0.011 && Math.abs(y - 0.1) < 0.011)).to.equal(true);
  });

  it('always fits under BOARD_MAX_POINTS, clamps to the board and skips junk', () => {
    // A long scribble: 20 000 points of a noisy spiral.
    const scribble: BoardPoint[] = Array.from({ length: 20_000 }, (_, i) => {
      const a = i / 40;
      const r = 0.05 + (i / 20_000) * 0.4;
      return [0.5 + r * Math.cos(a) + Math.sin(i) * 0.003, 0.5 + r * Math.sin(a) * 1.7 + Math.cos(i * 1.3) * 0.003];
    });
    const out = simplifyStroke(scribble);
    expect(out.length).to.be.at.most(BOARD_MAX_POINTS);
    expect(out.length).to.be.greaterThan(50);
    expect(out.every(([x, y]) => x >= 0 && x <= 1 && y >= 0 && y <= 1)).to.equal(true);
    expect(simplifyStroke(scribble, { maxPoints: 20 }).length).to.be.at.most(20);
    expect(simplifyStroke([[Number.NaN, 0], [2, -1]] as BoardPoint[])).to.deep.equal([[1, 0]]);
    expect(simplifyStroke([])).to.deep.equal([]);
  });
});

describe('nextTextPosition', () => {
  it('puts keyboard text below the last line', () => {
    expect(nextTextPosition([])).to.deep.equal({ x: 0.04, y: 0.04 });
    const p = nextTextPosition([text('a')]);
    expect(p.y).to.be.greaterThan(0.1);
  });
});

const file = (id: string, sharedAt: number, expiresAt = Date.now() + 3_600_000): SharedFile => ({
  id,
  name: `${id}.pdf`,
  contentType: 'application/pdf',
  size: 1234,
  url: `/api/v1/files/${id}?exp=1&sig=x`,
  expiresAt,
  sharedAt,
});

describe('FilesModel', () => {
  it('lists files newest first, each once, with links on the server', async () => {
    const shared: SharedFile[] = [];
    const m = new FilesModel(() => undefined, { onNew: (f) => shared.push(f) });
    m.attach(new FakeChannel({ 'files:list': () => ({ files: [file('a', 1), file('b', 2)] }) }), { server: 'https://media.example.com/', classId: 'c', token: 't' });
    await m.load();
    expect(m.state.files.map((f) => f.id)).to.deep.equal(['b', 'a']);
    expect(shared, 'a list is not "shared"').to.deep.equal([]);
    expect(m.onShared(file('c', 3))).to.equal(true);
    expect(m.onShared(file('c', 3))).to.equal(false);
    expect(shared.map((f) => f.id)).to.deep.equal(['c']);
    expect(m.state.files.map((f) => f.id)).to.deep.equal(['c', 'b', 'a']);
    expect(m.href(m.state.files[0]!)).to.equal('https://media.example.com/api/v1/files/c?exp=1&sig=x');
    m.dispose();
  });

  it('an expired link is replaced from a fresh list before it is opened', async () => {
    let now = 1_000_000;
    let listed = 0;
    const channel = new FakeChannel({ 'files:list': () => ((listed++), { files: [file('a', 1, now + 3_600_000)] }) });
    const m = new FilesModel(() => undefined, { now: () => now });
    m.attach(channel, { server: 'https://media.example.com', classId: 'c', token: 't' });
    m.onShared({ ...file('a', 1, now + 60_000), url: '/api/v1/files/a?exp=old&sig=x' });
    expect(await m.freshHref('a')).to.contain('exp=old');
    expect(listed).to.equal(0);
    now += 120_000;
    expect(m.isExpired(m.state.files[0]!)).to.equal(true);
    const href = await m.freshHref('a');
    expect(listed).to.equal(1);
    expect(href).to.equal('https://media.example.com/api/v1/files/a?exp=1&sig=x');
    m.dispose();
  });

  it('pre-checks type and size before uploading', async () => {
    expect(sharedTypeOf({ name: 'plan.PDF', size: 1, type: '' })).to.equal('application/pdf');
    expect(sharedTypeOf({ name: 'plan.docx', size: 1, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).to.equal(undefined);
    expect(precheckFile({ name: 'a.gif', size: 10, type: 'image/gif' })?.code).to.equal('unsupported_media_type');
    expect(precheckFile({ name: 'a.png', size: 0, type: 'image/png' })).to.include({ code: 'bad_request', problem: 'empty' });
    // The model names the problem; the element words it (English as it always read).
    const tooBig = precheckFile({ name: 'a.png', size: SHARED_FILE_MAX_BYTES + 1, type: 'image/png' })!;
    expect(tooBig.problem).to.equal('too_large');
    expect(filesNoticeText(tooBig)).to.equal('a.png is 10 MB: files can be up to 10 MB.');
    expect(precheckFile({ name: 'a.webp', size: 10, type: 'image/webp' })).to.equal(undefined);
    expect(formatBytes(1536)).to.equal('2 KB');
    expect(formatBytes(2.5 * 1024 * 1024)).to.equal('2.5 MB');

    let uploads = 0;
    const m = new FilesModel(() => undefined, { uploader: async () => ((uploads++), { status: 500, body: undefined }) });
    m.attach(new FakeChannel(), { server: 'https://media.example.com', classId: 'c', token: 't' });
    expect(await m.share(new File(['GIF89a'], 'x.gif', { type: 'image/gif' }))).to.equal(undefined);
    expect(uploads, 'nothing sent').to.equal(0);
    expect(m.state.notice?.code).to.equal('unsupported_media_type');
  });

  it('uploads with the join token and progress; shows server refusals in plain words', async () => {
    const seen: Array<{ url: string; token: string }> = [];
    const progress: number[] = [];
    let answer: { status: number; body: unknown } = { status: 201, body: file('new', 5) };
    const uploader: Uploader = async ({ url, token, body, onProgress }) => {
      seen.push({ url, token });
      onProgress(body.size / 2, body.size);
      progress.push(m.state.upload!.loaded);
      onProgress(body.size, body.size);
      return answer;
    };
    const m = new FilesModel(() => undefined, { uploader });
    m.attach(new FakeChannel(), { server: 'https://media.example.com', classId: 'demo hiit', token: 'tok' });
    const pdf = new File(['%PDF-1.4\n%%EOF\n'], 'Plan #1.pdf', { type: 'application/pdf' });
    const shared = await m.share(pdf);
    expect(shared?.id).to.equal('new');
    expect(seen[0]!.url).to.equal('https://media.example.com/api/v1/classes/demo%20hiit/files?name=Plan+%231.pdf');
    expect(seen[0]!.token).to.equal('tok');
    expect(progress[0]).to.equal(pdf.size / 2);
    expect(m.state.upload).to.equal(undefined);
    expect(m.state.files.map((f) => f.id)).to.deep.equal(['new']);

    answer = { status: 415, body: { error: { code: 'unsupported_media_type', message: 'Share a PDF or an image (PNG, JPEG, WebP)' } } };
    expect(await m.share(pdf)).to.equal(undefined);
    expect(m.state.notice?.code).to.equal('unsupported_media_type');
    answer = { status: 403, body: { error: { code: 'forbidden', message: 'Only the coach can share files' } } };
    await m.share(pdf);
    expect(m.state.notice?.problem).to.equal('forbidden');
    expect(filesNoticeText(m.state.notice!)).to.equal('Only the coach can share files.');
    answer = { status: 0, body: undefined };
    await m.share(pdf);
    expect(m.state.notice?.code).to.equal('server_unreachable');
    expect(filesNoticeText(m.state.notice!)).to.equal('The upload did not reach the class server. Check the connection and try again.');
    answer = { status: 500, body: undefined };
    await m.share(pdf);
    expect(m.state.notice).to.include({ code: 'internal_error', problem: 'failed' });
    expect(filesNoticeText(m.state.notice!)).to.equal('The server answered 500.');
  });
});
