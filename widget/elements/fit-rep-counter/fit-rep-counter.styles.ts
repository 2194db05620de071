import { css } from 'lit';

export const styles = css`
  :host {
    --_accent: var(--fit-accent, #ff5a1f);
    --_fg: var(--fit-fg, #f4f5f7);
    --_muted: var(--fit-muted, #9aa3ad);
    display: inline-block;
    font-family: var(--fit-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_fg);
  }
  .tap {
    width: var(--fit-rep-size, 140px);
    height: var(--fit-rep-size, 140px);
    border-radius: 50%;
    border: 0;
    cursor: pointer;
    display: grid;
    place-content: center;
    gap: 2px;
    color: var(--_on-accent);
    background: radial-gradient(circle at 35% 30%, color-mix(in srgb, var(--_accent) 70%, white), var(--_accent));
    box-shadow: 0 6px 20px color-mix(in srgb, var(--_accent) 40%, transparent);
    font: inherit;
    touch-action: manipulation;
    user-select: none;
    transition: transform 80ms ease-out;
  }
  button.tap:active {
    transform: scale(0.95);
  }
  button:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--_accent) 50%, white);
    outline-offset: 3px;
  }
  button:disabled {
    cursor: default;
    opacity: 0.5;
  }
  .count {
    font-size: 2.6rem;
    font-weight: 800;
    line-height: 1;
    font-variant-numeric: tabular-nums;
  }
  .label {
    font-size: 0.8rem;
    opacity: 0.9;
  }
  .message {
    max-width: 240px;
    font-size: 0.8rem;
    color: var(--fit-danger, #ff6b6b);
  }
  .pending {
    opacity: 0.75;
  }

  .camera {
    max-width: max(240px, var(--fit-rep-size, 140px));
    margin-top: 8px;
    font-size: 0.8rem;
    display: grid;
    gap: 4px;
  }
  .camera p {
    margin: 0;
  }
  .camera .hint {
    font-weight: 650;
  }
  .camera .privacy {
    color: var(--_muted);
  }
  .camera-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .camera-actions button {
    font: inherit;
    font-size: 0.8rem;
    padding: 4px 10px;
    min-height: 32px;
    border-radius: 999px;
    border: 1px solid color-mix(in srgb, var(--_fg) 35%, transparent);
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
`;
