import { z } from 'zod';
import { MatcherError } from '../core/errors.js';
import { formatZodError } from '../core/zod-error.js';
import type { ProgressCallback } from './web-models.js';

const urlLike = z.union([z.string().min(1), z.custom<URL>((v) => typeof URL !== 'undefined' && v instanceof URL, 'expected a URL')]);

/** The browser-only options of `Matcher.create`; the rest go to the shared matcher schema. */
export const webOptionsSchema = z.object({
  modelBaseUrl: urlLike.default('./models/'),
  wasmPaths: urlLike.default('./ort/'),
  onProgress: z.custom<ProgressCallback>((v) => typeof v === 'function', 'expected a function').optional(),
  cache: z.boolean().default(true),
  executionProviders: z.array(z.enum(['wasm', 'webgpu'])).min(1, 'expected at least one of wasm, webgpu').default(['wasm']),
  allowCrossOrigin: z.boolean().default(false),
});

export type WebOnlyOptions = z.input<typeof webOptionsSchema>;
export const WEB_OPTION_KEYS = Object.keys(webOptionsSchema.shape) as (keyof WebOnlyOptions)[];

/** Splits `Matcher.create`'s options into the validated browser-only ones and the shared rest. */
export function splitWebOptions<T extends Record<string, unknown>>(options: T): { web: z.output<typeof webOptionsSchema>; rest: Omit<T, keyof WebOnlyOptions> } {
  const picked: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if ((WEB_OPTION_KEYS as string[]).includes(k)) {
      if (v !== undefined) picked[k] = v;
    } else rest[k] = v;
  }
  const parsed = webOptionsSchema.safeParse(picked);
  if (!parsed.success) throw new MatcherError('INVALID_OPTIONS', `Matcher options: ${formatZodError(parsed.error)}`);
  return { web: parsed.data, rest: rest as Omit<T, keyof WebOnlyOptions> };
}
