// Storybook for partners and site owners: every element in every state, driven by mock models
// (no backend). `npm run storybook` serves it, `npm run build-storybook` writes storybook-static/;
// both work offline. The stories also run as tests (test/stories/stories.test.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * The live player's story plays a short HLS test pattern (FFmpeg's testsrc2 and a tone: made
 * here, nothing downloaded or committed). Without FFmpeg the story shows the player's error.
 */
function storyHls(): string {
  const dir = path.resolve('node_modules/.cache/fitlive-story-hls');
  if (fs.existsSync(path.join(dir, 'live.m3u8'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=25',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', '30', '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '300k', '-g', '50', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '64k', '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod',
      path.join(dir, 'live.m3u8'),
    ]);
  } catch (err) {
    console.warn(`fitlive stories: no HLS test stream (${(err as Error).message.split('\n')[0]})`);
  }
  return dir;
}

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  staticDirs: [{ from: path.relative(path.resolve('.storybook'), storyHls()), to: '/story-hls' }],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Autodocs for every element, from custom-elements.json (see preview.ts).
  docs: { defaultName: 'Docs' },
};
export default config;
