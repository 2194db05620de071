import { css } from 'lit';

/**
 * Light and dark, out of the box. Elements are dark by default (video looks best on dark);
 * `theme="light"` switches to light, `theme="auto"` follows the visitor's system setting. The
 * page's own `--fit-*` values always win: they are the first choice of every `var()` here.
 */
const light = css`
  /* The accent as text on white needs to be darker than as a fill (the default orange is 3:1). */
  --_accent-text: var(--fit-accent-text, color-mix(in srgb, var(--_accent) 72%, black));
  --_bg: var(--fit-bg, #ffffff);
  --_fg: var(--fit-fg, #14181d);
  --_muted: var(--fit-muted, #5b6570);
  --_tile-bg: var(--fit-tile-bg, #e8ebef);
  --_danger: var(--fit-danger, #b42318);
  color-scheme: light;
`;

export const themeStyles = css`
  :host {
    color-scheme: dark;
    /* Text on the accent colour: dark on the default orange reads at 7:1 (white would not pass). */
    --_on-accent: var(--fit-on-accent, #14181d);
    --_accent-text: var(--fit-accent-text, var(--_accent));
  }
  :host([theme='light']) {
    ${light}
  }
  @media (prefers-color-scheme: light) {
    :host([theme='auto']) {
      ${light}
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :host *,
    :host *::before,
    :host *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
      scroll-behavior: auto !important;
    }
  }
`;
