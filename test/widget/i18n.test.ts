import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import type { FitBoard, FitClassRoom, FitLiveStream, FitRepCounter } from '../../widget/index.js';
import { en } from '../../widget/i18n/en.js';
import { es } from '../../widget/i18n/es.js';
import { hasLocale, loadLocale, localeOf, translate } from '../../widget/i18n/locale.js';
import { liveRoom } from '../../stories/mock-room.js';
import { allByTestId, byTestId, until } from './helpers.js';
// @ts-expect-error served by the hls stand-in plugin (web-test-runner.config.mjs)
import { standInUrl } from '/__fitlive/hls-stand-in.js';

/* The localisation layer in Chromium: English and Spanish, from the element's `lang`, an ancestor's, or the page's. */

afterEach(() => {
  for (const el of document.querySelectorAll('[data-i18n-test]')) el.remove();
  document.documentElement.removeAttribute('lang');
});

function add<T extends HTMLElement>(html: string): T {
  const wrap = document.createElement('div');
  wrap.dataset.i18nTest = '';
  wrap.innerHTML = html;
  document.body.append(wrap);
  return wrap.querySelector('fit-class-room, fit-rep-counter, fit-live-stream') as T;
}

// First, before anything has asked for Spanish: its catalog is a lazy chunk.
describe('i18n: the Spanish catalog loads on demand', () => {
  it('an element in Spanish renders English until the catalog arrives, then re-renders in Spanish', async () => {
    expect(hasLocale('es'), 'not loaded before an element needs it').to.equal(false);
    expect(translate('es', 'room.join'), 'English meanwhile').to.equal('Join class');
    const room = add<FitClassRoom>('<fit-class-room lang="es" class-id="x" token="t"></fit-class-room>');
    await room.updateComplete;
    if (!hasLocale('es')) expect(byTestId(room, 'join-button')!.textContent!.trim()).to.equal('Join class');
    await until(() => byTestId(room, 'join-button')!.textContent!.trim() === 'Unirme a la clase', 5000, 'Spanish once the catalog is in');
    expect(hasLocale('es')).to.equal(true);
    expect(translate('es', 'room.join')).to.equal('Unirme a la clase');
  });
});

