/**
 * Puts @tensorflow/tfjs on its wasm backend with every file read from
 * node_modules: the .wasm binaries through setWasmPaths, and graph models
 * addressed as file:// URLs through a load router reading the disk (plain
 * tfjs has no file handler outside tfjs-node, which cannot be installed here).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** Folder of the installed @tensorflow/tfjs-backend-wasm .wasm files, with trailing slash. */
export function localWasmDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
}

/** Loads a tfjs model.json plus its weight shards from a file:// URL. */
function fileHandler(url: string): tf.io.IOHandler {
  return {
    async load() {
      const jsonPath = fileURLToPath(url);
      const modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      const manifest = modelJson.weightsManifest ?? [];
      const specs = manifest.flatMap((group) => group.weights);
      const shards = await Promise.all(
        manifest.flatMap((group) => group.paths.map((p) => readFile(join(dirname(jsonPath), p)))),
      );
      const weightData = tf.io.concatenateArrayBuffers(
        shards.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
      );
      return tf.io.getModelArtifactsForJSONSync(modelJson, specs, weightData);
    },
  };
}

/**
 * Idempotent: the router is registered only when no handler answers file://
 * yet, because tfjs refuses to load when two handlers match one URL.
 */
function ensureFileRouter(): void {
  if (tf.io.getLoadHandlers('file:///probe/model.json').length > 0) return;
  // tfjs skips routers that answer null (its typings omit that case).
  const router = (url: string | string[]): tf.io.IOHandler | null => {
    const u = Array.isArray(url) ? url[0] : url;
    return typeof u === 'string' && u.startsWith('file://') ? fileHandler(u) : null;
  };
  tf.io.registerLoadRouter(router as Parameters<typeof tf.io.registerLoadRouter>[0]);
}

/** Readies tfjs on wasm; safe to call again (later calls are no-ops). */
export async function readyTfjsWasm(): Promise<typeof tf> {
  ensureFileRouter();
  if (tf.getBackend() !== 'wasm') {
    setWasmPaths(localWasmDir());
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  }
  await tf.ready();
  return tf;
}

/** e.g. "tfjs 4.22.0 wasm (simd, 1 thread)", read from the running backend. */
export async function tfjsBackendLabel(): Promise<string> {
  const backend = tf.getBackend();
  if (backend !== 'wasm') return `tfjs ${tf.version.tfjs} ${backend}`;
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = getThreadsCount();
  return `tfjs ${tf.version.tfjs} wasm (${simd ? 'simd' : 'no simd'}, ${threads} thread${threads === 1 ? '' : 's'})`;
}
