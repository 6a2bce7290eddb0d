/**
 * Everything both entries (node, web) export besides their Matcher: the calls' shapes, the
 * module interfaces a user implements to plug in their own (docs/plugins.md) and the typed
 * options. Implementation classes, schemas and the platform layer stay inside.
 */
export { MatcherError, isMatcherError, ERROR_CODES, type MatcherErrorCode } from './core/errors.js';
export type { RawImage, Face, Box, Point, FaceQuality, FaceQualityIssue } from './core/types.js';
export type * from './matcher/types.js';
export type { BaseMatcher } from './matcher.js';
export type { MatcherOptions, ResolvedMatcherOptions, Limits } from './options.js';
export type * from './modules/options.js';
export type { Detector, DetectOptions } from './detectors/detector.js';
export type { Aligner, Alignment } from './aligners/aligner.js';
export type { Embedder } from './embedders/embedder.js';
export { cosine } from './core/vectors.js';
export type { Index, IndexEntry, IndexHit, Metadata, MetadataFilter, SearchOptions } from './indexes/index.js';
export type { ModelEntry, ModelInput, Manifest } from './core/manifest.js';
export type { Calibration, DecodeLimits } from './core/platform.js';
export type { EmbedderId, GalleryState, GalleryTemplate } from './gallery/format.js';
export { applyEmbeddingMap, type EmbeddingMap } from './core/embedding-map.js';
