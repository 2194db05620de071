import { css } from 'lit';

/** Quality badges, the audio-only notice, avatars on the stage and the camera-off preview. */
export const qualityStyles = css`
  :host {
    --_q-good: var(--fit-quality-good, #22c55e);
    --_q-fair: var(--fit-quality-fair, #f59e0b);
    --_q-poor: var(--fit-quality-poor, #ef4444);
  }
  .quality {
    position: absolute;
    z-index: 3;
    display: inline-flex;
    align-items: center;
    min-height: 26px;
    min-width: 30px;
    padding: 3px 6px;
    border-radius: 999px;
    border: 1px solid rgb(255 255 255 / 0.25);
    background: rgb(0 0 0 / 0.55);
    color: #fff;
    cursor: help;
  }
  .quality.on-tile {
    right: 6px;
    bottom: 6px;
  }
  .quality.on-stage {
    left: 10px;
    bottom: 10px;
  }
  .quality:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .bars {
    display: inline-flex;
    align-items: flex-end;
    gap: 2px;
    height: 14px;
  }
  /* Three bars for good, two for fair, one for poor: the count says it, the colour repeats it. */
  .bars i {
    display: block;
    width: 4px;
    border-radius: 1px;
    background: currentColor;
  }
  .bars i:nth-child(1) {
    height: 5px;
  }
  .bars i:nth-child(2) {
    height: 9px;
  }
  .bars i:nth-child(3) {
    height: 14px;
  }
  .quality[data-level='good'] {
    color: var(--_q-good);
  }
  .quality[data-level='fair'] {
    color: var(--_q-fair);
  }
  .quality[data-level='poor'] {
    color: var(--_q-poor);
  }
  .quality[data-level='fair'] .bars i:nth-child(3),
  .quality[data-level='poor'] .bars i:nth-child(n + 2) {
    background: rgb(255 255 255 / 0.25);
  }
  .tip {
    display: none;
    position: absolute;
    bottom: calc(100% + 6px);
    width: max-content;
    max-width: 220px;
    padding: 6px 8px;
    border-radius: 6px;
    background: rgb(0 0 0 / 0.85);
    color: #fff;
    font-size: 0.72rem;
    line-height: 1.3;
    text-align: left;
    white-space: normal;
  }
  .on-tile .tip {
    right: 0;
  }
  .on-stage .tip {
    left: 0;
  }
  .quality:hover .tip,
  .quality:focus .tip {
    display: block;
  }
  .quality-notice {
    position: absolute;
    z-index: 2;
    top: 10px;
    left: 50%;
    transform: translateX(-50%);
    margin: 0;
    padding: 6px 12px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.7);
    color: #fff;
    font-size: 0.85rem;
    text-align: center;
  }
  .quality-notice[data-reason='weak'] {
    border: 1px solid var(--_q-fair);
  }
  .stage-avatar {
    display: grid;
    place-items: center;
    width: 100%;
    height: 100%;
  }
  .stage-avatar .avatar {
    width: 96px;
    height: 96px;
    font-size: 1.6rem;
  }
  .camera-off {
    display: grid;
    place-items: center;
    width: 100%;
    height: 100%;
    background: var(--_tile-bg);
    color: var(--_muted);
    font-size: 0.8rem;
  }
`;
