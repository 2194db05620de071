import { css } from 'lit';

/**
 * The chat panel of <fit-class-room> and <fit-live-stream>. Uses the host's private variables
 * (--_fg, --_bg, --_muted, --_accent, --_danger, --_tile-bg, --_radius) and its `.mini`/`.chip`
 * buttons.
 */
export const chatStyles = css`
  .chat {
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding: 10px;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_tile-bg);
    min-width: 0;
  }
  .chat-head {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .chat-head h3 {
    margin: 0;
    font-size: 0.95rem;
  }
  .chat-toggle {
    margin-left: auto;
  }
  .unread {
    min-width: 22px;
    padding: 1px 7px;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-size: 0.75rem;
    font-weight: 700;
    text-align: center;
  }
  .chat-body {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .chat-body[hidden] {
    display: none;
  }
  .chat-list {
    list-style: none;
    margin: 0;
    padding: 0 4px 0 0;
    height: var(--fit-chat-height, 320px);
    overflow-y: auto;
    overscroll-behavior: contain;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .chat-list:focus-visible {
    outline: 2px solid color-mix(in srgb, var(--_accent) 60%, transparent);
  }
  .chat-list > li.older,
  .chat-list > li.empty {
    align-self: center;
    font-size: 0.85rem;
  }
  .msg {
    position: relative;
    font-size: 0.88rem;
    line-height: 1.35;
  }
  .msg .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 6px;
    font-size: 0.75rem;
    color: var(--_muted);
  }
  .msg .name {
    font-weight: 700;
    color: var(--_fg);
  }
  .role-badge {
    padding: 0 6px;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-size: 0.65rem;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .role-badge.viewer {
    background: color-mix(in srgb, var(--_fg) 30%, transparent);
    color: var(--_fg);
  }
  .msg .text {
    margin: 2px 0 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .msg .text a {
    color: var(--_accent-text);
  }
  .msg.pending .text {
    opacity: 0.7;
  }
  .msg .state.failed {
    color: var(--_danger);
  }
  /* Actions float over the message's top corner on hover or focus: no space kept for them. */
  .msg-actions {
    position: absolute;
    top: -2px;
    right: 0;
    display: flex;
    gap: 4px;
    opacity: 0;
  }
  .msg-actions:empty {
    display: none;
  }
  .msg:hover .msg-actions,
  .msg:focus-within .msg-actions,
  .msg-actions.shown {
    opacity: 1;
  }
  .msg-actions.shown {
    position: static;
    margin-top: 2px;
  }
  @media (hover: none) {
    .msg-actions {
      position: static;
      margin-top: 2px;
      opacity: 1;
    }
  }
  .msg-actions .mini {
    background: var(--_tile-bg);
    color: var(--_muted);
    border-color: color-mix(in srgb, var(--_fg) 20%, transparent);
  }
  .chat-notice {
    margin: 0;
    padding: 6px 8px;
    border-radius: 8px;
    font-size: 0.8rem;
    background: color-mix(in srgb, #ffc83d 14%, transparent);
  }
  .chat-form {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 4px 8px;
    align-items: end;
  }
  .chat-form textarea {
    font: inherit;
    font-size: 0.88rem;
    resize: none;
    min-height: 44px;
    max-height: 120px;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid color-mix(in srgb, var(--_fg) 20%, transparent);
    border-radius: 8px;
    padding: 8px;
  }
  .chat-form textarea:disabled {
    opacity: 0.6;
  }
  .chat-form .count {
    grid-row: 2;
    font-size: 0.7rem;
    color: var(--_muted);
  }
  .chat-form .count.near {
    color: #ffc83d;
  }
  .chat-form button:disabled {
    opacity: 0.5;
    cursor: default;
  }
`;
