/**
 * README "Speed" section, from bench/results/e2e.json, search*.json (flat rows with their
 * bandwidth) and browser.json. Every figure names the run (machine, date, load, command).
 */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const f1 = (x: number) => x.toFixed(1);
const SIZE_LABEL: Record<string, string> = { portrait: 'LFW portrait 250x250', fullHd: '1920x1080', twelveMp: '4000x3000' };
// How the 2-core machine was shared: "exclusive" runs held /work/locks/timed (no other
// benchmark ran); "shared" ones ran beside other CPU-heavy work.
const lockOf = (j: Json) => `lock: ${j['lock'] ?? 'not recorded'}`;
const run = (j: Json) =>
  `_${j['machine']?.cpu ?? '?'}, ${j['machine']?.cores ?? '?'} cores, Node ${j['machine']?.node ?? '?'}; ${String(j['date'] ?? j['started']).slice(0, 16).replace('T', ' ')} UTC; load average ${j['loadAverageAtStart']?.toFixed?.(1) ?? j['loadAverageAtStart']} at start, ${j['loadAverageAtEnd']?.toFixed?.(1) ?? j['machine']?.loadAverage1m ?? '?'} at the end; ${lockOf(j)}; \`${j['command']}\`_`;

function e2eTables(e2e: Json, peersFrom?: Json): string[] {
  const out: string[] = ['### End to end per photo: today\'s code and this code in the same run\n', run(e2e), ''];
  out.push(
    `"Today" is the library at ${String(e2e['baseline'].rev).slice(0, 7)} (${e2e['baseline'].how}); the two codes alternate photo by photo. JPEG bytes in, through \`Matcher.embed\` (decode, detect, align, embed every face); the street photos are synthetic scenes with one 120-px LFW face (bench/lib/scenes.ts); ${e2e['photos'].perSize} photos per size; medians.`,
    '',
  );
  const { today, this: mine } = e2e['codes'];
  for (const [t, byCode] of Object.entries(e2e['timing'] as Json)) {
    out.push(`${t} thread${t === '1' ? '' : 's'} (onnxruntime intra-op and libvips):`, '', '| photo | today ms | this code ms | today / this | this / portrait |', '|---|--:|--:|--:|--:|');
    const ms = (code: string, size: string) => (byCode as Json)[code][size].medianMs as number;
    for (const size of ['portrait', 'fullHd', 'twelveMp']) {
      out.push(`| ${SIZE_LABEL[size]} | ${f1(ms(today, size))} | ${f1(ms(mine, size))} | ${(ms(today, size) / ms(mine, size)).toFixed(2)}x | ${(ms(mine, size) / ms(mine, 'portrait')).toFixed(2)}x |`);
    }
    out.push('');
  }
  const stages = (e2e['stages'] as Json)['1'];
  if (stages) {
    const cols = ['decode', 'detect', 'detect.resize', 'detect.pack', 'detect.detectorRuns', 'detect.confirm', 'landmarks', 'warp', 'embed'];
    out.push('Per stage, 1 thread (median ms; `detect.*` are inside detect: resizing the pyramid levels, packing tensors, detector runs, confirming candidates):', '');
    out.push(`| code | photo | ${cols.join(' | ')} | detector calls | detector pixels |`, `|---|---|${cols.map(() => '--:').join('|')}|--:|--:|`);
    for (const [code, bySize] of Object.entries(stages as Json)) {
      for (const [size, s] of Object.entries(bySize as Json)) {
        const v = s as Json;
        out.push(`| ${code} | ${SIZE_LABEL[size]} | ${cols.map((c) => (v[c] === undefined ? '' : f1(v[c]))).join(' | ')} | ${v['detect.detectorCalls'] ?? ''} | ${v['detect.detectorPixels'] ?? ''} |`);
      }
    }
    out.push('');
  }
  out.push(...recallTables(e2e, '### Small faces: recall per face size' + (peersFrom ? '' : ', and the peers on the same job')));
  if (peersFrom) {
    const more = recallTables(peersFrom, '### The peers on the same job');
    more.splice(3, 0, "From the full run (this code, today's code and the peers, each at their defaults and their smallest-face settings); its times carry that run's load.", '');
    out.push(...more);
  }
  const tp = (peersFrom ?? e2e)['throughput'];
  if (tp) out.push(`Enrolling ${tp['photos']} LFW photos: ${f1(tp['intraOpThreads2'])} photos/s with one matcher on 2 ORT threads, ${f1(tp['workers2x1'])} photos/s with 2 worker threads of 1 ORT thread each.`, '');
  return out;
}

