import type { RawImage } from './types.js';

/**
 * Pixel operations a platform may do natively (Node: libvips through sharp); modules fall
 * back to the JS versions in image.ts, which the browser uses.
 */
export interface ImageOps {
  /** Resizes packed RGB with a triangle filter widened when shrinking (as resizeRGB). */
  resize(img: RawImage, width: number, height: number): RawImage | Promise<RawImage>;
}
