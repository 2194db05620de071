import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../backend/main.js';
import { startBackend } from './backend.js';
import { launchChromium } from './chromium.js';

/** The real backend and Debian chromium for one e2e file, started before its tests, stopped after. */
export interface LiveStack {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** The demo site's base URL (127.0.0.1: a secure context for the camera). */
  readonly base: string;
  /** Opens a demo class page in a fresh browser profile and joins, as a person would. */
  joinDemoClass(role: 'coach' | 'member', name: string, opts?: { level?: string; classId?: string }): Promise<Page>;
}

/** `env` may be a function, for settings known only once something else has started (a TURN server). */
export function useLiveStack(env: Record<string, string> | (() => Promise<Record<string, string>>) = {}, opts: { chromiumArgs?: string[] } = {}): LiveStack {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    server = await startBackend(typeof env === 'function' ? await env() : env);
    browser = await launchChromium(opts.chromiumArgs);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  const stack: LiveStack = {
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
    get base() {
      return server.url.replace('localhost', '127.0.0.1');
    },
    joinDemoClass(role, name, opts = {}) {
      return openDemoClass(browser, stack.base, role, name, opts);
    },
  };
  return stack;
}

/** Opens a demo class page (`base`: the demo site) in a fresh browser profile and joins, as a person would. */
export async function openDemoClass(browser: Browser, base: string, role: 'coach' | 'member', name: string, opts: { level?: string; classId?: string } = {}): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  // Tests may read the page's peer connections (getStats: candidate types, bitrates).
  await page.addInitScript(`{
    const Native = window.RTCPeerConnection;
    window.__fitPeerConnections = [];
    window.RTCPeerConnection = class extends Native {
      constructor(...args) { super(...args); window.__fitPeerConnections.push(this); }
    };
  }`);
  page.on('pageerror', (err) => console.error(`[${name}] page error:`, err.message));
  page.on('console', (msg) => {
    // (Refused connections are the widget retrying while a test has the backend down.)
    if ((msg.type() === 'warning' || msg.type() === 'error') && !msg.text().includes('ERR_CONNECTION_REFUSED')) console.error(`[${name}] console ${msg.type()}:`, msg.text());
  });
  await page.goto(`${base}/${role}.html?class=${opts.classId ?? 'demo-hiit'}&name=${encodeURIComponent(name)}`);
  await page.locator('fit-class-room[data-token-ready]').waitFor({ state: 'attached' });
  if (opts.level) await page.getByTestId('level-select').selectOption(opts.level);
  await page.getByTestId('join-button').click();
  await page.waitForFunction(() => (document.querySelector('fit-class-room') as { room?: { state: { phase: string } } } | null)?.room?.state.phase === 'joined');
  return page;
}
