/** A ModelContext on the Node platform, for benches that drive one module directly. */
import { verifyModelBytes } from '../../src/core/manifest.js';
import type { ModelContext } from '../../src/core/model-context.js';
import { nodePlatform } from '../../src/platform/node-platform.js';

export async function nodeModelContext(threads: number, precision = 'fp32'): Promise<ModelContext> {
  const platform = nodePlatform();
  return {
    manifest: await platform.loadManifest(),
    backend: platform.backend,
    threads,
    precision,
    async loadModel(entry) {
      const bytes = await platform.readModel(entry);
      await verifyModelBytes(entry, bytes);
      return bytes;
    },
  };
}
