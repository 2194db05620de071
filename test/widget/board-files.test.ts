import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import type { FitBoard, FitClassRoom } from '../../widget/index.js';
import type { SharedFile } from '../../protocol/social.js';
import { allByTestId, backendUrl, byTestId, mount, token, until } from './helpers.js';

/* The whiteboard and shared files between real <fit-class-room>s on the real backend. */

afterEach(async () => {
  for (const el of document.querySelectorAll('fit-class-room')) {
    await el.leave().catch(() => undefined);
    el.remove();
  }
});

async function joinAs(role: 'coach' | 'member', name: string, style = 'width: 900px'): Promise<FitClassRoom> {
  const el = await mount({ server: backendUrl, 'class-id': 'demo-hiit', token: await token(role, name) });
  el.setAttribute('style', style);
  await el.join();
  await until(() => el.room?.state.phase === 'joined' && el.room.board.state.loaded && el.room.files.state.loaded, 15_000, `${name} joined with board and files`);
  await el.updateComplete;
  return el;
}

const boardOf = (el: FitClassRoom) => el.shadowRoot!.querySelector<FitBoard>('fit-board');
const inBoard = (el: FitClassRoom, id: string) => boardOf(el)?.shadowRoot?.querySelector<HTMLElement>(`[data-testid="${id}"]`) ?? null;

/** Draws a line across the canvas with pointer events, as a pen would. */
async function drawLine(el: FitClassRoom, from: [number, number], to: [number, number], steps = 30): Promise<void> {
  const canvas = inBoard(el, 'board-canvas') as HTMLCanvasElement;
  const r = canvas.getBoundingClientRect();
  const at = (f: [number, number]) => ({ clientX: r.left + f[0] * r.width, clientY: r.top + f[1] * r.height });
  const ev = (type: string, p: { clientX: number; clientY: number }) =>
    canvas.dispatchEvent(new PointerEvent(type, { ...p, pointerId: 7, pointerType: 'pen', isPrimary: true, button: 0, buttons: 1, bubbles: true, composed: true, cancelable: true }));
  ev('pointerdown', at(from));
  for (let i = 1; i <= steps; i++) ev('pointermove', at([from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps]));
  ev('pointerup', at(to));
  await el.updateComplete;
}

const itemsAt = (el: FitClassRoom) => Number(inBoard(el, 'board-canvas')?.dataset.items ?? -1);

/** A small valid-looking PDF made on the spot. */
function pdf(name = 'plan.pdf'): File {
  const body = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
  return new File([body], name, { type: 'application/pdf' });
}

