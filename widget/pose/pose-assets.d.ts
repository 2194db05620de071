// Virtual modules made by rollup.config.js (the `pose-assets` plugin). Each URL is absolute,
// resolved against the importing chunk's import.meta.url, so the files come from the server that
// served the bundle (not the club's page), with content hashes in their names.

declare module 'virtual:pose-assets' {
  /** MoveNet SinglePose Lightning as a tfjs graph model; its weightsManifest names the hashed .bin next to it. */
  export const MODEL_URL: string;
  /** tfjs-backend-wasm's binaries, keyed by the names `setWasmPaths` expects. */
  export const WASM_URLS: {
    'tfjs-backend-wasm.wasm': string;
    'tfjs-backend-wasm-simd.wasm': string;
    'tfjs-backend-wasm-threaded-simd.wasm': string;
  };
}

declare module 'virtual:pose-worker' {
  /** The worker module (widget/pose/pose-worker.ts) as built. */
  const WORKER_URL: string;
  export default WORKER_URL;
}
