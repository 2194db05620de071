import { enableProdMode, env, getBackend, ready, setBackend, tensor4d, type Tensor } from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { MODEL_URL, WASM_URLS } from './pose-assets.js';
import { INPUT_SIZE, unletterbox, type FlatKeypoints, type InputPixels, type Letterbox } from './pose-frame.js';

/*
 * MoveNet SinglePose Lightning on tfjs's wasm backend: the part of the pose estimator that runs
 * the model, in the worker (pose-worker.ts) or, when no worker can start, on the page itself.
 * Everything here is in the lazy pose chunks: never import this file from the widget's entry,
 * and import nothing from the widget but types (a value shared with the entry would make the
 * worker load the entry, elements and all).
 *
 * The model: int32 [1,192,192,3] RGB in, [1,1,17,3] out: y, x, score per COCO keypoint, y and x
 * 0..1 of the square input (pose-frame.ts letterboxes frames in and maps keypoints back).
 */

let backendReady: Promise<string> | undefined;

/** Starts tfjs on the wasm backend once per realm; resolves to the flavour in use ('wasm-simd', 'wasm'). */
function startBackend(): Promise<string> {
  backendReady ??= (async () => {
    enableProdMode();
    // Threads need a cross-origin isolated page (rare on club sites) and gave nothing on 2
    // cores; without them tfjs never fetches the threaded binary (mapped to the SIMD one only
    // because setWasmPaths wants all three names).
    env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(WASM_URLS);
    if (!(await setBackend('wasm'))) throw new Error('tfjs could not start its wasm backend');
    await ready();
    const simd = await env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return `${getBackend()}${simd ? '-simd' : ''}`;
  })();
  return backendReady;
}

export class MoveNet {
  private readonly int32 = new Int32Array(INPUT_SIZE * INPUT_SIZE * 3);

  private constructor(
    private readonly model: GraphModel,
    /** The wasm flavour in use. */
    readonly backend: string,
  ) {}

  /** Starts the backend, loads the model from this server and runs it once (the first run sets up its kernels). */
  static async load(): Promise<MoveNet> {
    const backend = await startBackend();
    const model = await loadGraphModel(MODEL_URL);
    const net = new MoveNet(model, backend);
    await net.run(new Uint8ClampedArray(INPUT_SIZE * INPUT_SIZE * 4), { dx: 0, dy: 0, dw: INPUT_SIZE, dh: INPUT_SIZE });
    return net;
  }

  /** One inference on a letterboxed 192×192 RGBA frame. */
  async run(rgba: InputPixels, box: Letterbox): Promise<FlatKeypoints> {
    const rgb = this.int32;
    for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
      rgb[q] = rgba[p]!;
      rgb[q + 1] = rgba[p + 1]!;
      rgb[q + 2] = rgba[p + 2]!;
    }
    const input = tensor4d(rgb, [1, INPUT_SIZE, INPUT_SIZE, 3], 'int32');
    let output: Tensor | undefined;
    try {
      output = this.model.execute(input) as Tensor;
      return unletterbox(await output.data<'float32'>(), box);
    } finally {
      input.dispose();
      output?.dispose();
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}
