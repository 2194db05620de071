import { css } from 'lit';

/** The Supabase sign-in form (<fit-class-room>'s lobby, <fit-live-stream>'s overlay). */
export const signInStyles = css`
  .sign-in {
    display: flex;
    flex-direction: column;
    gap: 8px;
    width: min(100%, 340px);
  }
  .sign-in p {
    margin: 0;
  }
  .sign-in label {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 0.85rem;
  }
  .sign-in input {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid color-mix(in srgb, var(--_fg) 25%, transparent);
    border-radius: 8px;
    padding: 8px 10px;
  }
  .sign-in-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .sign-in-error {
    color: var(--_danger);
    font-size: 0.85rem;
  }
  .signed-in {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    font-size: 0.85rem;
  }
  .sign-in-overlay .sign-in {
    text-align: left;
    background: rgb(0 0 0 / 0.6);
    padding: 16px;
    border-radius: 12px;
  }
`;
