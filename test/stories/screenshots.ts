// npm run screenshots — pictures of the themed elements for the docs (docs/screenshots/*.jpg),
// taken from the built Storybook in Debian's Chromium. Run by hand when the look changes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../support/chromium.js';
import { buildStorybook, serveFolder } from '../support/static-server.js';

const SHOTS: Array<[id: string, file: string, width: number]> = [
  ['elements-fit-class-room--live-member', 'class-room-dark', 1000],
  ['elements-fit-class-room--live-light', 'class-room-light', 1000],
  ['elements-fit-class-room--live-coach', 'class-room-coach', 1000],
  ['elements-fit-class-room--themed', 'class-room-themed-lobby', 720],
  ['elements-fit-class-room--live-narrow', 'class-room-360px', 400],
  ['elements-fit-class-room--class-full', 'class-room-full', 720],
  ['elements-fit-rep-counter--themed', 'rep-counter-themed', 320],
  ['elements-fit-live-stream--themed', 'live-stream-themed', 760],
];

const root = path.resolve(import.meta.dirname, '../..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-storybook-'));
const dest = path.join(root, 'docs', 'screenshots');
fs.mkdirSync(dest, { recursive: true });
buildStorybook(root, out);
const server = await serveFolder(out);
const browser = await launchChromium();
try {
  for (const [id, file, width] of SHOTS) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${server.url}/iframe.html?id=${id}&viewMode=story`);
    await page.waitForFunction(() => [...document.querySelectorAll('#storybook-root *')].some((el) => el.tagName.startsWith('FIT-') && (el.shadowRoot?.childElementCount ?? 0) > 0));
    await page.waitForTimeout(800); // canvases draw, video frames arrive
    await page.locator('#storybook-root').screenshot({ path: path.join(dest, `${file}.jpg`), type: 'jpeg', quality: 70 });
    await page.close();
    console.log(`docs/screenshots/${file}.jpg`);
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(out, { recursive: true, force: true });
}
