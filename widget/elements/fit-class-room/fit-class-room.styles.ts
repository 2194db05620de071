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
    color: var(--_on-accent);
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
    /* The tracks must not grow to a video's intrinsic size: on a phone the stage fits the screen. */
    grid-template: minmax(0, 1fr) / minmax(0, 1fr);
    place-items: center;
    min-width: 0;
    /* Both sides definite once the room sizes the stage to the window (else 16:9 of the width). */
    width: 100%;
  }
  video {
    min-width: 0;
    min-height: 0;
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
  /*
   * The coach's stage: the member grid fills it, the coach's own camera small in a column beside
   * it (a row above it on a narrow screen), so no preview ever covers a member.
   */
  .coach-stage {
    grid-template: minmax(0, 1fr) / minmax(0, 1fr) clamp(120px, 18%, 220px);
    place-items: stretch;
    gap: 8px;
    padding: 8px;
  }
  /* A tile without video (camera off) still reads as a tile against the stage behind it. */
  .coach-stage figure {
    background: color-mix(in srgb, var(--_fg) 8%, var(--_tile-bg));
  }
  .grid-area {
    position: relative;
    min-width: 0;
    min-height: 0;
    overflow: auto;
  }
  .grid-area > .waiting {
    display: grid;
    place-items: center;
    min-height: 100%;
  }
  /* Rows of tiles of the size the room worked out; a last row that is not full sits centred. */
  .grid[data-columns] {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-content: center;
    min-height: 100%;
  }
  .grid[data-columns] > figure {
    flex: none;
    width: var(--_tile-width);
    height: calc(var(--_tile-width) * 9 / 16);
  }
  .grid-area > .grid-groups {
    align-content: start;
  }
  .self-column {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    justify-content: flex-end;
    gap: 8px;
    min-width: 0;
    min-height: 0;
  }
  .self-column .self,
  .self-column .self-screen {
    position: static;
    width: 100%;
    height: auto;
    aspect-ratio: 16 / 9;
    border-width: 1px;
  }
  .self-column .self-screen {
    border-radius: calc(var(--_radius) / 1.5);
    object-fit: contain;
  }
  .self-note {
    font-size: 0.75rem;
    color: var(--_muted);
    text-align: center;
  }
  .self-column .screen-share {
    position: static;
    padding: 6px 10px;
    min-height: 36px;
    font-size: 0.8rem;
  }
  @container (max-width: 640px) {
    .coach-stage {
      grid-template: auto minmax(0, 1fr) / minmax(0, 1fr);
    }
    .self-column {
      order: -1;
      flex-direction: row;
      align-items: center;
      justify-content: flex-start;
    }
    .self-column .self,
    .self-column .self-screen {
      width: 112px;
      flex: none;
    }
  }
  .stage-status {
    position: absolute;
    left: 50%;
    top: 12px;
    transform: translateX(-50%);
    padding: 6px 14px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.7);
    color: #fff;
    font-size: 0.85rem;
    z-index: 3;
  }
  .stage video.pip {
    /* The coach's camera beside a shared screen (top left: the member's own preview is bottom right). */
    position: absolute;
    left: 8px;
    top: 8px;
    width: min(28%, 240px);
    height: auto;
    aspect-ratio: 16 / 9;
    object-fit: cover;
    border-radius: calc(var(--_radius) / 1.5);
    box-shadow: 0 2px 10px rgb(0 0 0 / 0.5);
  }
  .stage video[part~='screen-video'] {
    object-fit: contain;
    background: #000;
  }
  .screen-share {
    position: absolute;
    top: 8px;
    right: 8px;
    z-index: 2;
  }
  figure.speaking {
    /* Who is talking: a ring, not motion (calm for everyone, visible without sound). */
    box-shadow: 0 0 0 3px var(--fit-speaking-color, #22c55e);
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
  .stage > video.large {
    transform: scaleX(-1);
    object-fit: contain;
  }
  .chip {
    padding: 6px 14px;
    min-height: 36px;
    font-size: 0.85rem;
    background: var(--_tile-bg);
    color: var(--_fg);
    border: 1px solid color-mix(in srgb, var(--_fg) 20%, transparent);
  }
  .chip[aria-pressed='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  .chip.danger,
  .mini.danger {
    color: var(--_danger);
    border-color: color-mix(in srgb, var(--_danger) 60%, transparent);
  }
  .coach-controls {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 16px;
    align-items: center;
    font-size: 0.85rem;
  }
  .more-toggle {
    display: none;
  }
  @container (max-width: 640px) {
    .more-toggle {
      display: inline-flex;
      align-items: center;
    }
    .coach-controls[data-more-open='false'] .group.secondary {
      display: none;
    }
  }
  .coach-controls .group {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  select,
  input {
    font: inherit;
    font-size: 0.85rem;
    color: var(--_fg);
    background: var(--_tile-bg);
    border: 1px solid color-mix(in srgb, var(--_fg) 20%, transparent);
    border-radius: 8px;
    padding: 6px 8px;
    min-height: 36px;
  }
  input[type='number'] {
    width: 4.5em;
  }
  label.check {
    display: inline-flex;
    gap: 6px;
    align-items: center;
  }
  .member-panel {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 12px;
    align-items: center;
  }
  .card {
    display: grid;
    gap: 2px;
    padding: 12px 14px;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_tile-bg);
  }
  .card .exercise {
    font-size: 1.2rem;
  }
  .card .target {
    color: var(--_accent-text);
    font-weight: 700;
  }
  .badge {
    justify-self: start;
    font-size: 0.7rem;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--_muted);
  }
  .muted {
    color: var(--_muted);
  }
  .timer {
    display: grid;
    justify-items: center;
    padding: 8px 14px;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_tile-bg);
    font-variant-numeric: tabular-nums;
  }
  .timer .clock {
    font-size: 1.8rem;
    font-weight: 800;
  }
  .timer.work .phase {
    color: var(--_accent-text);
  }
  .timer .phase,
  .timer .round {
    font-size: 0.75rem;
    text-transform: uppercase;
    letter-spacing: 0.05em;
  }
  fit-rep-counter,
  ::slotted(fit-rep-counter) {
    justify-self: center;
  }
  .mic {
    font-size: 0.85rem;
    display: flex;
    gap: 8px;
    align-items: center;
  }
  .mic.muted {
    color: #ffc83d;
  }
  .leaderboard {
    grid-column: 1 / -1;
    margin: 0;
    padding: 0 0 0 1.2em;
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .leaderboard li {
    display: flex;
    justify-content: space-between;
    max-width: 260px;
  }
  .num {
    font-variant-numeric: tabular-nums;
    font-weight: 700;
    color: var(--_fg);
  }
  /* The coach's controls for a member: over the picture only while the coach points at or focuses the tile. */
  .tile-controls {
    position: absolute;
    /* Below the rep count in the corner, which stays readable while the controls show. */
    top: 34px;
    left: 6px;
    right: 6px;
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    align-items: center;
    z-index: 2;
    /* Transparent, not removed: a pointer over the tile finds them, and so does the keyboard. */
    opacity: 0;
    transition: opacity 0.15s;
  }
  figure:hover .tile-controls,
  figure:focus-within .tile-controls {
    opacity: 1;
  }
  figure[tabindex]:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--_accent) 60%, white);
    outline-offset: -3px;
  }
  figure.spotlit {
    box-shadow: 0 0 0 3px var(--_accent);
  }
  figure > .reps {
    position: absolute;
    top: 6px;
    right: 6px;
  }
  .mini {
    font-size: 0.7rem;
    padding: 2px 8px;
    min-height: 26px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.55);
    color: #fff;
    border: 1px solid rgb(255 255 255 / 0.25);
  }
  select.mini {
    border-radius: 999px;
  }
  .reps {
    margin-left: auto;
    padding: 2px 8px;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 700;
    font-size: 0.75rem;
  }
  .level-group h4 {
    margin: 8px 0 4px;
    font-size: 0.8rem;
    color: var(--_muted);
    text-transform: uppercase;
  }
  .level-pick {
    display: grid;
    gap: 4px;
    font-size: 0.85rem;
  }
  .summary {
    min-width: 240px;
    text-align: left;
    color: var(--_fg);
  }
  .plan-editor {
    display: grid;
    gap: 8px;
    justify-items: start;
    padding: 10px;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_tile-bg);
    overflow-x: auto;
    font-size: 0.85rem;
  }
  .plan-editor td {
    padding: 2px 4px;
  }
  .target-edit {
    display: inline-flex;
    gap: 2px;
  }
  .breakout {
    margin: 0;
    padding: 8px 12px;
    border-radius: calc(var(--_radius) / 2);
    background: color-mix(in srgb, var(--_accent) 18%, transparent);
    font-size: 0.9rem;
  }
  .summary table {
    border-collapse: collapse;
    font-size: 0.85rem;
  }
  .summary th,
  .summary td {
    padding: 4px 10px;
    text-align: left;
    border-bottom: 1px solid color-mix(in srgb, var(--_fg) 12%, transparent);
  }
  .summary ul {
    list-style: none;
    padding: 0;
  }
  .summary li {
    display: flex;
    justify-content: space-between;
  }
  /*
   * The room beside its chat: side by side only when the stage keeps a full-size video next to
   * it (a 1200px room keeps the coach's top video layer), stacked below otherwise.
   */
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 12px;
    align-items: start;
  }
  .main {
    display: flex;
    flex-direction: column;
    gap: 12px;
    min-width: 0;
  }
  @container (min-width: 1280px) {
    .layout.with-chat[data-chat-open='true'] {
      grid-template-columns: minmax(0, 1fr) var(--fit-chat-width, 320px);
    }
    .layout.with-chat[data-chat-open='true'] .chat {
      position: sticky;
      top: 0;
    }
  }
  footer {
    flex-wrap: wrap;
    align-items: center;
  }
  .seats {
    margin-left: auto;
    font-size: 0.8rem;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .hand-control {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 0.8rem;
  }
  .hands {
    padding: 8px 12px;
    border-radius: calc(var(--_radius) / 1.5);
    background: color-mix(in srgb, #ffc83d 12%, var(--_tile-bg));
    font-size: 0.85rem;
  }
  .hands h4 {
    margin: 0 0 6px;
    font-size: 0.85rem;
  }
  .hands ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 6px 16px;
  }
  .hands li {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .hand-badge {
    position: absolute;
    right: 6px;
    bottom: 6px;
    padding: 2px 8px;
    border-radius: 999px;
    background: #ffc83d;
    color: #111;
    font-size: 0.75rem;
    font-weight: 700;
  }
  .reactions {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px;
  }
  button.reaction {
    padding: 4px 8px;
    min-height: 40px;
    min-width: 40px;
    font-size: 1.2rem;
    line-height: 1;
    background: var(--_tile-bg);
    border: 1px solid color-mix(in srgb, var(--_fg) 15%, transparent);
  }
  .reaction-notice {
    font-size: 0.75rem;
  }
  .floaters {
    position: absolute;
    inset: 0;
    overflow: hidden;
    pointer-events: none;
  }
  .floater {
    position: absolute;
    bottom: 4%;
    font-size: var(--fit-reaction-size, 2rem);
    line-height: 1;
    opacity: 0;
    animation: fit-float 2.4s ease-out forwards;
    will-change: transform, opacity;
  }
  .floater[data-variant='1'] {
    animation-duration: 2.1s;
  }
  .floater[data-variant='2'] {
    animation-duration: 2.5s;
    animation-name: fit-float-sway;
  }
  .floater[data-lane='0'] { left: 4%; }
  .floater[data-lane='1'] { left: 12%; }
  .floater[data-lane='2'] { left: 20%; }
  .floater[data-lane='3'] { left: 29%; }
  .floater[data-lane='4'] { left: 38%; }
  .floater[data-lane='5'] { left: 50%; }
  .floater[data-lane='6'] { left: 60%; }
  .floater[data-lane='7'] { left: 70%; }
  .floater[data-lane='8'] { left: 80%; }
  .floater[data-lane='9'] { left: 88%; }
  @keyframes fit-float {
    0% { transform: translateY(0) scale(0.6); opacity: 0; }
    12% { opacity: 1; transform: translateY(-10%) scale(1); }
    80% { opacity: 0.9; }
    100% { transform: translateY(-320%) scale(1.1); opacity: 0; }
  }
  @keyframes fit-float-sway {
    0% { transform: translate(0, 0) scale(0.6); opacity: 0; }
    12% { opacity: 1; transform: translate(10%, -10%) scale(1); }
    50% { transform: translate(-20%, -160%); }
    100% { transform: translate(15%, -320%) scale(1.1); opacity: 0; }
  }
  @keyframes fit-fade {
    0% { opacity: 0; }
    20% { opacity: 1; }
    100% { opacity: 0; }
  }
  @media (prefers-reduced-motion: reduce) {
    .floater,
    .floater[data-variant='1'],
    .floater[data-variant='2'] {
      animation: fit-fade 2s linear forwards;
    }
  }
  .waitlist .full-title {
    font-size: 1.1rem;
    color: var(--_fg);
  }
  .board-panel,
  .files-panel {
    display: grid;
    gap: 8px;
    padding: 10px;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_tile-bg);
    min-width: 0;
  }
  .panel-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .panel-head h3 {
    margin: 0;
    font-size: 0.95rem;
  }
  .panel-head > :last-child {
    margin-left: auto;
  }
  .panel-head > h3:last-child {
    margin-left: 0;
  }
  .panel-notice {
    margin: 0;
    padding: 4px 8px;
    border-radius: 8px;
    font-size: 0.8rem;
    background: color-mix(in srgb, var(--_danger) 16%, transparent);
  }
  #board-body[hidden] {
    display: none;
  }
  label.file-share {
    position: relative;
    display: inline-flex;
    align-items: center;
    border-radius: 999px;
    font-weight: 600;
    cursor: pointer;
  }
  label.file-share:focus-within {
    outline: 3px solid color-mix(in srgb, var(--_accent) 50%, white);
    outline-offset: 2px;
  }
  label.file-share.busy {
    opacity: 0.7;
    cursor: progress;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  .upload {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    font-size: 0.85rem;
  }
  .upload progress {
    flex: 1 1 120px;
    accent-color: var(--_accent);
  }
  .file-list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 6px;
  }
  .file-list li {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px 10px;
    font-size: 0.88rem;
  }
  .file-list a {
    color: var(--_accent-text);
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .file-meta {
    font-size: 0.78rem;
  }
  .files-panel .empty {
    margin: 0;
    font-size: 0.85rem;
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
