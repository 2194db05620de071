import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, type Catalog, type MessageKey } from './en.js';

/**
 * The one localisation layer of the widget. Every element asks it for its texts; the language is
 * the element's own `lang`, else the nearest ancestor's (across shadow roots), else the page's,
 * else the browser's. English and Spanish ship; other languages fall back to English.
 *
 * English is in the bundle; another language's catalog is its own chunk, loaded the first time an
 * element resolves to it (English shows until it arrives, then the elements re-render).
 *
 * A small layer of our own rather than @lit/localize: that sets one locale for the whole page,
 * and a club page may show a Spanish class next to an English one.
 */
export type Locale = 'en' | 'es';
/** The catalogs loaded so far. */
const CATALOGS: Partial<Record<Locale, Catalog>> = { en };
/** Each other language as a lazy chunk (es.ts is typed against en.ts, so a missing key fails tsc). */
const LOADERS: Record<Exclude<Locale, 'en'>, () => Promise<Catalog>> = {
  es: () => import('./es.js').then((m) => m.es),
};
const loading = new Map<Locale, Promise<void>>();

/** Whether a language's texts are in (English always is). */
export function hasLocale(locale: Locale): boolean {
  return !!CATALOGS[locale];
}

/**
 * Loads a language's catalog, once; the elements waiting for it re-render when it arrives. A
 * failed load (offline) leaves English and is tried again by the next element that needs it.
 */
export function loadLocale(locale: Locale): Promise<void> {
  if (locale === 'en' || CATALOGS[locale]) return Promise.resolve();
  let p = loading.get(locale);
  if (!p) {
    p = LOADERS[locale]().then(
      (catalog) => {
        CATALOGS[locale] = catalog;
        loading.delete(locale);
        for (const h of hosts) if (h.locale === locale) h.host.requestUpdate();
      },
      (err: unknown) => {
        loading.delete(locale);
        throw err;
      },
    );
    loading.set(locale, p);
  }
  return p;
}

type Params<K extends MessageKey> = (typeof en)[K] extends (p: infer P) => string ? [P] : [];

/** The language for an element, from `lang` attributes up the tree (and out of shadow roots). */
export function localeOf(el: Element): Locale {
  for (let node: Node | null = el; node; ) {
    if (node instanceof Element && node.hasAttribute('lang')) return pick(node.getAttribute('lang'));
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return pick(globalThis.navigator?.language);
}

function pick(tag: string | null | undefined): Locale {
  const base = (tag ?? '').toLowerCase().split('-')[0];
  return base === 'es' ? 'es' : 'en';
}

/** A text in a locale (in English while that locale's catalog is still loading). */
export function translate<K extends MessageKey>(locale: Locale, key: K, ...params: Params<K>): string {
  const entry = (CATALOGS[locale] ?? en)[key] as string | ((p: unknown) => string);
  return typeof entry === 'function' ? entry(params[0]) : entry;
}

/** The message for an error code in a locale, if the catalog has one. */
export function errorText(locale: Locale, code: string): string | undefined {
  const key = `error.${code}`;
  return Object.hasOwn(en, key) ? ((CATALOGS[locale] ?? en)[key as MessageKey] as string) : undefined;
}

// One observer for the page: any `lang` change re-renders the elements (rare, so cheap).
const hosts = new Set<LocaleController>();
let observer: MutationObserver | undefined;
function watch(): void {
  if (observer || typeof MutationObserver === 'undefined') return;
  observer = new MutationObserver(() => {
    for (const h of hosts) h.refresh();
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/** Gives an element `t()` in its language and re-renders it when the language changes. */
export class LocaleController implements ReactiveController {
  locale: Locale = 'en';

  constructor(readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    this.locale = localeOf(this.host);
    hosts.add(this);
    watch();
    this.load();
  }

  hostDisconnected(): void {
    hosts.delete(this);
  }

  refresh(): void {
    const next = localeOf(this.host);
    if (next === this.locale) return;
    this.locale = next;
    this.host.requestUpdate();
    this.load();
  }

  /** The language the texts are in now: `locale`, or English while its catalog loads. */
  get shown(): Locale {
    return hasLocale(this.locale) ? this.locale : 'en';
  }

  private load(): void {
    if (!hasLocale(this.locale)) void loadLocale(this.locale).catch(() => undefined);
  }

  /** A text in the element's language (an arrow: templates outside the element get it as is). */
  readonly t = <K extends MessageKey>(key: K, ...params: Params<K>): string => translate(this.locale, key, ...params);

  /**
   * The visitor's text for an error. In English, the element's own wording (`english`) or the
   * message as it came (often more precise: it may name the server or the device); in another
   * language, the translation for its stable code when there is one.
   */
  readonly error = (err: { code: string; message: string }, english?: string): string => {
    const locale = this.shown;
    if (locale === 'en') return english ?? err.message;
    return errorText(locale, err.code) ?? english ?? err.message;
  };
}

/** What a template outside an element needs to speak the element's language. */
export type Texts = Pick<LocaleController, 't' | 'error'>;

/** English texts for templates rendered without an element (stories, tests). */
export const englishTexts: Texts = { t: (key, ...params) => translate('en', key, ...params), error: (err, english) => english ?? err.message };