describe('i18n', () => {
  before(() => loadLocale('es'));

  it('Spanish has every English key, each translated (not left in English)', () => {
    expect(Object.keys(es).sort()).to.deep.equal(Object.keys(en).sort());
    const same = Object.keys(en).filter((k) => typeof (en as Record<string, unknown>)[k] === 'string' && (en as Record<string, unknown>)[k] === (es as Record<string, unknown>)[k]);
    expect(same, 'untranslated').to.deep.equal(['reps.unit', 'chat.title']);
    expect(translate('es', 'reps.of', { target: 15 })).to.equal('reps de 15');
  });

  it('the element follows its own lang, then an ancestor’s, then the page’s; other languages fall back to English', async () => {
    const own = add<FitClassRoom>('<fit-class-room lang="es" class-id="x" token="t"></fit-class-room>');
    await own.updateComplete;
    expect(byTestId(own, 'join-button')!.textContent!.trim()).to.equal('Unirme a la clase');
    expect(own.shadowRoot!.querySelector('.level-pick')!.textContent).to.contain('Tu nivel').and.contain('Principiante');

    const inherited = add<FitClassRoom>('<section lang="es-MX"><fit-class-room class-id="x" token="t"></fit-class-room></section>');
    await inherited.updateComplete;
    expect(byTestId(inherited, 'join-button')!.textContent!.trim()).to.equal('Unirme a la clase');

    document.documentElement.lang = 'de';
    const fallback = add<FitClassRoom>('<fit-class-room class-id="x" token="t"></fit-class-room>');
    await fallback.updateComplete;
    expect(byTestId(fallback, 'join-button')!.textContent!.trim()).to.equal('Join class');
  });

  it('changing the page’s lang re-renders the elements in place', async () => {
    document.documentElement.lang = 'en';
    const room = add<FitClassRoom>('<fit-class-room class-id="x" token="t"></fit-class-room>');
    await room.updateComplete;
    expect(byTestId(room, 'connection-state')!.textContent).to.equal('disconnected');
    document.documentElement.lang = 'es';
    await until(() => byTestId(room, 'connection-state')!.textContent === 'desconectado', 2000, 'Spanish connection state');
    expect(byTestId(room, 'join-button')!.textContent!.trim()).to.equal('Unirme a la clase');
  });

  it('a rep counter inside a Spanish room speaks Spanish (lang is read across shadow roots)', async () => {
    const counter = add<FitRepCounter>('<div lang="es"><fit-rep-counter></fit-rep-counter></div>');
    await counter.updateComplete;
    const button = byTestId(counter, 'rep-button')!;
    expect(button.getAttribute('aria-label')).to.equal('0 reps: toca para contar una repetición');
    const room = add<FitClassRoom>('<fit-class-room lang="es" class-id="x" token="t"></fit-class-room>');
    await room.updateComplete;
    const inner = document.createElement('span');
    room.shadowRoot!.append(inner);
    expect(localeOf(inner)).to.equal('es');
  });

  it('a Spanish class room: the live room, its chat and leave button in Spanish', async () => {
    const room = add<FitClassRoom>('<fit-class-room lang="es"></fit-class-room>');
    room.attachRoom(liveRoom('member'));
    await room.updateComplete;
    expect(byTestId(room, 'leave-button')!.textContent!.trim()).to.equal('Salir');
    expect(byTestId(room, 'connection-state')!.textContent).to.equal('conectado');
    expect(byTestId(room, 'chat-input')!.getAttribute('aria-label')).to.equal('Mensaje para la clase');
    expect(byTestId(room, 'chat-send')!.textContent!.trim()).to.equal('Enviar');
    expect(byTestId(room, 'chat')!.getAttribute('aria-label')).to.equal('Chat de la clase');
    expect(byTestId(room, 'hand-toggle')!.textContent).to.contain('Levantar la mano');
    expect(byTestId(room, 'seats')!.textContent).to.equal('4 / 20 en clase');
    expect(byTestId(room, 'timer')!.textContent).to.contain('ronda 1/4');
    expect(byTestId(room, 'exercise-card')!.textContent).to.contain('Intermedio').and.contain('15 repeticiones');
    expect(byTestId(room, 'audio-only-toggle')!.textContent!.trim()).to.equal('Solo audio');
  });

  it('the coach’s controls in Spanish, the same controls in English by default', async () => {
    const es = add<FitClassRoom>('<fit-class-room lang="es"></fit-class-room>');
    es.attachRoom(liveRoom('coach'));
    const en = add<FitClassRoom>('<fit-class-room></fit-class-room>');
    en.attachRoom(liveRoom('coach'));
    await Promise.all([es.updateComplete, en.updateComplete]);
    expect(byTestId(es, 'mode-workout')!.textContent!.trim()).to.equal('Entreno');
    expect(byTestId(es, 'end-class')!.textContent!.trim()).to.equal('Terminar clase');
    expect(byTestId(es, 'tile-level')!.getAttribute('aria-label')).to.match(/^Nivel de /);
    expect(byTestId(en, 'mode-workout')!.textContent!.trim()).to.equal('Workout');
    expect(byTestId(en, 'end-class')!.textContent!.trim()).to.equal('End class');
  });
  it('the board and files panels in Spanish: headings, toggles, the board’s tools and a refusal', async () => {
    const room = add<FitClassRoom>('<fit-class-room lang="es"></fit-class-room>');
    const mock = liveRoom('coach');
    room.attachRoom(mock);
    await room.updateComplete;
    const board = byTestId(room, 'board')!;
    expect(board.querySelector('h3')!.textContent).to.equal('Pizarra');
    if (board.dataset.open === 'false') {
      expect(byTestId(room, 'board-toggle')!.textContent!.trim()).to.equal('Abrir la pizarra');
      byTestId(room, 'board-toggle')!.click();
      await room.updateComplete;
    }
    expect(byTestId(room, 'board-toggle')!.textContent!.trim()).to.equal('Ocultar');
    const fitBoard = room.shadowRoot!.querySelector<FitBoard>('fit-board')!;
    await fitBoard.updateComplete;
    const inBoard = (id: string) => fitBoard.shadowRoot!.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
    expect(inBoard('board-canvas').getAttribute('aria-label')).to.equal('Pizarra vacía');
    expect(inBoard('board-tools').getAttribute('aria-label')).to.equal('Herramientas de la pizarra');
    expect(inBoard('board-tool-pen').textContent).to.contain('Lápiz');
    expect(inBoard('board-undo').textContent).to.contain('Deshacer');
    expect(inBoard('board-clear').textContent!.trim()).to.equal('Borrar…');
    expect([...fitBoard.shadowRoot!.querySelectorAll('[data-testid="board-color"]')].map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Negro', 'Rojo', 'Azul', 'Verde', 'Naranja']);
    expect([...inBoard('board-width').querySelectorAll('option')].map((o) => o.textContent)).to.deep.equal(['Fino', 'Medio', 'Grueso']);
    inBoard('board-tool-text').click();
    await fitBoard.updateComplete;
    expect(inBoard('board-text-input').getAttribute('placeholder')).to.equal('Escribe y toca la pizarra o pulsa Intro');
    expect(inBoard('board-text-add').textContent!.trim()).to.equal('Añadir texto');

    const files = byTestId(room, 'files')!;
    expect(files.querySelector('h3')!.textContent).to.equal('Archivos');
    expect(byTestId(room, 'file-share')!.textContent).to.contain('Compartir un archivo');
    expect(byTestId(room, 'file-input')!.getAttribute('aria-label')).to.equal('Compartir un archivo con la clase (PDF, PNG, JPEG o WebP)');
    expect(byTestId(room, 'files-empty')!.textContent).to.equal('Comparte con la clase un PDF del entrenamiento o una imagen.');
    mock.files.check({ name: 'x.gif', size: 10, type: 'image/gif' });
    await until(() => byTestId(room, 'file-notice'), 2000, 'the refusal');
    expect(byTestId(room, 'file-notice')!.textContent).to.equal('Comparte un PDF o una imagen (PNG, JPEG o WebP).');
    mock.files.check({ name: 'huge.pdf', size: 11 * 1024 * 1024, type: 'application/pdf' });
    await until(() => byTestId(room, 'file-notice')?.dataset.code === 'payload_too_large', 2000, 'too large');
    expect(byTestId(room, 'file-notice')!.textContent).to.equal('huge.pdf ocupa 11 MB: los archivos pueden ocupar hasta 10 MB.');
  });

  it('the same panels keep their English words by default', async () => {
    const room = add<FitClassRoom>('<fit-class-room></fit-class-room>');
    const mock = liveRoom('coach');
    room.attachRoom(mock);
    await room.updateComplete;
    expect(byTestId(room, 'board')!.querySelector('h3')!.textContent).to.equal('Board');
    expect(byTestId(room, 'files-empty')!.textContent).to.equal('Share a workout PDF or an image with the class.');
    mock.files.check({ name: 'huge.pdf', size: 11 * 1024 * 1024, type: 'application/pdf' });
    await until(() => byTestId(room, 'file-notice'), 2000, 'too large');
    expect(byTestId(room, 'file-notice')!.textContent).to.equal('huge.pdf is 11 MB: files can be up to 10 MB.');
    expect(allByTestId(room, 'reaction').map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Applause', 'Strong', 'On fire', 'Love it', 'Celebrate', 'Phew']);
  });

  it('reaction buttons, the raised hands and the quality badges in Spanish', async () => {
    const room = add<FitClassRoom>('<fit-class-room lang="es"></fit-class-room>');
    room.attachRoom(liveRoom('coach', { reportedQuality: { p_ana: { level: 'fair', rttMs: 320, lossPct: 3, audioOnly: false } } }));
    await room.updateComplete;
    const reactions = allByTestId(room, 'reaction');
    expect(reactions.map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Aplausos', 'Fuerza', 'A tope', 'Me encanta', 'Celebrar', 'Uf']);
    expect(reactions[0]!.getAttribute('title')).to.equal('Aplausos');
    expect(byTestId(room, 'hand-queue')!.querySelector('h4')!.textContent).to.contain('Manos levantadas (1)');
    const ana = room.shadowRoot!.querySelector('[data-testid="participant-tile"][data-participant-id="p_ana"]')!;
    const badge = ana.querySelector('[data-testid="quality-badge"]')!;
    expect(badge.getAttribute('aria-label')).to.equal('Ana: conexión regular: 320 ms de ida y vuelta, 3 % de pérdida');
  });

  it('the player in Spanish: a recording’s labels, its seek bar and announcements; an error', async function () {
    this.timeout(30_000);
    const player = add<FitLiveStream>(`<fit-live-stream lang="es" engine="hls" server="${standInUrl}" recording-id="r_demo" token="viewer-token"></fit-live-stream>`);
    await until(() => player.state === 'recording', 20_000, 'recording');
    await player.updateComplete;
    expect(player.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-label')).to.equal('Grabación: Stand-in recording');
    expect(byTestId(player, 'big-play')!.textContent!.trim()).to.equal('▶ Reproducir');
    expect(byTestId(player, 'announcer')!.textContent).to.equal('Grabación de Stand-in recording, lista para reproducir.');
    const seek = byTestId(player, 'seek')!;
    expect(seek.getAttribute('aria-label')).to.equal('Buscar');
    expect(seek.getAttribute('aria-valuetext')).to.match(/^\d+:\d\d de \d+:\d\d$/);
    expect(byTestId(player, 'play')!.getAttribute('aria-label')).to.equal('Reproducir');
    expect(byTestId(player, 'fullscreen')!.getAttribute('aria-label')).to.equal('Pantalla completa');

    const missing = add<FitLiveStream>(`<fit-live-stream lang="es" server="${standInUrl}" stream-id="nope" token="viewer-token"></fit-live-stream>`);
    await until(() => missing.state === 'error', 10_000, 'error');
    await missing.updateComplete;
    expect(byTestId(missing, 'error-message')!.textContent).to.equal('Esta emisión no existe (o se ha eliminado).');
    expect(byTestId(missing, 'retry')!.textContent!.trim()).to.equal('Reintentar');
    expect(byTestId(missing, 'announcer')!.textContent).to.equal('Esta emisión no existe (o se ha eliminado).');
  });
});
