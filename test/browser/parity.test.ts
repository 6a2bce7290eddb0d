/**
 * Node (onnxruntime-node) and Chromium (onnxruntime-web, wasm) must give the same faces and
 * embeddings for the same pixels. Each photo is decoded ONCE in Node with sharp and the same
 * RawImage goes to both sides, so this measures the pipeline and runtimes, not two different
 * JPEG decoders. How far the browser's own decoder moves the result is reported separately.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher, decodeImage } from '../../src/node.js';
import { hasData } from '../helpers/data.js';
import { BrowserEmbedder, boxDiff, cosineOf, embedNode, pairFaces, parityImages, type FaceOut } from './embed-both.js';
import { ensureWebBuild, hasChromium, openDemo, waitReady, type DemoSession } from './harness.js';

const LFW_IMAGES = 200;
const MIN_COSINE = 0.999;
const MAX_BOX_DIFF_PX = 2;
/** LFW JPEGs that also go through the browser's own decoder (report only). */
const BROWSER_DECODE_SAMPLE = 30;

const LIMITS = { maxPixels: 100_000_000, maxBytes: 64 * 1024 * 1024 };

describe.skipIf(!hasChromium() || !hasData('public-domain') || !hasData('lfw'))('Node / browser parity', () => {
  let s: DemoSession;
  let node: Matcher;
  let web: BrowserEmbedder;

  beforeAll(async () => {
    await ensureWebBuild();
    s = await openDemo();
    await waitReady(s.page);
    node = await Matcher.create();
    web = await BrowserEmbedder.attach(s.page);
  }, 300_000);

  afterAll(async () => {
    await node?.dispose();
    await s?.close();
  });

  it(`same boxes (<= ${MAX_BOX_DIFF_PX} px) and embeddings (cosine >= ${MIN_COSINE}) on public-domain + ${LFW_IMAGES} LFW photos`, async () => {
    const images = parityImages(LFW_IMAGES);
    expect(images.length).toBeGreaterThanOrEqual(LFW_IMAGES);
    let worstCos = { value: 1, image: '', box: undefined as FaceOut['box'] | undefined };
    let worstBox = { value: 0, image: '' };
    let faces = 0;
    const mismatches: string[] = [];
    let decodeWorstCos = { value: 1, image: '' };
    let decodeWorstBox = { value: 0, image: '' };
    let decodeMismatch = 0;
    const t0 = Date.now();
    let decodeSampled = 0;
    for (const path of images) {
      const raw = await decodeImage(path, LIMITS);
      // Two processes: Node's ORT and Chromium's work at the same time.
      const [n, w] = (await Promise.all([embedNode(node, raw), web.embed(raw)])).map((r) => r.value) as [FaceOut[], FaceOut[]];
      const p = pairFaces(n, w);
      for (const u of p.unmatched) mismatches.push(`${basename(path)}: only ${u.side} found a face (score ${u.face.score.toFixed(3)})`);
      for (const x of p.pairs) {
        faces++;
        if (x.cosine < worstCos.value) worstCos = { value: x.cosine, image: path, box: x.node.box };
        if (x.boxDiff > worstBox.value) worstBox = { value: x.boxDiff, image: path };
      }
      if (path.includes('/lfw/') && decodeSampled++ < BROWSER_DECODE_SAMPLE) {
        const wd = pairFaces(n, (await web.embed(new Uint8Array(readFileSync(path)))).value);
        decodeMismatch += wd.unmatched.length;
        for (const x of wd.pairs) {
          if (x.cosine < decodeWorstCos.value) decodeWorstCos = { value: x.cosine, image: path };
          if (x.boxDiff > decodeWorstBox.value) decodeWorstBox = { value: x.boxDiff, image: path };
        }
      }
    }
    // Where the worst difference comes from: the embedder alone on the Node side's aligned crop
    // (runtime numerics), against the whole pipeline (small box and landmark differences
    // upstream, amplified by alignment).
    let embedderOnly = NaN;
    if (worstCos.box) {
      const raw = await decodeImage(worstCos.image, LIMITS);
      const faces = await node.embed(raw, { aligned: true });
      const f = faces.find((x) => boxDiff(x.face.box, worstCos.box!) === 0) ?? faces[0]!;
      const [mine] = await node.embedAligned([f.aligned!]);
      embedderOnly = cosineOf(mine!, await web.embedAligned(f.aligned!));
    }
    console.log(
      [
        `parity over ${images.length} photos, ${faces} faces (same sharp-decoded pixels on both sides), ${((Date.now() - t0) / 1000).toFixed(0)} s:`,
        `  worst cosine ${worstCos.value.toFixed(6)} (${basename(worstCos.image)}); same aligned crop through the embedder alone: ${embedderOnly.toFixed(7)}`,
        `  worst box difference ${worstBox.value.toFixed(3)} px (${basename(worstBox.image)})`,
        `  faces found by one side only: ${mismatches.length}${mismatches.length ? `\n    ${mismatches.join('\n    ')}` : ''}`,
        `browser's own JPEG decoder (createImageBitmap) vs sharp, ${Math.min(decodeSampled, BROWSER_DECODE_SAMPLE)} LFW photos:`,
        `  worst cosine ${decodeWorstCos.value.toFixed(6)} (${basename(decodeWorstCos.image)}), worst box ${decodeWorstBox.value.toFixed(3)} px (${basename(decodeWorstBox.image)}), faces found by one side only: ${decodeMismatch}`,
      ].join('\n'),
    );
    expect(mismatches).toEqual([]);
    expect(embedderOnly).toBeGreaterThanOrEqual(0.99999);
    expect(worstCos.value).toBeGreaterThanOrEqual(MIN_COSINE);
    expect(worstBox.value).toBeLessThanOrEqual(MAX_BOX_DIFF_PX);
  }, 600_000);
});
