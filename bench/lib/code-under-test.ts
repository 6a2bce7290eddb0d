/**
 * "Today's code" next to this checkout's code in one process: the baseline is the library
 * source and models at a fixed commit, extracted with `git archive` into
 * bench/results/baseline/<rev>/ (ignored), and imported by path. Both sides are loaded
 * through the same functions, so a bench treats them alike and can alternate between them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** main just before issue 13 (the tiled UltraFace pyramid, JS resize, scalar flat scans). */
export const BASELINE_REV = '6af5efc7d1f71989d4580723e8d5d6e4d556d481';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CodeUnderTest {
  label: string;
  /** Folder holding src/ and models/. */
  dir: string;
  node: Json;
  detector: Json;
  aligner: Json;
  embedder: Json;
  flat: Json;
  /** A ModelContext for driving one module directly, built by this code's own platform. */
  context(threads: number): Promise<Json>;
}

/** Extracts `rev`'s src/ and models/ once (fp32 models are committed, so nothing is rebuilt). */
export function extractRevision(rev: string, root = process.cwd()): string {
  const dir = resolve(root, 'bench', 'results', 'baseline', rev);
  if (!existsSync(join(dir, 'src', 'node.ts'))) {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['archive', '--format=tar', rev, 'src', 'models'], { cwd: root, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  }
  return dir;
}

export async function loadCode(label: string, dir: string): Promise<CodeUnderTest> {
  const imp = (p: string) => import(pathToFileURL(join(dir, p)).href);
  const [node, detector, aligner, embedder, flat, platform, manifest] = await Promise.all([
    imp('src/node.ts'),
    imp('src/detectors/ultraface.ts'),
    imp('src/aligners/landmarks68.ts'),
    imp('src/embedders/onnx-embedder.ts'),
    imp('src/indexes/flat.ts'),
    imp('src/platform/node-platform.ts'),
    imp('src/core/manifest.ts'),
  ]);
  return {
    label,
    dir,
    node,
    detector,
    aligner,
    embedder,
    flat,
    async context(threads: number) {
      const p = platform.nodePlatform(join(dir, 'models'));
      return {
        manifest: await p.loadManifest(),
        backend: p.backend,
        threads,
        precision: 'fp32',
        async loadModel(entry: Json) {
          const bytes = await p.readModel(entry);
          await manifest.verifyModelBytes(entry, bytes);
          return bytes;
        },
      };
    },
  };
}

/** Today's code (BASELINE_REV, or --baseline REV) and this checkout's. */
export async function todayAndThis(rev = BASELINE_REV): Promise<[CodeUnderTest, CodeUnderTest]> {
  return [await loadCode(`today (${rev.slice(0, 7)})`, extractRevision(rev)), await loadCode('this code', process.cwd())];
}
