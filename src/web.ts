/**
 * Browser entry: the core Matcher with onnxruntime-web (wasm; WebGPU on request), models
 * fetched from the site itself (sha256-checked, kept in the Cache API) and images decoded by
 * the browser. Nothing is loaded from a CDN: models and ORT's .wasm are served by the page's
 * own origin.
 */
import { BaseMatcher, loadMatcher, openMatcher } from './matcher.js';
import type { MatcherOptions } from './options.js';
import type { WebImageInput } from './platform/web-decode.js';
import { folderUrl, webPlatform, type WebExecutionProvider } from './platform/web-platform.js';
import type { ProgressCallback } from './platform/web-models.js';
import { splitWebOptions } from './platform/web-options.js';

export * from './public.js';
export type { WebImageInput } from './platform/web-decode.js';
export { decodeWeb as decodeImage } from './platform/web-decode.js';
export type { WebExecutionProvider } from './platform/web-platform.js';
export type { ProgressCallback } from './platform/web-models.js';

export interface WebMatcherOptions extends MatcherOptions {
  /**
   * Folder URL holding manifest.json, calibration.json and the .onnx files, resolved against
   * the document's base URL. Default './models/'.
   */
  modelBaseUrl?: string | URL;
  /**
   * Folder URL serving onnxruntime-web's `ort-wasm-simd-threaded.mjs` and `.wasm` (and the
   * `.asyncify.*` pair for WebGPU), copied from node_modules/onnxruntime-web/dist. Default './ort/'.
   */
  wasmPaths?: string | URL;
  /** Called while model files download (and once per file served from the cache). */
  onProgress?: ProgressCallback;
  /** Keep models in the Cache API so later visits do not download them again. Default true. */
  cache?: boolean;
  /** Default ['wasm']. ['webgpu', 'wasm'] loads ORT's WebGPU build (a second, larger .wasm). */
  executionProviders?: WebExecutionProvider[];
  /** Allow modelBaseUrl / wasmPaths on another origin than the page. Default false. */
  allowCrossOrigin?: boolean;
}

export class Matcher extends BaseMatcher<WebImageInput> {
  /**
   * Downloads (or reads from the cache) the models, checks their sha256 and returns a ready
   * matcher. `threads` > 1 takes effect only on a cross-origin isolated page (COOP + COEP).
   */
  static async create(options: WebMatcherOptions = {}): Promise<Matcher> {
    const { web, rest } = splitWebOptions(options as WebMatcherOptions & Record<string, unknown>);
    const cross = web.allowCrossOrigin;
    const platform = await webPlatform({
      modelBaseUrl: folderUrl(String(web.modelBaseUrl), 'modelBaseUrl', cross),
      wasmPaths: folderUrl(String(web.wasmPaths), 'wasmPaths', cross),
      cache: web.cache,
      executionProviders: web.executionProviders,
      threads: typeof rest.threads === 'number' ? rest.threads : 0,
      allowCrossOrigin: cross,
      ...(web.onProgress ? { onProgress: web.onProgress } : {}),
    });
    return openMatcher(new Matcher(), platform, rest);
  }

  /** A matcher holding a gallery saved by `save()` in Node or in a browser. */
  static async load(bytes: Uint8Array, options: WebMatcherOptions & { passphrase?: string } = {}): Promise<Matcher> {
    return loadMatcher(Matcher.create, bytes, options);
  }
}
