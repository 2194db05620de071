// Storybook for partners and site owners: every element in every state, driven by mock models
// (no backend). `npm run storybook` serves it, `npm run build-storybook` writes storybook-static/;
// both work offline. The stories also run as tests (test/stories/stories.test.ts).
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Autodocs for every element, from custom-elements.json (see preview.ts).
  docs: { defaultName: 'Docs' },
};
export default config;
