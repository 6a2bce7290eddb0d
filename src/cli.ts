#!/usr/bin/env node
/** `reunite-face` command line: demo, verify, identify. */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { Matcher, MatcherError, defaultModelsDir } from './node.js';
import { degradedCopies } from './cli/degrade.js';
import { progressBar } from './cli/progress.js';

const USAGE = `reunite-face: find a missing child's face among photos (offline)

Usage:
  reunite-face demo [--json]                       enroll two public-domain portraits, identify degraded copies
  reunite-face verify A B [--crop] [--json]        same person? (score, threshold)
  reunite-face identify --gallery DIR PHOTO... [-k N] [--crop] [--json]
                                                   DIR holds one sub-folder of photos per subject
Options:
  --precision fp32|int8   model variant (default: the package default)
  --crop                  photos may be tight face crops: use the whole image when no face is found
  --json                  machine-readable output on stdout
Matches are leads for a person to review, never proof of identity.`;

interface Flags {
  json: boolean;
  crop: boolean;
  k: number;
  gallery?: string;
  precision?: 'fp32' | 'int8';
  rest: string[];
}

function parse(argv: string[]): Flags {
  const f: Flags = { json: false, crop: false, k: 5, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') f.json = true;
    else if (a === '--crop') f.crop = true;
    else if (a === '-k' || a === '--k') f.k = Number(argv[++i]);
    else if (a === '--gallery') f.gallery = argv[++i];
    else if (a === '--precision') f.precision = argv[++i] as Flags['precision'];
    else if (a.startsWith('-')) throw new MatcherError('INVALID_ARGUMENT', `unknown option ${a}\n\n${USAGE}`);
    else f.rest.push(a);
  }
  if (!Number.isInteger(f.k) || f.k < 1) throw new MatcherError('INVALID_ARGUMENT', '-k takes a positive whole number');
  return f;
}

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic']);

async function listImages(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())).sort().map((f) => join(dir, f));
}

async function demo(flags: Flags): Promise<number> {
  const fixtures = join(dirname(defaultModelsDir()), 'fixtures', 'demo');
  const portraits = { astronaut: join(fixtures, 'astronaut.png'), grace_hopper: join(fixtures, 'grace_hopper.jpg') };
  const m = await Matcher.create(flags.precision ? { precision: flags.precision } : {});
  try {
    for (const [id, path] of Object.entries(portraits)) await m.enroll(id, path);
    const rows: { query: string; expected: string; ranked: { subjectId: string; score: number }[]; ok: boolean }[] = [];
    for (const [id, path] of Object.entries(portraits)) {
      for (const copy of await degradedCopies(path)) {
        const res = await m.identify(copy.bytes, { k: 2 });
        const ranked = (res[0]?.candidates ?? []).map((c) => ({ subjectId: c.subjectId, score: +c.score.toFixed(4) }));
        rows.push({ query: `${id}, ${copy.name}`, expected: id, ranked, ok: ranked[0]?.subjectId === id });
      }
    }
    const allOk = rows.every((r) => r.ok);
    if (flags.json) {
      console.log(JSON.stringify({ threshold: m.threshold, rows, allOk }, null, 2));
    } else {
      console.log(`Gallery: astronaut, grace_hopper (public-domain portraits). Threshold ${m.threshold.toFixed(3)} (LFW, false-match rate 1e-3).\n`);
      console.log('| query (degraded copy) | 1st candidate | score | 2nd candidate | score | right first |');
      console.log('|---|---|---|---|---|---|');
      for (const r of rows) {
        const [a, b] = r.ranked;
        console.log(`| ${r.query} | ${a?.subjectId ?? '(no face)'} | ${a?.score.toFixed(3) ?? ''} | ${b?.subjectId ?? ''} | ${b?.score.toFixed(3) ?? ''} | ${r.ok ? 'yes' : 'NO'} |`);
      }
      console.log(allOk ? '\nEvery degraded copy was matched to the right portrait first.' : '\nSome copies were NOT matched to the right portrait first.');
    }
    return allOk ? 0 : 1;
  } finally {
    await m.dispose();
  }
}

async function verify(flags: Flags): Promise<number> {
  const [a, b] = flags.rest;
  if (!a || !b || flags.rest.length !== 2) throw new MatcherError('INVALID_ARGUMENT', `verify takes two photos\n\n${USAGE}`);
  const m = await Matcher.create(flags.precision ? { precision: flags.precision } : {});
  try {
    const r = await m.verify(a, b, { crop: flags.crop });
    if (flags.json) console.log(JSON.stringify(r));
    else console.log(`${r.match ? 'MATCH' : 'no match'}: score ${r.score.toFixed(4)} (threshold ${r.threshold.toFixed(4)})`);
    return 0;
  } finally {
    await m.dispose();
  }
}

async function identify(flags: Flags): Promise<number> {
  if (!flags.gallery || flags.rest.length === 0) throw new MatcherError('INVALID_ARGUMENT', `identify needs --gallery DIR and at least one photo\n\n${USAGE}`);
  const dir = flags.gallery;
  const subjects: [string, string[]][] = [];
  for (const name of (await readdir(dir)).sort()) {
    if ((await stat(join(dir, name))).isDirectory()) subjects.push([name, await listImages(join(dir, name))]);
  }
  if (subjects.length === 0) throw new MatcherError('INVALID_ARGUMENT', `${dir} has no sub-folders (one per subject)`);
  const m = await Matcher.create(flags.precision ? { precision: flags.precision } : {});
  try {
    const total = subjects.reduce((n, [, files]) => n + files.length, 0);
    const bar = progressBar(total, 'enrolling');
    const skipped: { file: string; reason: string }[] = [];
    for (const [subject, files] of subjects) {
      for (const file of files) {
        try {
          await m.enroll(subject, file, { crop: flags.crop });
        } catch (e) {
          if (!(e instanceof MatcherError)) throw e;
          skipped.push({ file, reason: `${e.code}: ${e.message}` });
        }
        bar.tick();
      }
    }
    bar.done();
    const results = [];
    for (const photo of flags.rest) {
      const faces = await m.identify(photo, { k: flags.k, crop: flags.crop });
      results.push({ photo, faces });
    }
    if (flags.json) {
      console.log(JSON.stringify({ gallery: m.size, threshold: m.threshold, skipped, results }, null, 2));
      return 0;
    }
    for (const s of skipped) console.error(`skipped ${s.file}: ${s.reason}`);
    console.log(`Gallery: ${m.size.subjects} subjects, ${m.size.templates} photos. Threshold ${m.threshold.toFixed(3)}.`);
    for (const { photo, faces } of results) {
      console.log(`\n${basename(photo)}: ${faces.length} face(s)`);
      faces.forEach((f, i) => {
        const b = f.face.box;
        console.log(`  face ${i + 1} at ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`);
        for (const c of f.candidates) console.log(`    ${c.match ? '*' : ' '} ${c.subjectId.padEnd(24)} ${c.score.toFixed(4)}`);
      });
    }
    console.log('\n* = at or above the threshold. Every candidate is a lead for human review.');
    return 0;
  } finally {
    await m.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    console.log(USAGE);
    return cmd ? 0 : 2;
  }
  const flags = parse(rest);
  if (cmd === 'demo') return demo(flags);
  if (cmd === 'verify') return verify(flags);
  if (cmd === 'identify') return identify(flags);
  throw new MatcherError('INVALID_ARGUMENT', `unknown command ${cmd}\n\n${USAGE}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof MatcherError) console.error(`error [${e.code}]: ${e.message}`);
    else console.error(e);
    process.exit(e instanceof MatcherError ? 2 : 1);
  },
);
