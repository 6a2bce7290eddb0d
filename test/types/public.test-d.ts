/** What a user of the published package sees: the plug-in interfaces and typed options, nothing internal. */
import { describe, expectTypeOf, it } from 'vitest';
import {
  Matcher,
  type Embedder,
  type EmbedderOption,
  type HnswIndexOptions,
  type Index,
  type IndexOption,
  type MatcherError,
  type MatcherOptions,
  type OnnxEmbedderOptions,
  type PgvectorIndexOptions,
  type SqlClient,
  type FaceQualityIssue,
  type UserModelManifest,
} from 'reunite-face';

declare const myEmbedder: Embedder;
declare const myIndex: Index;
declare const client: SqlClient;
declare const manifest: UserModelManifest;

describe('published types', () => {
  it('Matcher.create takes user objects, user ONNX models and per-module typed options', () => {
    expectTypeOf(Matcher.create).toBeCallableWith({ embedder: myEmbedder, index: myIndex, threshold: 0.4 });
    expectTypeOf(Matcher.create).toBeCallableWith({ embedder: { name: 'onnx', model: 'my.onnx', manifest } });
    expectTypeOf(Matcher.create).toBeCallableWith({ detector: { name: 'ultraface', minFaceSize: 20 }, index: { name: 'pgvector', client } });
    expectTypeOf(Matcher.create).toBeCallableWith({ index: { name: 'hnsw', M: 32, efSearch: 'auto' } });
    expectTypeOf<OnnxEmbedderOptions>().toMatchTypeOf<EmbedderOption>();
    expectTypeOf<HnswIndexOptions & { name: 'hnsw' }>().toMatchTypeOf<IndexOption>();
    expectTypeOf<PgvectorIndexOptions['client']>().toEqualTypeOf<SqlClient>();
    expectTypeOf<MatcherError['field']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<FaceQualityIssue>().toEqualTypeOf<'small' | 'blurred' | 'turned'>();
  });

  it('refuses unknown module names and options of another module', () => {
    // @ts-expect-error no detector is called 'nope'
    void Matcher.create({ detector: 'nope' });
    // @ts-expect-error 'quantize' is a flat index option, not an hnsw one
    void Matcher.create({ index: { name: 'hnsw', quantize: 'int8' } });
    // @ts-expect-error an embedder object needs modelId, inputSize, embed and dispose
    void Matcher.create({ embedder: { name: 'x', embed: async () => [] } });
    expectTypeOf<MatcherOptions>().not.toHaveProperty('registry');
  });
});

// Internals are not exported.
// @ts-expect-error Platform is internal
import type { Platform } from 'reunite-face';
// @ts-expect-error Registry is internal
import type { Registry } from 'reunite-face';
// @ts-expect-error Parts is internal
import type { Parts } from 'reunite-face';
// @ts-expect-error the options schema is internal
import { matcherOptionsSchema } from 'reunite-face';
// @ts-expect-error implementation classes are internal
import { FlatIndex } from 'reunite-face';
export type Unused = [Platform, Registry, Parts, typeof matcherOptionsSchema, typeof FlatIndex];
