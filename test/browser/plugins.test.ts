/**
 * The plug-in API in Chromium (dist/web.js, onnxruntime-web): the same tiny JS embedder and
 * index as the Node test, and a user's ONNX model fetched by URL with its manifest (wrong
 * sha256 and a mismatched manifest refused with the field named).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/node.js';
import { tinyEmbedder, tinyIndex } from '../plugins/tiny-modules.js';
import { ROOT, hasChromium, useReadyDemo } from './harness.js';

type WebModule = typeof import('../../src/web.js');

describe.skipIf(!hasChromium())('user modules in the browser', () => {
  const demo = useReadyDemo();

  it('a JS embedder and a JS index run enroll and identify through Matcher.create', async () => {
    // The modules' own source, as compiled for this test: they import nothing.
    const sources = { embedder: tinyEmbedder.toString(), index: tinyIndex.toString() };
    const res = await demo().page.evaluate(async (src) => {
      const make = (code: string) => new Function('__name', `return (${code})`)((f: unknown) => f) as (...a: unknown[]) => unknown;
      const { Matcher } = (window as unknown as { reuniteDemo: { module: WebModule } }).reuniteDemo.module;
      const log: string[] = [];
      const embedder = make(src.embedder)(log) as import('../../src/web.js').Embedder;
      const index = make(src.index)(64, log) as import('../../src/web.js').Index;
      const m = await Matcher.create({ embedder, index, threshold: 0.9 });
      const photo = async (f: string) => (await fetch(`/fixtures/${f}`)).blob();
      await m.enroll('collins', await photo('astronaut.png'));
      await m.enroll('hopper', await photo('grace_hopper.jpg'));
      const [face] = await m.identify(await photo('grace_hopper.jpg'));
      const out = { embedderId: m.embedderId.id, size: await index.size(), top: face!.candidates[0]!, log: [...log] };
      await m.dispose();
      return { ...out, disposed: log.slice(-2).sort() };
    }, sources);
    expect(res.embedderId).toBe('tiny-grey@1');
    expect(res.size).toBe(2);
    expect(res.top).toMatchObject({ subjectId: 'hopper', match: true });
    expect(res.log).toContain('search');
    expect(res.disposed).toEqual(['embedder disposed', 'index disposed']);
  });

  it('a user ONNX embedder by URL with its manifest; wrong sha256 and mismatched manifest refused', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'models', 'manifest.json'), 'utf8')) as Manifest;
    const entry = { ...manifest.models.find((m) => m.id === 'mobilefacenet' && m.precision === 'int8')!, id: 'my-embedder' };
    const res = await demo().page.evaluate(async (entry) => {
      const { Matcher } = (window as unknown as { reuniteDemo: { module: WebModule } }).reuniteDemo.module;
      const model = `/models/${entry.file}`;
      const m = await Matcher.create({ embedder: { name: 'onnx', model, manifest: entry }, threshold: 0.3 });
      const faces = await m.embed(await (await fetch('/fixtures/astronaut.png')).blob());
      const id = m.embedderId;
      await m.dispose();
      const refused = async (manifest: unknown) => {
        try {
          await (await Matcher.create({ embedder: { name: 'onnx', model, manifest: manifest as typeof entry }, threshold: 0.3 })).dispose();
          return null;
        } catch (e) {
          return { code: (e as { code?: string }).code, field: (e as { field?: string }).field };
        }
      };
      return {
        id,
        faces: faces.length,
        dim: faces[0]?.embedding.length,
        wrongSha: await refused({ ...entry, sha256: 'f'.repeat(64) }),
        wrongShape: await refused({ ...entry, input: { ...entry.input, shape: [-1, 3, 96, 96] } }),
      };
    }, entry);
    expect(res).toMatchObject({ id: { id: 'my-embedder@int8', sha256: entry.sha256, dim: 512 }, faces: 1, dim: 512 });
    expect(res.wrongSha).toEqual({ code: 'MODEL_CHECKSUM_MISMATCH', field: 'embedder.manifest.sha256' });
    expect(res.wrongShape).toEqual({ code: 'MODEL_MANIFEST_INVALID', field: 'embedder.manifest.input.shape' });
  });
});
