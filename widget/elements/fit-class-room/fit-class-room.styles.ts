import { css } from 'lit';

export const styles = css`
  :host {
    --_accent: var(--fit-accent, #ff5a1f);
    --_bg: var(--fit-bg, #111418);
    --_fg: var(--fit-fg, #f4f5f7);
    --_muted: var(--fit-muted, #9aa3ad);
    --_tile-bg: var(--fit-tile-bg, #1d2229);
    --_radius: var(--fit-radius, 12px);
    --_danger: var(--fit-danger, #ff6b6b);
    display: block;
    container-type: inline-size;
    font-family: var(--fit-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_fg);
    background: var(--_bg);
    border-radius: var(--_radius);
    overflow: hidden;
    min-height: 320px;
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  .room {
    display: flex;
    flex-direction: column;
    gap: 12px;
    padding: 12px;
    height: 100%;
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
  }
  .title {
    font-weight: 650;
    font-size: 1.05rem;
  }
  .connection {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 0.8rem;
    color: var(--_muted);
    text-transform: capitalize;
  }
  .connection::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_muted);
  }
  .connection[data-state='connected']::before {
    background: #3ddc84;
  }
  .connection[data-state='connecting']::before,
  .connection[data-state='reconnecting']::before {
    background: #ffc83d;
  }
  .message {
    margin: 0;
    padding: 10px 12px;
    border-radius: calc(var(--_radius) / 2);
    background: color-mix(in srgb, var(--_danger) 18%, transparent);
    border: 1px solid color-mix(in srgb, var(--_danger) 60%, transparent);
    font-size: 0.9rem;
  }
  .message.notice {
    background: color-mix(in srgb, #ffc83d 14%, transparent);
    border-color: color-mix(in srgb, #ffc83d 50%, transparent);
  }
  .lobby {
    display: grid;
    place-items: center;
    gap: 12px;
    padding: 32px 12px;
    text-align: center;
    color: var(--_muted);
  }
  button {
    font: inherit;
    font-weight: 600;
    border: 0;
    border-radius: 999px;
    padding: 12px 28px;
    min-height: 44px;
    cursor: pointer;
    color: #fff;
    background: var(--_accent);
  }
  button:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--_accent) 50%, white);
    outline-offset: 2px;
  }
  button.leave {
    background: var(--_tile-bg);
    border: 1px solid var(--_danger);
    color: var(--_danger);
    padding: 8px 20px;
  }
  .stage {
    position: relative;
    border-radius: var(--_radius);
    overflow: hidden;
    background: var(--_tile-bg);
    aspect-ratio: 16 / 9;
    display: grid;
    place-items: center;
  }
  video {
    width: 100%;
    height: 100%;
    object-fit: cover;
    display: block;
    background: #000;
  }
  .stage > video {
    object-fit: contain;
  }
  .self {
    position: absolute;
    right: 10px;
    bottom: 10px;
    width: clamp(96px, 24%, 220px);
    aspect-ratio: 16 / 9;
    border-radius: calc(var(--_radius) / 1.5);
    overflow: hidden;
    border: 2px solid rgb(255 255 255 / 0.6);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.4);
  }
  .self video {
    transform: scaleX(-1);
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--fit-tile-min-width, 200px), 1fr));
    gap: 8px;
  }
  .stage .grid {
    position: absolute;
    inset: 0;
    padding: 8px;
    align-content: start;
    overflow: auto;
  }
  figure {
    position: relative;
    margin: 0;
    aspect-ratio: 16 / 9;
    border-radius: calc(var(--_radius) / 1.5);
    overflow: hidden;
    background: var(--_tile-bg);
    display: grid;
    place-items: center;
  }
  figcaption {
    position: absolute;
    left: 6px;
    bottom: 6px;
    padding: 2px 8px;
    border-radius: 999px;
    font-size: 0.75rem;
    background: rgb(0 0 0 / 0.55);
  }
  .avatar {
    width: 56px;
    height: 56px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    font-weight: 700;
    background: color-mix(in srgb, var(--_accent) 35%, var(--_tile-bg));
  }
  .waiting {
    color: var(--_muted);
    padding: 16px;
    text-align: center;
  }
  footer {
    display: flex;
    justify-content: center;
    gap: 8px;
  }
  @container (max-width: 480px) {
    .room {
      padding: 8px;
      gap: 8px;
    }
    .self {
      width: 30%;
    }
  }
`;
