/**
 * `Matcher.create`'s options: the published types (plain interfaces) and the schema that
 * validates them at run time (internal; the check at the end keeps the two in step).
 */
import { z } from 'zod';
import type { AlignerOption, DetectorOption, EmbedderOption, IndexOption, Precision } from './modules/options.js';
import { moduleOptionSchema } from './modules/registry.js';

export interface Limits {
  /** Decoded pixels above this are refused before decoding (decompression bombs). Default 100,000,000. */
  maxPixels: number;
  /** Encoded input bytes above this are refused before decoding. Default 64 MiB. */
  maxBytes: number;
  /** Faces kept per photo (largest first); a crowd photo beyond this is truncated, not refused. Default 64. */
  maxFaces: number;
  /** One call (detect/embed/identify...) taking longer than this fails with TIMEOUT; 0 = none. Default 120,000. */
  timeoutMs: number;
}

export interface MatcherOptions {
  /** Model variant for modules that do not name one. Default 'fp32'. */
  precision?: Precision;
  /** ONNX Runtime intra-op threads per session; 0 = runtime default (all cores). */
  threads?: number;
  /** Default 'ultraface'. */
  detector?: DetectorOption;
  /** Default 'landmarks68'. */
  aligner?: AlignerOption;
  /** Default 'mobilefacenet'. A user's embedder has no shipped calibration: pass `threshold`. */
  embedder?: EmbedderOption;
  /** Default 'flat'. */
  index?: IndexOption;
  /**
   * Cosine score at and above which `verify` says match and `identify` marks a candidate
   * `match: true` (identify still returns the top k below it; `minScore` drops candidates).
   * Default: the embedder's LFW threshold at a false-match rate of 1e-3.
   */
  threshold?: number;
  limits?: Partial<Limits>;
}

/** The options with defaults filled in (`matcher.options`). */
export interface ResolvedMatcherOptions {
  precision: Precision;
  threads: number;
  detector: DetectorOption;
  aligner: AlignerOption;
  embedder: EmbedderOption;
  index: IndexOption;
  threshold?: number;
  limits: Limits;
}

export const limitsSchema = z
  .object({
    maxPixels: z.number().int().positive().default(100_000_000),
    maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
    maxFaces: z.number().int().positive().default(64),
    timeoutMs: z.number().int().min(0).default(120_000),
  })
  .strict();

export const matcherOptionsSchema = z
  .object({
    precision: z.enum(['fp32', 'int8', 'int8-weights']).default('fp32'),
    threads: z.number().int().min(0).max(64).default(0),
    detector: moduleOptionSchema('detector').default('ultraface'),
    aligner: moduleOptionSchema('aligner').default('landmarks68'),
    embedder: moduleOptionSchema('embedder').default('mobilefacenet'),
    index: moduleOptionSchema('index').default('flat'),
    threshold: z.number().min(-1).max(1).optional(),
    limits: limitsSchema.default(() => limitsSchema.parse({})),
  })
  .strict();

// The published types accept what the schema accepts (module options are checked per module).
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
type Plain<T> = Omit<T, 'detector' | 'aligner' | 'embedder' | 'index'>;
type OptionsMatchSchema = [
  Check<Mutual<Plain<MatcherOptions>, Plain<z.input<typeof matcherOptionsSchema>>>>,
  Check<Mutual<keyof MatcherOptions, keyof z.input<typeof matcherOptionsSchema>>>,
  Check<Mutual<Limits, z.output<typeof limitsSchema>>>,
];
