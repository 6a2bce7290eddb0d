import type { Face, RawImage } from '../core/types.js';

export interface DetectOptions {
  /** Smallest face side (pixels of the input) the detector must find; smaller means more tiles on large photos. */
  minFaceSize?: number;
  /**
   * Filled with where the time went (ms, added to any values already there) and how many
   * detector calls ran, for benchmarks; stage names are the detector's own.
   */
  stages?: Record<string, number>;
}

/** Finds faces: boxes and scores (landmarks are the aligner's job). */
export interface Detector {
  readonly name: string;
  detect(img: RawImage, options?: DetectOptions): Promise<Omit<Face, 'landmarks'>[]>;
  dispose(): Promise<void>;
}
