import { MatcherError } from '../core/errors.js';
import { sha256Hex, type ModelEntry } from '../core/manifest.js';

export type ProgressCallback = (loaded: number, total: number, file: string) => void;

export interface ModelFetcherOptions {
  /** Absolute URL of the folder holding manifest.json and the .onnx files, ending in '/'. */
  baseUrl: string;
  /** Keep model files in the Cache API so a second visit does not download them. */
  cache: boolean;
  onProgress?: ProgressCallback;
}

/** Versioned so a future layout change never reads entries written by this one. */
const CACHE_NAME = 'reunite-face-models-v1';

async function openCache(enabled: boolean): Promise<Cache | undefined> {
  if (!enabled || typeof caches === 'undefined') return undefined;
  try {
    return await caches.open(CACHE_NAME);
  } catch {
    // Opaque origins, private modes and file:// pages refuse the Cache API: work without it.
    return undefined;
  }
}

/** The response body, reporting progress as chunks arrive. */
async function readBody(res: Response, total: number, file: string, onProgress?: ProgressCallback): Promise<Uint8Array> {
  if (!res.body || !onProgress) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress(0, total, file);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, Math.max(total, loaded), file);
  }
  const out = new Uint8Array(loaded);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export async function fetchOk(url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new MatcherError('MODEL_NOT_FOUND', `cannot fetch ${what} from ${url}: ${(e as Error).message}`, { cause: e });
  }
  if (!res.ok) throw new MatcherError('MODEL_NOT_FOUND', `cannot fetch ${what} from ${url}: HTTP ${res.status}`);
  return res;
}

/**
 * Fetches models by URL. Model files are cached under a key that includes their sha256, so a
 * new model version is never served from an old entry, and a cached file whose bytes no longer
 * match is dropped and fetched again (the core verifies the bytes it is given as well).
 */
export function modelFetcher(opts: ModelFetcherOptions) {
  const cachePromise = openCache(opts.cache);
  const urlOf = (file: string) => new URL(file, opts.baseUrl).href;

  return {
    /** JSON next to the models: network first (a redeployed manifest wins), then the cached copy when offline. */
    async json(file: string, optional: boolean): Promise<unknown | undefined> {
      const url = urlOf(file);
      const cache = await cachePromise;
      let res: Response | undefined;
      try {
        res = await fetch(url, { credentials: 'same-origin', cache: 'no-cache' });
      } catch (e) {
        const cached = await cache?.match(url);
        if (cached) return cached.json();
        if (optional) return undefined;
        throw new MatcherError('MODEL_NOT_FOUND', `cannot fetch ${url}: ${(e as Error).message}`, { cause: e });
      }
      if (!res.ok) {
        if (optional && res.status === 404) return undefined;
        throw new MatcherError('MODEL_NOT_FOUND', `cannot fetch ${url}: HTTP ${res.status}`);
      }
      const text = await res.text();
      await cache?.put(url, new Response(text, { headers: { 'content-type': 'application/json' } })).catch(() => undefined);
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new MatcherError('MODEL_MANIFEST_INVALID', `${url} is not JSON: ${(e as Error).message}`, { cause: e });
      }
    },

    async model(entry: ModelEntry): Promise<Uint8Array> {
      const url = urlOf(entry.file);
      // A query, not a fragment: the Cache API ignores fragments when matching.
      const keyUrl = new URL(url);
      keyUrl.searchParams.set('sha256', entry.sha256);
      const key = keyUrl.href;
      const cache = await cachePromise;
      const hit = await cache?.match(key);
      if (hit) {
        const bytes = new Uint8Array(await hit.arrayBuffer());
        if ((await sha256Hex(bytes)) === entry.sha256) {
          opts.onProgress?.(bytes.length, bytes.length, entry.file);
          return bytes;
        }
        await cache?.delete(key);
      }
      const res = await fetchOk(url, `model ${entry.id}`);
      const bytes = await readBody(res, entry.bytes, entry.file, opts.onProgress);
      // Only verified bytes are cached; a bad download is reported by the core's check.
      if (cache && (await sha256Hex(bytes)) === entry.sha256) {
        await cache
          .put(key, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } }))
          .catch(() => undefined); // quota exceeded: the matcher still works, it just downloads again next time
      }
      return bytes;
    },
  };
}
