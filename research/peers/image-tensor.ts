/**
 * Image decoding for the peers: sharp to raw RGB, then a tfjs int32 tensor
 * [height, width, 3] (both libraries accept that and scale it themselves).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import sharp from 'sharp';

export type ImageInput = string | Uint8Array;

export async function decodeToTensor(tf: typeof tfTypes, input: ImageInput): Promise<tfTypes.Tensor3D> {
  // .rotate() applies EXIF orientation, as a photo viewer would show the picture.
  const { data, info } = await sharp(input).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({
    resolveWithObject: true,
  });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.length), [info.height, info.width, 3], 'int32');
}

/**
 * A 1920x1080 JPEG made in memory: `photo` scaled to fit 60% of the canvas
 * height, centred on mid-grey, so timings include a realistic large decode
 * and a face occupying a small part of the frame.
 */
export async function makeFullHdPhoto(photo: string): Promise<Buffer> {
  const width = 1920;
  const height = 1080;
  const inner = await sharp(photo).rotate().resize({ height: Math.round(height * 0.6) }).toBuffer({
    resolveWithObject: true,
  });
  return sharp({ create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite([
      {
        input: inner.data,
        left: Math.round((width - inner.info.width) / 2),
        top: Math.round((height - inner.info.height) / 2),
      },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();
}
