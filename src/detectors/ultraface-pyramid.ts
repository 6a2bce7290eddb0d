/**
 * Where UltraFace looks in a photo: a pyramid of levels (the photo resized by `scale`), each
 * run in as few windows as memory allows. The graph is fully convolutional (see
 * ultraface-priors.ts), so a window can be a whole level: no tile overlap is computed twice
 * and no face is cut by a tile edge except between strips of very large levels.
 */

/** A detector call: `width` x `height` pixels of a level image from (x, y) (may start outside it: padded). */
export interface Window {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Level {
  scale: number;
  windows: Window[];
  /** Larger detections (photo pixels) are dropped: a coarser level covers them whole. */
  maxFace: number;
  /** Score a detection needs here to be looked at again by confirm(); unset: the detector threshold. */
  proposalThreshold?: number;
}

export interface PyramidSettings {
  /** The model's native input (the coarsest level letterboxes the photo into it). */
  inW: number;
  inH: number;
  /** Face side, in detector-input pixels, above which UltraFace finds faces reliably at its threshold. */
  reliableFacePx: number;
  /** Side the finest level gives a `minFace` face; below reliableFacePx, proposals + confirm() find it. */
  smallestFacePx: number;
  /** Ratio between the scales of neighbouring finer levels. */
  levelStep: number;
  /** Largest window, in pixels, run in one call; bigger levels are cut into overlapping strips. */
  maxWindowPixels: number;
  /**
   * Score a detection on a finer level needs to be looked at again (confirm() then asks for
   * the detector threshold): faces near the smallest prior score low in a whole-level pass
   * but clearly once centred and enlarged.
   */
  proposalThreshold: number;
}

/**
 * The pyramid for a photo: the whole photo letterboxed into the native input at s0 (as for
 * a portrait), then, when a `minFace` face would be smaller than `smallestFacePx` there,
 * finer levels from the scale that makes it exactly that size, each `levelStep` times
 * coarser than the one before, while still finer than s0. Finest level first. Levels where
 * a `minFace` face is below `reliableFacePx` propose at `proposalThreshold`.
 */
export function pyramid(width: number, height: number, minFace: number, p: PyramidSettings): Level[] {
  const s0 = Math.min(p.inW / width, p.inH / height);
  const coarse: Level = {
    scale: s0,
    windows: [{ x: Math.round((width * s0 - p.inW) / 2), y: Math.round((height * s0 - p.inH) / 2), width: p.inW, height: p.inH }],
    maxFace: Infinity,
    // A portrait's face is well above the reliable size: its single look stays exactly as it was.
    ...(minFace * s0 < p.reliableFacePx ? { proposalThreshold: p.proposalThreshold } : {}),
  };
  const sMax = p.smallestFacePx / minFace;
  const scales: number[] = [];
  // A level less than 1.25x finer than the next coarser one adds little: that one covers its faces.
  for (let s = sMax; s > s0 * 1.25; s /= p.levelStep) scales.push(s);
  const out: Level[] = scales.map((s, i) => {
    const coarser = scales[i + 1] ?? s0;
    // A face the coarser level sees at 1.5x its reliable size is left to it.
    const maxFace = (1.5 * p.reliableFacePx) / coarser;
    return {
      scale: s,
      windows: strips(Math.max(1, Math.round(width * s)), Math.max(1, Math.round(height * s)), maxFace * s, p.maxWindowPixels).map((w) => atLeast(w, p.inW, p.inH)),
      maxFace,
      proposalThreshold: p.proposalThreshold,
    };
  });
  out.push(coarse);
  return out;
}

/** Cuts a w x h level into horizontal strips of at most `maxPixels`, overlapping by more than its largest face. */
function strips(w: number, h: number, maxFacePx: number, maxPixels: number): Window[] {
  const overlap = Math.ceil(maxFacePx * 1.2);
  const heightOf = (n: number) => Math.ceil((h + (n - 1) * overlap) / n);
  let n = 1;
  // Past a strip of twice the overlap, more strips would only add overlap.
  while (w * heightOf(n) > maxPixels && heightOf(n + 1) > 2 * overlap) n++;
  if (n === 1) return [{ x: 0, y: 0, width: w, height: h }];
  const stripH = heightOf(n);
  return Array.from({ length: n }, (_, i) => ({ x: 0, y: Math.min(h - stripH, i * (stripH - overlap)), width: w, height: stripH }));
}

/** Widens a window narrower than the native input around its centre (padded): the network needs that much. */
function atLeast(win: Window, inW: number, inH: number): Window {
  const width = Math.max(win.width, inW);
  const height = Math.max(win.height, inH);
  return { x: win.x - Math.floor((width - win.width) / 2), y: win.y - Math.floor((height - win.height) / 2), width, height };
}

/**
 * A box touching a window edge that lies inside the level image is a face cut by the window;
 * strips overlap by more than the largest face kept at the level, so the neighbour has it whole.
 */
export function cutByWindowEdge(x1: number, y1: number, x2: number, y2: number, win: Window, w: number, h: number): boolean {
  const m = 2;
  return (
    (x1 <= win.x + m && win.x > 0) ||
    (y1 <= win.y + m && win.y > 0) ||
    (x2 >= win.x + win.width - m && win.x + win.width < w) ||
    (y2 >= win.y + win.height - m && win.y + win.height < h)
  );
}
