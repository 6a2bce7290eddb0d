/**
 * Face crops for the report: a square around the face box with some margin, 112 px, JPEG, as
 * a data: URL (the report embeds it; nothing is written beside it). EXIF orientation is
 * applied first, as the matcher does, so the box lands on the face.
 */
import sharp from 'sharp';
import type { Box } from '../node.js';

export const CROP_SIZE = 112;

/** The square to cut: the box grown by `margin` of its size on each side, kept inside the photo. */
export function cropRect(box: Box, width: number, height: number, margin = 0.25): { left: number; top: number; width: number; height: number } {
  const side = Math.min(Math.max(box.width, box.height) * (1 + 2 * margin), width, height);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const left = Math.round(Math.min(Math.max(0, cx - side / 2), width - side));
  const top = Math.round(Math.min(Math.max(0, cy - side / 2), height - side));
  const s = Math.max(1, Math.min(Math.round(side), width - left, height - top));
  return { left, top, width: s, height: s };
}

export async function faceCrop(input: string | Uint8Array, box: Box): Promise<string> {
  const meta = await sharp(input).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const w = (turned ? meta.height : meta.width) ?? 0;
  const h = (turned ? meta.width : meta.height) ?? 0;
  const jpeg = await sharp(input)
    .rotate()
    .extract(cropRect(box, w, h))
    .resize(CROP_SIZE, CROP_SIZE, { fit: 'fill' })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 82 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}
