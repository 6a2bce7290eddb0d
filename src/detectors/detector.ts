import type { Face, RawImage } from '../core/types.js';

export interface DetectOptions {
  /** Smallest face side (pixels of the input) the detector must find; smaller means more tiles on large photos. */
  minFaceSize?: number;
}

/** Finds faces: boxes and scores (landmarks are the aligner's job). */
export interface Detector {
  readonly name: string;
  detect(img: RawImage, options?: DetectOptions): Promise<Omit<Face, 'landmarks'>[]>;
  dispose(): Promise<void>;
}
