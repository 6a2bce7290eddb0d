import sharp from 'sharp';

export interface Degraded {
  name: string;
  bytes: Uint8Array;
}

/** The street-photo degradations the demo checks: smaller, tilted, compressed, small inside a scene. */
export async function degradedCopies(source: string): Promise<Degraded[]> {
  const meta = await sharp(source).metadata();
  const w = meta.width ?? 512;
  const out: Degraded[] = [];
  out.push({ name: 'scaled to 40%', bytes: await sharp(source).resize(Math.round(w * 0.4)).png().toBuffer() });
  out.push({
    name: 'rotated 20 degrees',
    bytes: await sharp(source).rotate(20, { background: '#808080' }).png().toBuffer(),
  });
  out.push({ name: 'JPEG quality 30', bytes: await sharp(source).jpeg({ quality: 30 }).toBuffer() });
  const small = await sharp(source).resize(Math.round(w * 0.35)).png().toBuffer();
  out.push({
    name: 'small inside a 1920x1080 scene',
    bytes: await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#5a6b4c' } })
      .composite([{ input: small, left: 1300, top: 600 }])
      .jpeg({ quality: 85 })
      .toBuffer(),
  });
  return out;
}
