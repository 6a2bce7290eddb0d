/** Everything both entries (node, web) export besides their Matcher. */
export { MatcherError, isMatcherError, ERROR_CODES, type MatcherErrorCode } from './core/errors.js';
export type { RawImage, Face, Box, Point } from './core/types.js';
export type * from './matcher/types.js';
export { BaseMatcher } from './matcher.js';
export type { MatcherOptions } from './options.js';
export { matcherOptionsSchema } from './options.js';
export type { Detector } from './detectors/detector.js';
export type { Aligner, Alignment } from './aligners/aligner.js';
export type { Embedder } from './embedders/embedder.js';
export { cosine } from './core/vectors.js';
export type { Index, IndexEntry, IndexHit, Metadata, MetadataFilter } from './indexes/index.js';
export type { ModelEntry, Manifest } from './core/manifest.js';
export type { Calibration } from './core/platform.js';
