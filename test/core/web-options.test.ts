import { describe, expect, it } from 'vitest';
import { splitWebOptions } from '../../src/platform/web-options.js';

const parseWebOptions = (o: Record<string, unknown>) => splitWebOptions(o).web;

describe('browser Matcher options (zod)', () => {
  it('passes the shared options through untouched', () => {
    expect(splitWebOptions({ threshold: 0.4, cache: false }).rest).toEqual({ threshold: 0.4 });
  });

  it('fills defaults and ignores the shared options', () => {
    const o = parseWebOptions({ threshold: 0.4 });
    expect(o).toMatchObject({ modelBaseUrl: './models/', wasmPaths: './ort/', cache: true, executionProviders: ['wasm'], allowCrossOrigin: false });
  });

  it.each([
    [{ executionProviders: [] }, 'executionProviders'],
    [{ executionProviders: ['cuda'] }, 'executionProviders.0'],
    [{ onProgress: 'yes' }, 'onProgress: expected a function'],
    [{ cache: 'no' }, 'cache'],
    [{ modelBaseUrl: 42 }, 'modelBaseUrl'],
  ])('refuses %j with INVALID_OPTIONS naming the option', (bad, path) => {
    expect(() => parseWebOptions(bad)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining(path) }));
  });

  it('accepts a URL object and a callback', () => {
    const cb = () => {};
    const o = parseWebOptions({ modelBaseUrl: new URL('https://x.test/m/'), onProgress: cb, executionProviders: ['webgpu', 'wasm'] });
    expect(o.onProgress).toBe(cb);
    expect(String(o.modelBaseUrl)).toBe('https://x.test/m/');
  });
});
