/*
 * Where the pose model's files are. Placeholders here: rollup.config.js (the `pose-assets`
 * plugin) replaces this module in the built bundle with the content-hashed files' URLs, resolved
 * against the importing chunk's import.meta.url so they come from the server that served the
 * bundle (not the club's page). Other bundlers (Storybook's Vite, the widget tests' dev server)
 * keep the placeholders: the model runs only from the built bundle; elsewhere use a stand-in
 * (camera-counter.ts's setPoseEstimatorLoader).
 */

const NOT_BUILT = 'about:invalid#fitlive-pose-model-needs-the-rollup-build';

/** MoveNet SinglePose Lightning as a tfjs graph model; its weightsManifest names the hashed .bin next to it. */
export const MODEL_URL: string = NOT_BUILT;

/** tfjs-backend-wasm's binaries, keyed by the names `setWasmPaths` expects. */
export const WASM_URLS: Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string> = {
  'tfjs-backend-wasm.wasm': NOT_BUILT,
  'tfjs-backend-wasm-simd.wasm': NOT_BUILT,
  'tfjs-backend-wasm-threaded-simd.wasm': NOT_BUILT,
};
