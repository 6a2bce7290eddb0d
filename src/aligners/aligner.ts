import type { Box, Point, RawImage } from '../core/types.js';

export interface Alignment {
  /** 5 points in image pixels: left eye, right eye, nose tip, left and right mouth corner. */
  landmarks: Point[];
  /** The face warped onto the embedder's template (RGB). */
  aligned: RawImage;
}

/** Locates landmarks inside a detected box and warps the face to a canonical crop. */
export interface Aligner {
  readonly name: string;
  align(img: RawImage, box: Box, size: number): Promise<Alignment>;
  dispose(): Promise<void>;
}
