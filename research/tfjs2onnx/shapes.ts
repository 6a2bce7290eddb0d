// Static shape arithmetic on TF-semantic shapes; a dim is a number, a named symbol (batch) or null.
import type { Dim } from './onnx-builder.js';

export function broadcastShapes(a: Dim[] | null, b: Dim[] | null): Dim[] | null {
  if (!a || !b) return null;
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1 || x === y) out.push(x);
    else if (typeof x === 'number' && typeof y === 'number') throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    else out.push(typeof x === 'number' ? x : typeof y === 'number' ? y : null);
  }
  return out;
}

export interface SpatialPads {
  /** Pads before and after for each spatial dim, or null when TF SAME must be resolved at run time. */
  pads: Array<[number, number]> | null;
  outDims: Dim[];
}

/**
 * TF's padding rule for convolutions and pools. SAME puts the odd pixel after, computed from the
 * static input size, which is what ONNX's explicit pads need.
 */
export function spatialPads(
  padding: string,
  inDims: Dim[],
  kernel: number[],
  strides: number[],
  dilations: number[],
  explicit?: Array<[number, number]>,
): SpatialPads {
  const pads: Array<[number, number]> = [];
  const outDims: Dim[] = [];
  let resolvable = true;
  for (let i = 0; i < inDims.length; i++) {
    const inD = inDims[i];
    const effK = (kernel[i]! - 1) * dilations[i]! + 1;
    const s = strides[i]!;
    if (padding === 'VALID') {
      pads.push([0, 0]);
      outDims.push(typeof inD === 'number' ? Math.floor((inD - effK) / s) + 1 : null);
    } else if (padding === 'SAME') {
      if (typeof inD !== 'number') {
        resolvable = false;
        outDims.push(null);
        continue;
      }
      const out = Math.ceil(inD / s);
      const total = Math.max((out - 1) * s + effK - inD, 0);
      pads.push([Math.floor(total / 2), total - Math.floor(total / 2)]);
      outDims.push(out);
    } else if (padding === 'EXPLICIT') {
      const [b, a] = explicit?.[i] ?? [0, 0];
      pads.push([b, a]);
      outDims.push(typeof inD === 'number' ? Math.floor((inD + b + a - effK) / s) + 1 : null);
    } else {
      throw new Error(`unsupported padding ${padding}`);
    }
  }
  return { pads: resolvable ? pads : null, outDims };
}

/** ONNX pads order: all begins, then all ends. */
export function onnxPads(pads: Array<[number, number]>): number[] {
  return [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
}

export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}
