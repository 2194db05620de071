import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-flags.mjs';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Debian chromium not found at ${CHROMIUM_PATH}: run scripts/install-system-deps.sh --test`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    // Playwright makes its own temporary profile; keep its downloads dir on our tmp too.
    downloadsPath: fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-chromium-')),
  });
}
