import type { ImageOps } from '../core/image-ops.js';
import type { RawImage } from '../core/types.js';
import { toRGB } from '../core/image.js';
import { has, pixelsOf } from './web-decode.js';

/**
 * Resizing by the browser's own scaler (createImageBitmap with resizeWidth/Height, 'medium'
 * quality: mipmapped, so a large shrink is averaged, not aliased), several times faster than
 * the JS filter on a 12-megapixel photo. Undefined where the browser lacks it: the JS filter
 * is used instead.
 */
export function webImageOps(): ImageOps | undefined {
  if (!has('createImageBitmap') || !has('ImageData') || !(has('OffscreenCanvas') || has('document'))) return undefined;
  return {
    async resize(img: RawImage, width: number, height: number): Promise<RawImage> {
      const src = toRGB(img);
      const n = src.width * src.height;
      const rgba = new Uint8ClampedArray(n * 4);
      const d = src.data;
      for (let i = 0, p = 0, q = 0; i < n; i++, p += 3, q += 4) {
        rgba[q] = d[p]!;
        rgba[q + 1] = d[p + 1]!;
        rgba[q + 2] = d[p + 2]!;
        rgba[q + 3] = 255;
      }
      const bitmap = await createImageBitmap(new ImageData(rgba, src.width, src.height), { resizeWidth: width, resizeHeight: height, resizeQuality: 'medium' });
      try {
        return toRGB(pixelsOf(bitmap, width, height));
      } finally {
        bitmap.close();
      }
    },
  };
}
