// @ts-expect-error served by the test runner's backend plugin (web-test-runner.config.mjs)
import { backendUrl as url } from '/__fitlive/backend.js';
import type { FitClassRoom, FitRepCounter } from '../../widget/index.js';

export const backendUrl: string = url;

export async function token(role: 'coach' | 'member', name: string): Promise<string> {
  const res = await fetch(`/__fitlive/token?${new URLSearchParams({ classId: 'demo-hiit', role, name })}`);
  const body = (await res.json()) as { token: string };
  return body.token;
}

/** Adds a <fit-rep-counter> with these attributes and waits for its first render. */
export async function mountCounter(attrs: Record<string, string>): Promise<FitRepCounter> {
  const el = document.createElement('fit-rep-counter');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** Adds a <fit-class-room> to the page and waits for its first render. */
export async function mount(attrs: Record<string, string> = {}): Promise<FitClassRoom> {
  const el = document.createElement('fit-class-room');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

export const byTestId = (el: Element, id: string) => el.shadowRoot!.querySelector<HTMLElement>(`[data-testid="${id}"]`);
export const allByTestId = (el: Element, id: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

export async function until<T>(fn: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const t0 = performance.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function nextEvent<T = unknown>(el: EventTarget, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => el.addEventListener(type, (e) => resolve(e as CustomEvent<T>), { once: true }));
}
