/**
 * The same photo through the Node pipeline (onnxruntime-node) and the browser one
 * (onnxruntime-web in Chromium), for the parity test and bench/browser.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { facesRoot, hasSet, loadPairs } from '../../bench/lib/datasets.js';
import type { Box, RawImage } from '../../src/core/types.js';
import type { Matcher as NodeMatcher } from '../../src/node.js';
import { iou } from '../../src/core/nms.js';
import { cosine as cosineOf } from '../../bench/lib/similarity.js';

export interface FaceOut {
  box: Box;
  score: number;
  embedding: Float32Array;
}

export interface Timed<T> {
  value: T;
  ms: number;
}

/** public-domain/* and the first `lfwCount` distinct image paths of LFW's pairs.txt. */
export function parityImages(lfwCount: number): string[] {
  const out: string[] = [];
  if (hasSet('public-domain')) {
    const dir = join(facesRoot(), 'public-domain');
    for (const f of readdirSync(dir).sort()) if (/\.(jpe?g|png)$/i.test(f)) out.push(join(dir, f));
  }
  if (lfwCount > 0 && hasSet('lfw')) {
    const seen = new Set<string>();
    for (const p of loadPairs('lfw')) {
      for (const path of [p.a, p.b]) {
        if (seen.size < lfwCount && !seen.has(path)) {
          seen.add(path);
          out.push(path);
        }
      }
      if (seen.size >= lfwCount) break;
    }
  }
  return out;
}

export async function embedNode(m: NodeMatcher, img: RawImage): Promise<Timed<FaceOut[]>> {
  const t0 = performance.now();
  const faces = await m.embed(img);
  const ms = performance.now() - t0;
  return { ms, value: faces.map((f) => ({ box: f.face.box, score: f.face.score, embedding: f.embedding })) };
}

interface WireFace {
  box: Box;
  score: number;
  embedding: number[];
}

type PageMatcher = { embed(x: unknown): Promise<{ face: { box: Box; score: number }; embedding: Float32Array }[]> };

/**
 * Runs `m.embed` in the page, on the matcher the demo created (window.reuniteDemo.ready) or
 * on `window.__benchMatcher` when one was made. Image bytes travel as a same-origin HTTP
 * response served by Playwright (binary, no base64 through the DevTools protocol).
 */
export class BrowserEmbedder {
  private readonly blobs = new Map<string, Buffer>();
  private next = 0;
  private constructor(private readonly page: Page) {}

  static async attach(page: Page): Promise<BrowserEmbedder> {
    const e = new BrowserEmbedder(page);
    await page.route('**/__embed-input/*', (route) => {
      const id = new URL(route.request().url()).pathname.split('/').pop()!;
      const body = e.blobs.get(id);
      e.blobs.delete(id);
      return body ? route.fulfill({ status: 200, body, contentType: 'application/octet-stream' }) : route.fulfill({ status: 404 });
    });
    return e;
  }

  /** `m.embedAligned([crop])` in the page: the embedder alone, on a crop made elsewhere. */
  async embedAligned(crop: RawImage): Promise<Float32Array> {
    const id = String(++this.next);
    this.blobs.set(id, Buffer.from(crop.data.buffer, crop.data.byteOffset, crop.data.byteLength));
    const shape = { width: crop.width, height: crop.height, channels: crop.channels };
    const out = await this.page.evaluate(
      async ({ id, shape }) => {
        const w = window as unknown as {
          reuniteDemo: { ready: Promise<{ embedAligned(x: unknown[]): Promise<Float32Array[]> }> };
          __benchMatcher?: Promise<{ embedAligned(x: unknown[]): Promise<Float32Array[]> }>;
        };
        const m = await (w.__benchMatcher ?? w.reuniteDemo.ready);
        const data = new Uint8Array(await (await fetch(`/__embed-input/${id}`)).arrayBuffer());
        return Array.from((await m.embedAligned([{ data, ...shape }]))[0]!);
      },
      { id, shape },
    );
    return Float32Array.from(out);
  }

  /** `img`: pixels (RawImage, the same the Node side gets) or encoded bytes the browser decodes itself. */
  async embed(img: RawImage | Uint8Array): Promise<Timed<FaceOut[]>> {
    const id = String(++this.next);
    const raw = !(img instanceof Uint8Array);
    const bytes = raw ? (img as RawImage).data : (img as Uint8Array);
    this.blobs.set(id, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const shape = raw ? { width: (img as RawImage).width, height: (img as RawImage).height, channels: (img as RawImage).channels } : undefined;
    const res = await this.page.evaluate(
      async ({ id, shape }) => {
        const w = window as unknown as { reuniteDemo: { ready: Promise<PageMatcher> }; __benchMatcher?: Promise<PageMatcher> };
        const m = await (w.__benchMatcher ?? w.reuniteDemo.ready);
        const data = new Uint8Array(await (await fetch(`/__embed-input/${id}`)).arrayBuffer());
        const input = shape ? { data, ...shape } : new Blob([data]);
        const t0 = performance.now();
        const faces = await m.embed(input);
        const ms = performance.now() - t0;
        return { ms, faces: faces.map((f) => ({ box: f.face.box, score: f.face.score, embedding: Array.from(f.embedding) })) };
      },
      { id, shape },
    );
    return { ms: res.ms, value: res.faces.map((f: WireFace) => ({ box: f.box, score: f.score, embedding: Float32Array.from(f.embedding) })) };
  }
}

export { cosineOf };

export function boxDiff(a: Box, b: Box): number {
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.width - b.width), Math.abs(a.height - b.height));
}


export interface FacePairing {
  pairs: { node: FaceOut; web: FaceOut; cosine: number; boxDiff: number }[];
  /** Faces one side found and the other did not (by IoU >= 0.5). */
  unmatched: { side: 'node' | 'web'; face: FaceOut }[];
}

/** Pairs each Node face with the browser face overlapping it most. */
export function pairFaces(node: FaceOut[], web: FaceOut[]): FacePairing {
  const used = new Set<number>();
  const out: FacePairing = { pairs: [], unmatched: [] };
  for (const n of node) {
    let best = -1;
    let bestIou = 0.5;
    web.forEach((w, i) => {
      const v = iou(n.box, w.box);
      if (!used.has(i) && v >= bestIou) {
        best = i;
        bestIou = v;
      }
    });
    if (best < 0) {
      out.unmatched.push({ side: 'node', face: n });
      continue;
    }
    used.add(best);
    const w = web[best]!;
    out.pairs.push({ node: n, web: w, cosine: cosineOf(n.embedding, w.embedding), boxDiff: boxDiff(n.box, w.box) });
  }
  web.forEach((w, i) => {
    if (!used.has(i)) out.unmatched.push({ side: 'web', face: w });
  });
  return out;
}