/** Picks a file in the coach's "Share a file" input, as the file dialog would. */
function pick(el: FitClassRoom, file: File): void {
  const input = byTestId(el, 'file-input') as HTMLInputElement;
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('<fit-class-room> whiteboard and files', function () {
  this.timeout(90_000);

  it('the coach draws and writes; members see it live; a late joiner gets the board; undo and clear reach everyone', async () => {
    const coach = await joinAs('coach', 'Coach Board');
    await coach.room!.board.clear();
    const ana = await joinAs('member', 'Ana Board');
    // Nothing on the board: a member has no board panel; the coach's is folded.
    await until(() => !byTestId(ana, 'board'), 5000, 'no board for an empty class');
    expect(byTestId(coach, 'board')!.dataset.open).to.equal('false');
    const changes: number[] = [];
    ana.addEventListener('fit-board-changed', (e) => changes.push(e.detail.version));

    byTestId(coach, 'board-toggle')!.click();
    await coach.updateComplete;
    const board = await until(() => boardOf(coach), 5000, 'the board');
    await board.updateComplete;
    const canvas = inBoard(coach, 'board-canvas') as HTMLCanvasElement;
    // Sized to its box × devicePixelRatio.
    await until(() => canvas.width === Math.round(canvas.clientWidth * devicePixelRatio) && canvas.width > 100, 5000, 'canvas sized');

    // A red line with the pen.
    (inBoard(coach, 'board-color') && [...boardOf(coach)!.shadowRoot!.querySelectorAll<HTMLButtonElement>('[data-testid="board-color"]')].find((b) => b.dataset.color === '#dc2626'))!.click();
    await board.updateComplete;
    await drawLine(coach, [0.1, 0.2], [0.8, 0.6], 60);
    expect(itemsAt(coach), 'the coach sees it at once').to.equal(1);

    await until(() => byTestId(ana, 'board'), 10_000, 'the board appears for the member');
    await until(() => itemsAt(ana) === 1, 10_000, 'the member sees the stroke');
    const line = ana.room!.board.state.items[0]!;
    expect(line.kind).to.equal('stroke');
    if (line.kind === 'stroke') {
      expect(line.color).to.equal('#dc2626');
      // Sixty points on a straight line: simplified to its ends.
      expect(line.points.length).to.be.lessThan(5);
      expect(line.points[0]![0]).to.be.closeTo(0.1, 0.01);
      expect(line.points.at(-1)![1]).to.be.closeTo(0.6, 0.01);
    }
    // Painted: the member's canvas has red pixels along the line.
    const memberCanvas = inBoard(ana, 'board-canvas') as HTMLCanvasElement;
    await until(() => memberCanvas.width > 100, 5000, 'member canvas sized');
    const ctx = memberCanvas.getContext('2d')!;
    const mid = ctx.getImageData(Math.round(memberCanvas.width * 0.45), Math.round(memberCanvas.height * 0.4), 1, 1).data;
    expect([mid[0], mid[3]], 'a red, opaque pixel mid-line').to.satisfy(([r, a]: number[]) => r! > 150 && a! > 200);

    // Text from the keyboard: the text tool, type, Enter.
    inBoard(coach, 'board-tool-text')!.click();
    await board.updateComplete;
    const input = inBoard(coach, 'board-text-input') as HTMLInputElement;
    input.value = '3 rounds: 10 burpees';
    input.dispatchEvent(new Event('input'));
    await board.updateComplete;
    input.form!.requestSubmit();
    await until(() => itemsAt(ana) === 2, 10_000, 'the member sees the text');
    expect(ana.room!.board.state.items[1]).to.include({ kind: 'text', text: '3 rounds: 10 burpees' });
    expect(boardOf(ana)!.shadowRoot!.querySelector('[data-testid="board-texts"]')!.textContent).to.contain('10 burpees');
    expect(inBoard(ana, 'board-tools'), 'members have no tools').to.equal(null);
    expect(changes.length).to.be.greaterThan(1);

    // A late joiner gets the whole board.
    const ben = await joinAs('member', 'Ben Late');
    await until(() => itemsAt(ben) === 2, 10_000, 'the late joiner has the board');
    expect(ben.room!.board.state.items.map((i) => i.kind)).to.deep.equal(['stroke', 'text']);
    expect(ben.room!.board.state.version).to.equal(coach.room!.board.state.version);

    // A folded board shows "new" when it changes.
    byTestId(ben, 'board-toggle')!.click();
    await ben.updateComplete;

    // Undo takes back the text for everyone.
    inBoard(coach, 'board-undo')!.click();
    await until(() => itemsAt(ana) === 1 && ben.room!.board.state.items.length === 1, 10_000, 'undo everywhere');
    await until(() => byTestId(ben, 'board-unseen'), 5000, 'the folded board says it changed');

    // Clear asks first, then empties the board for everyone.
    inBoard(coach, 'board-clear')!.click();
    await board.updateComplete;
    expect(itemsAt(coach), 'not before confirming').to.equal(1);
    inBoard(coach, 'board-clear-confirm')!.click();
    await until(() => itemsAt(coach) === 0 && ana.room!.board.state.items.length === 0, 10_000, 'cleared');
    await until(() => !byTestId(ana, 'board') || byTestId(ana, 'board')!.dataset.version === String(coach.room!.board.state.version), 5000, 'member up to date');
  });

  it('a refused type gets a clear message and is not sent', async () => {
    const coach = await joinAs('coach', 'Coach Files');
    const input = byTestId(coach, 'file-input') as HTMLInputElement;
    expect(input.accept).to.equal('.pdf,image/png,image/jpeg,image/webp');
    expect(byTestId(coach, 'file-share')!.textContent).to.contain('Share a file');
    pick(coach, new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    await until(() => byTestId(coach, 'file-notice'), 5000, 'the refusal');
    expect(byTestId(coach, 'file-notice')!.dataset.code).to.equal('unsupported_media_type');
    expect(byTestId(coach, 'file-notice')!.textContent).to.contain('PDF or an image');
    expect(coach.room!.files.state.upload).to.equal(undefined);
  });

  it('a member has no files panel until something is shared, and cannot upload', async () => {
    const ana = await joinAs('member', 'Ana Files');
    if (!ana.room!.files.state.files.length) expect(byTestId(ana, 'files')).to.equal(null);
    expect(byTestId(ana, 'file-input')).to.equal(null);
  });

  it('the coach shares a PDF: members get it live with a link that works; a disguised file is refused by the server', async function () {
    const coach = await joinAs('coach', 'Coach Share');
    const ana = await joinAs('member', 'Ana Share');
    const got = new Promise<SharedFile>((resolve) => ana.addEventListener('fit-file-shared', (e) => resolve(e.detail), { once: true }));
    const name = `plan-${Math.random().toString(36).slice(2, 8)}.pdf`;
    pick(coach, pdf(name));
    const shared = await got;
    expect(shared.name).to.equal(name);
    expect(shared.contentType).to.equal('application/pdf');
    const row = await until(() => allByTestId(ana, 'file').find((li) => li.textContent!.includes(name)), 10_000, 'the file in the member’s list');
    expect(row.querySelector('[data-testid="file-type"]')!.textContent).to.equal('PDF');
    const link = row.querySelector<HTMLAnchorElement>('[data-testid="file-link"]')!;
    expect(link.target).to.equal('_blank');
    expect(link.rel.split(' ').sort()).to.deep.equal(['noopener', 'noreferrer']);
    expect(link.href.startsWith(backendUrl)).to.equal(true);
    const res = await fetch(link.href);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('application/pdf');
    expect((await res.text()).startsWith('%PDF-1.4')).to.equal(true);
    // The coach's list has it too, once.
    await until(() => allByTestId(coach, 'file').filter((li) => li.textContent!.includes(name)).length === 1, 5000, 'coach list');

    // Named .png but not a PNG: the server looks at the bytes.
    pick(coach, new File(['not really a png'], 'fake.png', { type: 'image/png' }));
    await until(() => byTestId(coach, 'file-notice'), 10_000, 'the server refusal');
    expect(byTestId(coach, 'file-notice')!.dataset.code).to.equal('unsupported_media_type');
  });
});
