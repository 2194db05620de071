import { css } from 'lit';

export const styles = css`
  :host {
    --_accent: var(--fit-accent, #ff5a1f);
    --_bg: var(--fit-bg, #000);
    --_fg: var(--fit-fg, #f4f5f7);
    --_radius: var(--fit-radius, 12px);
    --_danger: var(--fit-danger, #ff6b6b);
    --_live: var(--fit-live-color, #e5262c);
    --_bar-bg: var(--fit-controls-bg, linear-gradient(transparent, rgb(0 0 0 / 0.7)));
    --_ratio: var(--fit-stream-aspect-ratio, 16 / 9);
    --_tile-bg: var(--fit-tile-bg, #1d2229);
    --_muted: var(--fit-muted, #9aa3ad);
    display: block;
    position: relative;
    font-family: var(--fit-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_fg);
    background: var(--_bg);
    border-radius: var(--_radius);
    overflow: hidden;
    container-type: inline-size;
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  .base {
    position: relative;
    width: 100%;
    aspect-ratio: var(--_ratio);
    background: var(--_bg);
    outline: none;
  }
  .base:focus-visible {
    box-shadow: inset 0 0 0 3px var(--_accent);
  }
  :host(:fullscreen) .base,
  .base:fullscreen {
    aspect-ratio: auto;
    height: 100%;
  }
  video,
  .poster {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: contain;
    background: transparent;
  }
  .poster {
    object-fit: cover;
  }
  .overlay {
    position: absolute;
    inset: 0;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: 10px;
    padding: 16px;
    text-align: center;
    background: rgb(0 0 0 / 0.45);
  }
  .overlay .headline {
    font-size: 1.25rem;
    font-weight: 650;
  }
  .overlay .sub {
    opacity: 0.85;
    font-size: 0.9rem;
  }
  .overlay.error .headline {
    color: var(--_danger);
  }
  .spinner {
    width: 36px;
    height: 36px;
    border-radius: 50%;
    border: 3px solid rgb(255 255 255 / 0.25);
    border-top-color: var(--_fg);
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }
  button,
  select {
    font: inherit;
    color: inherit;
    background: rgb(255 255 255 / 0.12);
    border: 1px solid rgb(255 255 255 / 0.25);
    border-radius: 999px;
    padding: 6px 12px;
    min-height: 36px;
    cursor: pointer;
  }
  button:hover,
  select:hover {
    background: rgb(255 255 255 / 0.22);
  }
  button:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  select option {
    color: #111;
  }
  .unmute {
    position: absolute;
    top: 12px;
    left: 12px;
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: transparent;
    font-weight: 600;
  }
  .big-play {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: transparent;
    font-weight: 600;
    padding: 10px 20px;
  }
  .controls {
    position: absolute;
    left: 0;
    right: 0;
    bottom: 0;
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 24px 10px 10px;
    background: var(--_bar-bg);
    font-size: 0.85rem;
  }
  .spacer {
    flex: 1;
  }
  .live {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-weight: 700;
    letter-spacing: 0.04em;
  }
  .live::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: rgb(255 255 255 / 0.5);
  }
  .live[data-at-edge]::before {
    background: var(--_live);
    box-shadow: 0 0 6px var(--_live);
  }
  .viewers {
    opacity: 0.9;
    white-space: nowrap;
  }
  .seek {
    flex: 1;
    min-width: 60px;
    height: 24px;
    display: flex;
    align-items: center;
    cursor: pointer;
    touch-action: none;
    border-radius: 4px;
    outline: none;
  }
  .seek:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .seek-track {
    position: relative;
    width: 100%;
    height: 4px;
    border-radius: 2px;
    background: rgb(255 255 255 / 0.25);
  }
  .seek-buffered,
  .seek-fill {
    position: absolute;
    left: 0;
    top: 0;
    bottom: 0;
    border-radius: inherit;
  }
  .seek-buffered {
    background: rgb(255 255 255 / 0.35);
  }
  .seek-fill {
    background: var(--_accent);
  }
  .seek-thumb {
    position: absolute;
    top: 50%;
    width: 12px;
    height: 12px;
    margin: -6px 0 0 -6px;
    border-radius: 50%;
    background: var(--_fg);
  }
  .time {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
    opacity: 0.9;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @container (max-width: 420px) {
    .viewers .label {
      display: none;
    }
    .controls.vod .time {
      font-size: 0.75rem;
    }
  }

  /*
   * The picture and the chat: side by side from 900px (the chat as tall as the picture, its
   * list scrolling), stacked below on anything narrower.
   */
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
  }
  .layout .chat {
    border-radius: 0;
  }
  @container (min-width: 900px) {
    .layout[data-chat='true'][data-chat-open='true'] {
      grid-template-columns: minmax(0, 1fr) var(--fit-chat-width, 320px);
    }
    .layout[data-chat='true'][data-chat-open='true'] .chat {
      /* Fills the row the picture sets, without making it taller. */
      height: 0;
      min-height: 100%;
    }
    .layout[data-chat-open='true'] .chat-body {
      flex: 1;
      min-height: 0;
    }
    .layout[data-chat-open='true'] .chat-list {
      height: auto;
      flex: 1;
      min-height: 0;
    }
  }
  .chip,
  .mini {
    background: rgb(255 255 255 / 0.1);
    border: 1px solid rgb(255 255 255 / 0.25);
    color: var(--_fg);
  }
  .chip {
    padding: 6px 14px;
    font-size: 0.85rem;
  }
  .mini {
    font-size: 0.7rem;
    padding: 2px 8px;
    min-height: 26px;
  }
`;
