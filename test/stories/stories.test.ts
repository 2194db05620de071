// Every Storybook story as a test, in Debian's Chromium: Storybook is built offline into a
// temporary folder, served on loopback, and each story is opened on its own. A story passes when
// it renders its element without a page error and axe-core finds nothing serious or critical in
// it (shadow roots included). Stories tagged `needs-backend` (a real stream, a real recording)
// are listed and skipped: they need a FitLive server this test does not start.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { buildStorybook, serveFolder } from '../support/static-server.js';

const root = path.resolve(import.meta.dirname, '../..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-storybook-'));
let server: { url: string; close(): void };
let base: string;
let browser: Browser;

before(async () => {
  buildStorybook(root, out);
  server = await serveFolder(out);
  base = server.url;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  fs.rmSync(out, { recursive: true, force: true });
});

interface Entry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
  tags?: string[];
}

test('every story renders without errors and axe finds nothing serious', { timeout: 600_000 }, async () => {
  const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8')) as { entries: Record<string, Entry> };
  const stories = Object.values(index.entries).filter((e) => e.type === 'story');
  assert.ok(stories.length >= 20, `only ${stories.length} stories`);
  const axeSource = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
  const failures: string[] = [];
  const rows: string[] = [];
  for (const story of stories) {
    if (story.tags?.includes('needs-backend')) {
      rows.push(`${story.id.padEnd(52)} skipped (needs a backend)`);
      continue;
    }
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${base}/iframe.html?id=${story.id}&viewMode=story`, { waitUntil: 'load' });
      // Rendered: a FitLive element with its shadow root filled.
      await page.waitForFunction(() => [...document.querySelectorAll('#storybook-root *')].some((el) => el.tagName.startsWith('FIT-') && (el.shadowRoot?.childElementCount ?? 0) > 0), undefined, { timeout: 10_000 });
      await page.waitForTimeout(300);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: Element, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }> } }).axe;
        const r = await axe.run(document.querySelector('#storybook-root')!, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: JSON.stringify(v.nodes.map((n) => n.target)), why: (v.nodes[0] as unknown as { failureSummary?: string })?.failureSummary }));
      });
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      // The live player's story really plays (an HLS test pattern): its picture moves.
      if (story.id.endsWith('fit-live-stream--live')) {
        const playing = `(() => { const v = document.querySelector('fit-live-stream').shadowRoot.querySelector('video'); return !!v && v.currentTime > 1 && v.videoWidth > 0; })()`;
        const t0 = Date.now();
        while (!(await page.evaluate(playing)) && Date.now() - t0 < 15_000) await page.waitForTimeout(250);
        if (!(await page.evaluate(playing))) failures.push(`${story.id}: the live picture did not play`);
      }
      // Keyboard: Tab through the story; every control must be reached and show where focus is.
      const keyboard = await keyboardWalk(page);
      for (const c of keyboard.unreached) failures.push(`${story.id}: not reachable by Tab: ${c}`);
      for (const c of keyboard.invisible) failures.push(`${story.id}: no visible focus on ${c}`);
      if (process.env.STORIES_DEBUG) for (const v of serious) console.log(story.id, v);
      rows.push(`${story.id.padEnd(52)} ${errors.length ? `errors: ${errors.length}` : 'ok'}  tab stops: ${keyboard.stops}  axe: ${violations.length ? violations.map((v) => `${v.id}(${v.impact}×${v.nodes})`).join(' ') : 'clean'}`);
      for (const e of errors) failures.push(`${story.id}: page error: ${e}`);
      for (const v of serious) failures.push(`${story.id}: axe ${v.impact} ${v.id} ×${v.nodes} e.g. ${v.target}`);
    } catch (err) {
      failures.push(`${story.id}: did not render (${(err as Error).message.split('\n')[0]})`);
    } finally {
      await page.close();
    }
  }
  console.log(`stories (${stories.length}):\n  ${rows.join('\n  ')}`);
  assert.deepEqual(failures, []);
});

/** A control's short description for a failure message. */
type WalkResult = { stops: number; unreached: string[]; invisible: string[] };

/**
 * Presses Tab until focus comes round (or leaves the story), noting every element focused
 * (through shadow roots) and whether it shows focus (an outline or a box shadow); then lists the
 * enabled, visible controls in the story that Tab never reached.
 */
async function keyboardWalk(page: import('playwright-core').Page): Promise<WalkResult> {
  // Page code as source text: tsx would wrap named functions in helpers the page lacks.
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  const seen: string[] = [];
  const invisible: string[] = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const at = (await page.evaluate(FOCUSED)) as { id: string; shows: boolean; name: string } | null;
    if (!at) {
      if (seen.length) break;
      continue;
    }
    if (seen.includes(at.id)) break;
    seen.push(at.id);
    if (!at.shows) invisible.push(at.name);
  }
  const unreached = (await page.evaluate(`(${UNREACHED})(${JSON.stringify(seen)})`)) as string[];
  return { stops: seen.length, unreached, invisible };
}

const DESCRIBE = `(el) => el.tagName.toLowerCase() + (el.dataset && el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '') + (el.getAttribute('aria-label') ? '[aria-label="' + el.getAttribute('aria-label') + '"]' : '')`;

/** The element focus is on (through shadow roots), if inside the story: id, whether focus shows, a name. */
const FOCUSED = `(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  let host = el;
  while (host.getRootNode() instanceof ShadowRoot) host = host.getRootNode().host;
  if (!document.querySelector('#storybook-root').contains(host)) return null;
  if (!el.dataset.fitWalk) el.dataset.fitWalk = String(Math.random()).slice(2);
  const style = getComputedStyle(el);
  const shows = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  return { id: el.dataset.fitWalk, shows, name: (${DESCRIBE})(el) };
})()`;

/** Enabled, visible controls in the story that were not reached. */
const UNREACHED = `(reached) => {
  const out = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      if (!el.matches('button, select, input:not([type=hidden]), textarea, a[href], [tabindex]:not([tabindex="-1"])')) continue;
      if (el.disabled || el.closest('[inert]')) continue;
      const box = el.getBoundingClientRect();
      if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
      if (!reached.includes(el.dataset.fitWalk || '')) out.push((${DESCRIBE})(el));
    }
  };
  visit(document.querySelector('#storybook-root'));
  return out;
}`;