function recallTables(e2e: Json, title: string): string[] {
  const out: string[] = [`${title}\n`, run(e2e), ''];
  out.push(
    `Faces of known height (LFW photos pasted at seeded random places, three of each size per scene) in ${e2e['photos'].scenes} synthetic scenes per photo size; a face counts as found when a returned face box is centred within 35% of its height and is 1/1.6-1.6x as tall. Each library runs its full pipeline on every face it finds (JPEG in), 1 thread; "other detections" are boxes matching no pasted face.`,
    '',
  );
  for (const [size, rows] of Object.entries(e2e['recall'] as Json)) {
    const sizes = e2e['photos'].faceSizes as number[];
    out.push(`${SIZE_LABEL[size]}, ${(rows as Json[])[0]['facesPerSize']} faces per size:`, '');
    out.push(`| library | settings | ${sizes.map((x) => `${x} px`).join(' | ')} | other detections / photo | ms / photo |`, `|---|---|${sizes.map(() => '--:').join('|')}|--:|--:|`);
    for (const r of rows as Json[]) out.push(`| ${r['name']} | ${r['settings']} | ${sizes.map((x) => r['recall'][x].toFixed(2)).join(' | ')} | ${f1(r['otherDetectionsPerPhoto'])} | ${f1(r['msPerPhoto'].medianMs)} |`);
    out.push('');
  }
  return out;
}

function searchTables(files: [string, Json][]): string[] {
  const out: string[] = [];
  for (const [file, j] of files) {
    const bw = j['streamingBytesPerSecond'] as number | undefined;
    if (!bw) continue;
    const flat = (j['rows'] as Json[]).filter((r) => r['effectiveBytesPerSecond']);
    out.push(`### Flat search against memory bandwidth (\`${file}\`)\n`, run(j), '');
    out.push(`Streaming read bandwidth of this machine, one thread (a WebAssembly SIMD reader over 1 GiB): **${(bw / 1e9).toFixed(2)} GB/s**. An index's effective bandwidth is the vector bytes it scans per second (n x 512 x 4 bytes for float32, x 1 byte for int8, times queries/s). "today" is ${String(j['baseline'] ?? '').slice(0, 7)} (scalar JS scans), on the first queries of the same set.`, '');
    out.push('| data | index | code | n | queries/s | GB/s scanned | % of streaming | recall@10 vs exact |', '|---|---|---|--:|--:|--:|--:|--:|');
    for (const r of flat) out.push(`| ${r['data']} | ${r['index']} | ${r['code'] ?? ''} | ${r['n']} | ${r['qps'].toFixed(1)} | ${(r['effectiveBytesPerSecond'] / 1e9).toFixed(2)} | ${((100 * r['effectiveBytesPerSecond']) / bw).toFixed(0)}% | ${r['recallAt10'].toFixed(4)} |`);
    out.push('');
    if (flat.some((r) => r['effectiveBytesPerSecond'] > bw)) {
      out.push("The streaming figure is one measurement per run (best of 5 single-threaded reads), and this shared machine's bandwidth moves from minute to minute: a share above 100% means the scans ran in a faster spell than the reader's.", '');
    }
  }
  return out;
}

function browserTables(b: Json): string[] {
  const out = ['### Browser vs Node (`npm run bench:browser`): detect + align + embed, the same pixels on both sides\n', run(b), ''];
  out.push('| photos | n | Node ms / photo | Chromium ms / photo | Chromium / Node |', '|---|--:|--:|--:|--:|');
  for (const g of (b['groups'] as Json[]) ?? []) out.push(`| ${g['group']} | ${g['photos']} | ${f1(g['nodeMedianMs'])} | ${f1(g['browserMedianMs'])} | ${g['ratio'].toFixed(2)}x |`);
  out.push('', `Over all photos, per face: Node (${b['node']['threads']} threads) ${f1(b['node']['msPerFace'])} ms, Chromium (onnxruntime-web wasm, ${b['browser']['threads']} threads) ${f1(b['browser']['msPerFace'])} ms: ${b['ratioMsPerFace'].toFixed(2)}x.`, '');
  return out;
}

export function speedSection(load: (file: string) => Json | null): string {
  const out = ['## Speed', '', 'Generated by `npx tsx bench/readme.ts --only speed` from `bench/results/{e2e-timed,e2e,search-flat-*,browser}.json`. Each run names its load average: this 2-core machine is shared, and a load above 2 means other work took CPU during the run, which inflates every time. Read the ratios (today\'s code and this code alternate photo by photo in one run), not the absolute times.', ''];
  // e2e-timed.json: the short run on a quiet machine (no peers) that the speed figures come
  // from; e2e.json: the full run with the peers, shown for them.
  const e2e = load('bench/results/e2e.json');
  const timed = load('bench/results/e2e-timed.json');
  if (timed?.['codes']) out.push(...e2eTables(timed, e2e?.['codes'] ? e2e : undefined));
  else if (e2e?.['codes']) out.push(...e2eTables(e2e));
  out.push(...searchTables(['search-flat-100k', 'search-flat-1m'].map((n) => [`npm run bench:search -- ${n}`, load(`bench/results/${n}.json`)] as [string, Json]).filter(([, j]) => j).map(([, j]) => [j['command'], j])));
  const browser = load('bench/results/browser.json');
  if (browser?.['groups']) out.push(...browserTables(browser));
  return out.join('\n');
}

