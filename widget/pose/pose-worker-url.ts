/*
 * The pose worker module's URL (widget/pose/pose-worker.ts as built). A placeholder here:
 * rollup.config.js (the `pose-assets` plugin) replaces this module in the built bundle, emitting
 * the worker as a chunk of its own. Elsewhere the worker fails to start and the estimator falls
 * back to the page thread (see pose-assets.ts).
 */
const WORKER_URL: string = 'about:invalid#fitlive-pose-worker-needs-the-rollup-build';
export default WORKER_URL;
