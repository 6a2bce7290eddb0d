import { describe, expect, it } from 'vitest';
import { assembleKernels, kernelsModuleText } from '../../scripts/wasm/build.js';
import { readFileSync } from 'node:fs';
import { streamingBandwidth } from '../../src/indexes/vector-store.js';

describe('WebAssembly SIMD kernels', () => {
  it('ship exactly what kernels.wat assembles to', async () => {
    const committed = readFileSync(new URL('../../src/indexes/wasm/kernels-wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(kernelsModuleText(await assembleKernels()));
  });

  it('measure a streaming read bandwidth', () => {
    expect(streamingBandwidth(64 * 2 ** 20, 2)).toBeGreaterThan(1e8);
  });
});
