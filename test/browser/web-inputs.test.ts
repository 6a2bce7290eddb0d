/**
 * The browser decoder in Chromium: every accepted input kind gives the same pixels, EXIF
 * orientation is applied like sharp does in Node, limits and bad inputs fail with the same
 * error codes, and dist/web.js also runs inside a module Worker (no DOM at load time).
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/node.js';
import { FIXTURES } from '../helpers/data.js';
import { hasChromium, useReadyDemo } from './harness.js';

const LIMITS = { maxPixels: 100_000_000, maxBytes: 64 * 1024 * 1024 };

describe.skipIf(!hasChromium())('browser inputs', () => {
  const demo = useReadyDemo();

  it('decodes Blob, <img>, canvas, OffscreenCanvas, ImageBitmap, ImageData and bytes to the same RGB pixels', async () => {
    const res = await demo().page.evaluate(async () => {
      const { decodeImage } = (window as unknown as { reuniteDemo: { module: typeof import('../../src/web.js') } }).reuniteDemo.module;
      const limits = { maxPixels: 1e8, maxBytes: 1e8 };
      const blob = await (await fetch('/fixtures/astronaut.png')).blob();
      const img = new Image();
      img.src = URL.createObjectURL(blob);
      const bitmap = await createImageBitmap(blob);
      const canvas = document.createElement('canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      const off = new OffscreenCanvas(bitmap.width, bitmap.height);
      off.getContext('2d')!.drawImage(bitmap, 0, 0);
      const imageData = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const inputs: Record<string, unknown> = {
        blob,
        file: new File([blob], 'a.png'),
        bytes: new Uint8Array(await blob.arrayBuffer()),
        arrayBuffer: await blob.arrayBuffer(),
        img,
        canvas,
        off,
        bitmap,
        imageData,
      };
      const out: Record<string, { w: number; h: number; c: number; sum: number }> = {};
      for (const [k, v] of Object.entries(inputs)) {
        const r = await decodeImage(v as Blob, limits);
        let sum = 0;
        for (let i = 0; i < r.data.length; i++) sum += r.data[i]!;
        out[k] = { w: r.width, h: r.height, c: r.channels, sum };
      }
      return out;
    });
    const node = await decodeImage(join(FIXTURES, 'astronaut.png'), LIMITS);
    let nodeSum = 0;
    for (const v of node.data) nodeSum += v;
    for (const [k, v] of Object.entries(res)) {
      expect({ k, w: v.w, h: v.h, c: v.c }).toEqual({ k, w: 512, h: 512, c: 3 });
      // A lossless PNG: the browser's pixels are sharp's, give or take colour management rounding.
      expect(Math.abs(v.sum - nodeSum) / (512 * 512 * 3), k).toBeLessThan(0.5);
    }
  });

  it('applies EXIF orientation like the Node decoder', async () => {
    // Pixels stored landscape, EXIF says rotate 90° clockwise (orientation 6).
    const stored = await sharp(join(FIXTURES, 'grace_hopper.jpg')).resize(120, 100, { fit: 'fill' }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const node = await decodeImage(stored, LIMITS);
    const web = await demo().page.evaluate(async (b64) => {
      const { decodeImage } = (window as unknown as { reuniteDemo: { module: typeof import('../../src/web.js') } }).reuniteDemo.module;
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const r = await decodeImage(new Blob([bytes], { type: 'image/jpeg' }), { maxPixels: 1e8, maxBytes: 1e8 });
      return { w: r.width, h: r.height, data: Array.from(r.data) };
    }, stored.toString('base64'));
    expect([web.w, web.h]).toEqual([node.width, node.height]);
    expect([node.width, node.height]).toEqual([100, 120]);
    let diff = 0;
    for (let i = 0; i < web.data.length; i++) diff += Math.abs(web.data[i]! - node.data[i]!);
    // Two JPEG decoders (libjpeg-turbo in both, different upsampling): a few levels apart, not rotated.
    expect(diff / web.data.length).toBeLessThan(4);
  });

  it('refuses bad and oversized inputs with the Node error codes', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#777' } }).png().toBuffer();
    const codes = await demo().page.evaluate(async (b64) => {
      const { decodeImage } = (window as unknown as { reuniteDemo: { module: typeof import('../../src/web.js') } }).reuniteDemo.module;
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const big = { maxPixels: 1e8, maxBytes: 1e8 };
      const cases: [string, unknown, { maxPixels: number; maxBytes: number }][] = [
        ['empty', new Blob([]), big],
        ['svg', new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'], { type: 'image/svg+xml' }), big],
        ['svg-untyped', new Blob(['<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>']), big],
        ['garbage', new Blob([new Uint8Array(100).fill(7)]), big],
        ['bytes-limit', new Blob([bytes]), { maxPixels: 1e8, maxBytes: 10 }],
        ['pixel-limit', new Blob([bytes]), { maxPixels: 300 * 200 - 1, maxBytes: 1e8 }],
        ['rawimage-short', { data: new Uint8Array(10), width: 10, height: 10, channels: 3 }, big],
        ['number', 42, big],
      ];
      const out: Record<string, string> = {};
      for (const [name, input, limits] of cases) {
        try {
          await decodeImage(input as Blob, limits);
          out[name] = 'ok';
        } catch (e) {
          out[name] = (e as { code?: string }).code ?? `not a MatcherError: ${String(e)}`;
        }
      }
      return out;
    }, png.toString('base64'));
    expect(codes).toEqual({
      empty: 'IMAGE_EMPTY',
      svg: 'UNSUPPORTED_FORMAT',
      'svg-untyped': 'UNSUPPORTED_FORMAT',
      garbage: 'IMAGE_DECODE_FAILED',
      'bytes-limit': 'INPUT_TOO_LARGE',
      'pixel-limit': 'IMAGE_TOO_LARGE',
      'rawimage-short': 'INVALID_IMAGE',
      number: 'INVALID_IMAGE',
    });
  });

  it('runs in a module Worker, with the same result as the page', async () => {
    const res = await demo().page.evaluate(async () => {
      const origin = location.origin;
      const src = `
        import { Matcher } from '${origin}/dist/web.js';
        self.onmessage = async (e) => {
          try {
            // A blob: worker has no folder to resolve './models/' against: absolute URLs.
            const m = await Matcher.create({ modelBaseUrl: '${origin}/models/', wasmPaths: '${origin}/ort/' });
            const faces = await m.embed(e.data);
            postMessage({ box: faces[0].face.box, embedding: Array.from(faces[0].embedding) });
            await m.dispose();
          } catch (err) {
            postMessage({ error: (err.code ?? '') + ' ' + err.message });
          }
        };`;
      const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
      const blob = await (await fetch('/fixtures/grace_hopper.jpg')).blob();
      const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
      const inWorker = await new Promise<{ box?: unknown; embedding?: number[]; error?: string }>((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => resolve({ error: e.message });
        worker.postMessage(bitmap, [bitmap]);
      });
      worker.terminate();
      type M = { embed(x: unknown): Promise<{ face: { box: unknown }; embedding: Float32Array }[]> };
      const m = await (window as unknown as { reuniteDemo: { ready: Promise<M> } }).reuniteDemo.ready;
      const inPage = (await m.embed(blob))[0]!;
      return { inWorker, inPage: { box: inPage.face.box, embedding: Array.from(inPage.embedding) } };
    });
    expect(res.inWorker.error).toBeUndefined();
    expect(res.inWorker.box).toEqual(res.inPage.box);
    const a = res.inWorker.embedding!;
    const b = res.inPage.embedding;
    let dot = 0;
    for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
    expect(dot).toBeGreaterThan(0.9999);
    expect(demo().consoleErrors).toEqual([]);
    expect(demo().external).toEqual([]);
  });
});
