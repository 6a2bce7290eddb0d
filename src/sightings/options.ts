import { z } from 'zod';
import { COMBINE_METHODS } from '../core/combine-scores.js';

/**
 * Grouping options. The defaults are chosen from `npm run bench:sightings` (README,
 * "Sightings"): BCubed precision first, because two children in one group is worse than one
 * child in two groups.
 */
export const groupingOptionsSchema = z
  .object({
    /** Cosine two single photos need to be grouped (after the crowd correction). */
    pairThreshold: z.number().min(-1).max(1).default(0.52),
    /**
     * Mean cosine over all cross pairs two large groups need; in between, the threshold falls
     * with the square root of the groups' mean inverse size (see average-linkage.ts).
     */
    groupThreshold: z.number().min(-1).max(1).default(0.3),
    /**
     * How much a crowded neighbourhood raises the bar: scores are lowered by this times how far
     * the faces' crowd level (mean cosine to their 6th to k-th neighbours) is above
     * `crowdBaseline`. Children's faces crowd together for the embedder; 0 turns it off.
     */
    crowdWeight: z.number().min(0).max(2).default(1),
    /**
     * Crowd level from which the correction starts: a little above the mean crowd level of
     * adult photos (LFW, 0.31) with the shipped embedder, so most adults are not corrected.
     */
    crowdBaseline: z.number().min(-1).max(1).default(0.35),
    /** Neighbours per photo in the search graph. */
    k: z.number().int().min(1).max(200).default(20),
    /**
     * A face of a group of 3 or more is flagged `outlier` when its mean cosine to the rest of
     * the group (crowd-corrected) is less than this above what a single photo needs to join a
     * group that size: the faces held most loosely, for a reviewer to look at first.
     */
    outlierMargin: z.number().min(-1).max(1).default(0.05),
  })
  .strict()
  .refine((o) => o.groupThreshold <= o.pairThreshold, { message: 'groupThreshold must not exceed pairThreshold' });

/** How sightings are grouped (src/sightings/options.ts gives each field's meaning and default). */
export interface GroupingOptions {
  pairThreshold?: number;
  groupThreshold?: number;
  crowdWeight?: number;
  crowdBaseline?: number;
  k?: number;
  outlierMargin?: number;
}
// The published interface is the schema's input (compile-time check).
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
type GroupingMatchesSchema = [Check<Mutual<GroupingOptions, z.input<typeof groupingOptionsSchema>>>, Check<Mutual<ResolvedGroupingOptions, z.output<typeof groupingOptionsSchema>>>, Check<Mutual<keyof GroupingOptions, keyof z.input<typeof groupingOptionsSchema>>>];
export type ResolvedGroupingOptions = Required<GroupingOptions>;

export const DEFAULT_GROUPING: ResolvedGroupingOptions = groupingOptionsSchema.parse({});

export const identifyGroupOptionsSchema = z
  .object({
    k: z.number().int().min(1).max(1000).default(5),
    /**
     * How the group's faces are combined (see combine-scores.ts). 'quality-weighted' ranked as
     * well as the best alternative on lag-dev both ways, and unlike 'best' it does not raise
     * the false-match rate above a single photo's (README, "Sightings").
     */
    combine: z.enum(COMBINE_METHODS).default('quality-weighted'),
  })
  .strict();
