import { expect } from '@esm-bundle/chai';
import '../../widget/index.js';
import type { FitClassRoom, FitRepCounter } from '../../widget/index.js';
import { en } from '../../widget/i18n/en.js';
import { es } from '../../widget/i18n/es.js';
import { localeOf, translate } from '../../widget/i18n/locale.js';
import { liveRoom } from '../../stories/mock-room.js';
import { byTestId, until } from './helpers.js';

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

describe('i18n', () => {
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
});
