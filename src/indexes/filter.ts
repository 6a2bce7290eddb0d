import type { Metadata, MetadataFilter } from './index.js';

type Scalar = string | number | boolean | null;

/**
 * Same semantics as `matchesFilter` in index.ts, but turns the filter into arrays once
 * so a scan over every template does not rebuild `Object.entries(filter)` per template.
 */
export function compileFilter(filter: MetadataFilter | undefined): ((m: Metadata | undefined) => boolean) | undefined {
  if (!filter) return undefined;
  const keys: string[] = [];
  const wants: (Scalar | readonly Scalar[])[] = [];
  for (const [key, want] of Object.entries(filter)) {
    keys.push(key);
    wants.push(want);
  }
  return (metadata) => {
    for (let i = 0; i < keys.length; i++) {
      const have = metadata?.[keys[i]!];
      const want = wants[i]!;
      if (Array.isArray(want)) {
        if (!(want as readonly Scalar[]).includes(have as Scalar)) return false;
      } else if (have !== want) return false;
    }
    return true;
  };
}
