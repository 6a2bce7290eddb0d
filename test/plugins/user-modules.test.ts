/**
 * The public plug-in API from a user's side: objects implementing Embedder and Index, and a
 * user's ONNX model with its manifest, all through Matcher.create.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Matcher, cosine, isMatcherError, type Embedder, type Index, type Manifest, type MatcherError, type UserModelManifest } from '../../src/node.js';
import { FIXTURES } from '../helpers/data.js';
import { tinyEmbedder, tinyIndex } from './tiny-modules.js';

const astro = join(FIXTURES, 'astronaut.png');
const grace = join(FIXTURES, 'grace_hopper.jpg');
const MODELS = new URL('../../models/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', MODELS), 'utf8')) as Manifest;
const entryOf = (id: string, precision: string) => manifest.models.find((m) => m.id === id && m.precision === precision)!;
const modelPath = (id: string, precision: string) => new URL(entryOf(id, precision).file, MODELS);

async function refusal(p: Promise<unknown>): Promise<MatcherError> {
  const e = await p.then(
    (m) => {
      void (m as Matcher).dispose();
      throw new Error('not refused');
    },
    (x: unknown) => x,
  );
  expect(isMatcherError(e)).toBe(true);
  return e as MatcherError;
}

describe('user modules as objects', () => {
  it('a JS embedder and a JS index run enroll, identify, save and load; the matcher disposes them', async () => {
    const log: string[] = [];
    const embedder: Embedder = tinyEmbedder(log);
    const index: Index = tinyIndex(64, log);
    const m = await Matcher.create({ embedder, index, threshold: 0.9 });
    expect(m.embedderId).toEqual({ id: 'tiny-grey@1', sha256: 'ab'.repeat(32), dim: 64 });
    await m.enroll('collins', astro, { metadata: { region: 'north' } });
    await m.enroll('hopper', grace);
    expect(await index.size()).toBe(2);
    const [face] = await m.identify(grace);
    expect(face!.candidates[0]).toMatchObject({ subjectId: 'hopper', match: true });
    expect(face!.candidates[0]!.score).toBeCloseTo(1, 5);
    expect(log).toContain('add 1');
    expect(log).toContain('search');
    const bytes = await m.save();
    await m.dispose();
    expect(log.slice(-2).sort()).toEqual(['embedder disposed', 'index disposed']);

    // A gallery of the tiny embedder's vectors is never mixed into the shipped embedder's.
    expect((await refusal(Matcher.load(bytes))).code).toBe('GALLERY_MODEL_MISMATCH');
    const again = await Matcher.load(bytes, { embedder: tinyEmbedder(), index: tinyIndex(64), threshold: 0.9 });
    expect(again.size).toEqual({ subjects: 2, templates: 2 });
    expect((await again.identify(astro))[0]!.candidates[0]!.subjectId).toBe('collins');
    await again.dispose();
  });

  it('refuses objects that do not keep the contract, naming the field', async () => {
    const noHash = { ...tinyEmbedder(), modelId: { id: 'x', sha256: 'nope', dim: 64 } };
    expect(await refusal(Matcher.create({ embedder: noHash, threshold: 0.5 }))).toMatchObject({ code: 'INVALID_OPTIONS', field: 'embedder.modelId.sha256' });
    expect(await refusal(Matcher.create({ embedder: tinyEmbedder(), index: tinyIndex(32), threshold: 0.5 }))).toMatchObject({ code: 'INVALID_OPTIONS', field: 'index.dim' });
    const short = { ...tinyEmbedder(), embed: async () => [new Float32Array(3)] };
    const m = await Matcher.create({ embedder: short, threshold: 0.5 });
    expect(await m.embed(astro).catch((e: unknown) => (e as MatcherError).code)).toBe('INFERENCE_FAILED');
    await m.dispose();
  });
});

describe('a user ONNX model with its manifest', () => {
  const int8 = entryOf('mobilefacenet', 'int8');
  const mine: UserModelManifest = { ...int8, id: 'my-embedder' };

  it('runs like the shipped model: same embeddings as the int8 embedder, under the user id', async () => {
    const user = await Matcher.create({ embedder: { name: 'onnx', model: modelPath('mobilefacenet', 'int8'), manifest: mine }, threshold: 0.3 });
    // The bare model: the shipped embedder's map (its default) is not part of a user's model.
    const shipped = await Matcher.create({ embedder: { name: 'mobilefacenet', precision: 'int8', map: 'none' } });
    try {
      expect(user.embedderId).toEqual({ id: 'my-embedder@int8', sha256: int8.sha256, dim: 512 });
      const [a] = await user.embed(astro);
      const [b] = await shipped.embed(astro);
      expect(cosine(a!.embedding, b!.embedding)).toBeGreaterThan(0.99999);
      // Bytes work as well as a path.
      const fromBytes = await Matcher.create({ embedder: { name: 'onnx', model: readFileSync(modelPath('mobilefacenet', 'int8')), manifest: mine }, threshold: 0.3 });
      expect(fromBytes.embedderId).toEqual(user.embedderId);
      await fromBytes.dispose();
    } finally {
      await Promise.all([user.dispose(), shipped.dispose()]);
    }
  });

  it('a user detector model (UltraFace outputs) finds the same face as the shipped one', async () => {
    const detector = { name: 'onnx' as const, model: modelPath('ultraface', 'int8'), manifest: { ...entryOf('ultraface', 'int8'), id: 'my-detector' } };
    const user = await Matcher.create({ detector });
    const shipped = await Matcher.create({ detector: { name: 'ultraface', precision: 'int8' } });
    try {
      const [a] = await user.detect(astro);
      const [b] = await shipped.detect(astro);
      expect(a!.box).toEqual(b!.box);
    } finally {
      await Promise.all([user.dispose(), shipped.dispose()]);
    }
  });

  it('refuses a wrong sha256 and a manifest that does not match the model, naming the field', async () => {
    const model = modelPath('mobilefacenet', 'int8');
    const cases: [Partial<UserModelManifest>, string, string][] = [
      [{ sha256: 'f'.repeat(64) }, 'MODEL_CHECKSUM_MISMATCH', 'embedder.manifest.sha256'],
      [{ sha256: 'F00' }, 'MODEL_MANIFEST_INVALID', 'embedder.manifest.sha256'],
      [{ input: { ...int8.input, name: 'data' } }, 'MODEL_MANIFEST_INVALID', 'embedder.manifest.input.name'],
      [{ input: { ...int8.input, shape: [-1, 3, 128, 128] } }, 'MODEL_MANIFEST_INVALID', 'embedder.manifest.input.shape'],
      [{ input: { ...int8.input, color: 'GRAY' } }, 'MODEL_MANIFEST_INVALID', 'embedder.manifest.input.color'],
      [{ dim: 256 }, 'MODEL_MANIFEST_INVALID', 'embedder.manifest.dim'],
      [{ outputs: ['embedding'] }, 'MODEL_MANIFEST_INVALID', 'embedder.manifest.outputs'],
    ];
    for (const [change, code, field] of cases) {
      const e = await refusal(Matcher.create({ embedder: { name: 'onnx', model, manifest: { ...mine, ...change } }, threshold: 0.3 }));
      expect({ code: e.code, field: e.field }, JSON.stringify(change)).toEqual({ code, field });
      expect(e.message).toContain(field.replace(/^embedder\./, ''));
    }
    const missing = await refusal(Matcher.create({ embedder: { name: 'onnx', model: join(FIXTURES, 'no-such.onnx'), manifest: mine }, threshold: 0.3 }));
    expect(missing.code).toBe('FILE_NOT_FOUND');
  });
});
