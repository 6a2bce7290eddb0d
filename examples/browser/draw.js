/** Canvas helpers: RawImage crops, photos with their face boxes. */

/** A canvas showing an RGB(A) RawImage at its own size (CSS scales it). */
export function rawToCanvas(raw) {
  const c = document.createElement('canvas');
  c.width = raw.width;
  c.height = raw.height;
  const rgba = new Uint8ClampedArray(raw.width * raw.height * 4);
  const ch = raw.channels;
  for (let i = 0, n = raw.width * raw.height; i < n; i++) {
    const s = i * ch;
    rgba[i * 4] = raw.data[s];
    rgba[i * 4 + 1] = raw.data[ch >= 3 ? s + 1 : s];
    rgba[i * 4 + 2] = raw.data[ch >= 3 ? s + 2 : s];
    rgba[i * 4 + 3] = 255;
  }
  c.getContext('2d').putImageData(new ImageData(rgba, raw.width, raw.height), 0, 0);
  return c;
}

/**
 * Draws the photo (EXIF orientation applied, like the matcher's decoder, so boxes line up)
 * with a numbered box per face: green when the best candidate is a match.
 */
export async function drawPhoto(canvas, file, results) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const line = Math.max(2, Math.round(Math.max(canvas.width, canvas.height) / 300));
  ctx.lineWidth = line;
  ctx.font = `${line * 8}px system-ui, sans-serif`;
  results.forEach((r, i) => {
    const { x, y, width, height } = r.face.box;
    const color = r.candidates[0]?.match ? '#12a150' : '#f0a020';
    ctx.strokeStyle = color;
    ctx.strokeRect(x, y, width, height);
    ctx.fillStyle = color;
    ctx.fillText(String(i + 1), x + line * 2, y - line * 2 > line * 8 ? y - line * 2 : y + line * 9);
    for (const [px, py] of r.face.landmarks) {
      ctx.beginPath();
      ctx.arc(px, py, line, 0, Math.PI * 2);
      ctx.fill();
    }
  });
}
