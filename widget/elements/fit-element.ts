import { LitElement } from 'lit';
import type { FitEventMap } from '../events/index.js';

/** Base of every FitLive element: typed `fit-*` events that cross shadow roots. */
export class FitElement extends LitElement {
  emit<K extends keyof FitEventMap>(name: K, detail: FitEventMap[K]['detail']): boolean {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: false }));
  }
}


/**
 * Defines a tag once. A second copy of the script (two plugins on one WordPress page) must not
 * throw: it warns and keeps the first definition.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, ctor);
  else if (existing !== ctor) console.warn(`[fitlive] <${tag}> is already defined by another copy of fitlive.js; keeping the first.`);
}
