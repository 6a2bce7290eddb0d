import { describe, expect, it } from 'vitest';
import { chooseFace, faceChoiceError, isAmbiguous } from '../../src/core/face-choice.js';

const box = (x: number, y: number, s: number) => ({ x, y, width: s, height: s });

describe('face choice', () => {
  // Largest first, as the pipeline returns them: a big face in a corner, a smaller one in the middle.
  const faces = [box(0, 0, 100), box(160, 160, 80), box(380, 0, 20)];

  it('picks by rule, index and box', () => {
    expect(chooseFace(faces, 'largest', 400, 400)).toBe(0);
    expect(chooseFace(faces, 'central', 400, 400)).toBe(1);
    expect(chooseFace(faces, 2, 400, 400)).toBe(2);
    expect(chooseFace(faces, box(165, 150, 85), 400, 400)).toBe(1);
  });

  it('names no face for an index out of range or a box over no face', () => {
    expect(chooseFace(faces, 3, 400, 400)).toBe(-1);
    expect(chooseFace(faces, box(300, 300, 50), 400, 400)).toBe(-1);
    expect(chooseFace([], 'largest', 400, 400)).toBe(-1);
  });

  it('central ignores faces far smaller than the largest', () => {
    expect(chooseFace([box(0, 0, 100), box(195, 195, 10)], 'central', 400, 400)).toBe(0);
  });

  it('calls a photo ambiguous only when a second face is nearly as large', () => {
    expect(isAmbiguous([box(0, 0, 100)])).toBe(false);
    expect(isAmbiguous([box(0, 0, 100), box(200, 0, 80)])).toBe(true);
    expect(isAmbiguous([box(0, 0, 100), box(200, 0, 50)])).toBe(false);
  });

  it('validates the option', () => {
    for (const ok of [0, 3, 'largest', 'central', box(1, 2, 3)]) expect(faceChoiceError(ok)).toBeUndefined();
    for (const bad of [-1, 1.5, 'biggest', null, { x: 0, y: 0, width: 0, height: 5 }]) expect(faceChoiceError(bad)).toBeTypeOf('string');
  });
});
