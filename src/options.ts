import { z } from 'zod';
import { moduleSpecSchema } from './registry.js';

export const limitsSchema = z
  .object({
    /** Decoded pixels above this are refused before decoding (decompression bombs). */
    maxPixels: z.number().int().positive().default(100_000_000),
    /** Encoded input bytes above this are refused before decoding. */
    maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
    /** Faces kept per photo (largest first); a crowd photo beyond this is truncated, not refused. */
    maxFaces: z.number().int().positive().default(64),
    /** One call (detect/embed/identify...) taking longer than this fails with TIMEOUT; 0 = none. */
    timeoutMs: z.number().int().min(0).default(120_000),
  })
  .strict();

export const matcherOptionsSchema = z
  .object({
    /** Model variant for modules that do not name one. */
    precision: z.enum(['fp32', 'int8', 'int8-weights']).default('fp32'),
    /** ONNX Runtime intra-op threads per session; 0 = runtime default (all cores). */
    threads: z.number().int().min(0).max(64).default(0),
    detector: moduleSpecSchema.default('ultraface'),
    aligner: moduleSpecSchema.default('landmarks68'),
    embedder: moduleSpecSchema.default('mobilefacenet'),
    index: moduleSpecSchema.default('flat'),
    /**
     * Cosine score at and above which `verify` says match and `identify` marks a candidate
     * `match: true` (identify still returns the top k below it; `minScore` drops candidates).
     * Default: the embedder's LFW threshold at a false-match rate of 1e-3.
     */
    threshold: z.number().min(-1).max(1).optional(),
    limits: limitsSchema.default(() => limitsSchema.parse({})),
  })
  .strict();

export type MatcherOptions = z.input<typeof matcherOptionsSchema>;
export type ResolvedMatcherOptions = z.output<typeof matcherOptionsSchema>;
