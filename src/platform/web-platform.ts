import { MatcherError } from '../core/errors.js';
import { parseManifest } from '../core/manifest.js';
import type { Calibration, Platform } from '../core/platform.js';
import { ortBackend, type OrtModule } from '../runtime/ort-backend.js';
import type { InferenceBackend } from '../runtime/session.js';
import { decodeWeb, type WebImageInput } from './web-decode.js';
import { fetchOk, modelFetcher, type ProgressCallback } from './web-models.js';
import { webImageOps } from './web-image-ops.js';

export type WebExecutionProvider = 'wasm' | 'webgpu';

export interface WebPlatformOptions {
  modelBaseUrl: string;
  wasmPaths: string;
  cache: boolean;
  executionProviders: WebExecutionProvider[];
  /** Requested threads (0 = choose); honoured only on a cross-origin isolated page. */
  threads: number;
  allowCrossOrigin: boolean;
  onProgress?: ProgressCallback;
}

/** The part of onnxruntime-web's `env` this platform sets. */
interface OrtWebEnv {
  env: { wasm: { wasmPaths?: unknown; numThreads?: number; proxy?: boolean } };
}

/** The document's base (or a worker's location): where relative URLs are resolved. */
export function pageBase(): string {
  const g = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  const base = g.document?.baseURI ?? g.location?.href;
  if (!base) throw new MatcherError('RUNTIME_UNSUPPORTED', 'no document or location to resolve URLs against: pass absolute modelBaseUrl and wasmPaths');
  return base;
}

/** Absolute URL; refuses another origin unless allowed, so nothing leaves the site by accident. */
function checkedUrl(url: string, what: string, allowCrossOrigin: boolean): URL {
  let u: URL;
  try {
    u = new URL(url, pageBase());
  } catch (e) {
    throw new MatcherError('INVALID_OPTIONS', `${what} is not a valid URL: ${url}`, { cause: e });
  }
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  if (!allowCrossOrigin && origin && origin !== 'null' && u.origin !== origin) {
    throw new MatcherError(
      'NETWORK_FORBIDDEN',
      `${what} ${u.href} is on another origin than the page (${origin}); serve it from the same origin or pass allowCrossOrigin: true`,
    );
  }
  return u;
}

/** Absolute folder URL ending in '/' (see checkedUrl). */
export function folderUrl(url: string, what: string, allowCrossOrigin: boolean): string {
  const u = checkedUrl(url, what, allowCrossOrigin);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u.href;
}

function threadCount(requested: number): number {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  // Without cross-origin isolation there is no SharedArrayBuffer, so wasm threads cannot start.
  if (!g.crossOriginIsolated) return 1;
  if (requested > 0) return requested;
  return Math.max(1, Math.min(4, g.navigator?.hardwareConcurrency ?? 1));
}

/**
 * onnxruntime-web, loaded on demand: the wasm-only build by default (one 14 MB .wasm), the
 * WebGPU build only when asked for, so a page that never uses WebGPU never downloads it.
 */
async function loadOrt(providers: WebExecutionProvider[]): Promise<OrtModule & OrtWebEnv> {
  try {
    const mod = providers.includes('webgpu') ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
    return mod as unknown as OrtModule & OrtWebEnv;
  } catch (e) {
    throw new MatcherError('RUNTIME_UNSUPPORTED', `cannot load onnxruntime-web: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * ORT's wasm settings are global to its module and read once, when the first session starts:
 * every matcher on a page must agree on wasmPaths and threads (the first one wins).
 */
async function webBackend(o: WebPlatformOptions): Promise<InferenceBackend> {
  const ort = await loadOrt(o.executionProviders);
  ort.env.wasm.wasmPaths = o.wasmPaths;
  ort.env.wasm.numThreads = threadCount(o.threads);
  ort.env.wasm.proxy = false;
  const inner = ortBackend(`onnxruntime-web/${o.executionProviders.join('+')}`, ort, {
    executionProviders: o.executionProviders,
  });
  const imageOps = webImageOps();
  return {
    name: inner.name,
    // Threads are a page-wide wasm setting (env.wasm.numThreads) here, not a session option.
    createSession: (model) => inner.createSession(model, {}),
    ...(imageOps ? { imageOps } : {}),
  };
}

export async function webPlatform(o: WebPlatformOptions): Promise<Platform<WebImageInput>> {
  const fetcher = modelFetcher({ baseUrl: o.modelBaseUrl, cache: o.cache, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  return {
    name: 'web',
    backend: await webBackend(o),
    async loadManifest() {
      return parseManifest(await fetcher.json('manifest.json', false));
    },
    readModel: (entry) => fetcher.model(entry),
    async loadCalibrations() {
      return ((await fetcher.json('calibration.json', true)) ?? {}) as Record<string, Calibration[]>;
    },
    decode: decodeWeb,
    async readUserModel(location) {
      const res = await fetchOk(checkedUrl(String(location), 'model', o.allowCrossOrigin).href, 'user model');
      return new Uint8Array(await res.arrayBuffer());
    },
    indexes: {},
  };
}
