/** Flags several commands share, and how they become Matcher options. */
import type { NodeMatcherOptions } from '../node.js';
import { type FlagValues, type OptionSpec, UsageError, str } from './command.js';

export const PRECISIONS = ['fp32', 'int8', 'int8-weights'] as const;

export const matcherFlags = {
  precision: { type: 'string' },
  crop: { type: 'boolean' },
} satisfies OptionSpec;

export const PRECISION_ONLY_HELP = '  --precision P         model variant: fp32 (default), int8, int8-weights';
export const MATCHER_HELP = `${PRECISION_ONLY_HELP}
  --crop                photos may be tight face crops: when no face is found, use the whole photo`;

export function matcherOptions(values: FlagValues): NodeMatcherOptions {
  const p = str(values, 'precision');
  if (p === undefined) return {};
  if (!(PRECISIONS as readonly string[]).includes(p)) throw new UsageError(`--precision must be one of ${PRECISIONS.join(', ')} (got "${p}")`);
  return { precision: p as (typeof PRECISIONS)[number] };
}
