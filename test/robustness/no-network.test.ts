import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const PRELOAD = join(__dirname, 'no-network-preload.mjs');
const dir = mkdtempSync(join(tmpdir(), 'rf-nonet-'));

/** Runs `node --import preload --import tsx ...args` with NODE_OPTIONS carrying the preload into child processes and workers. */
function runWithoutNetwork(args: string[], log: string, timeout = 180_000) {
  const r = spawnSync(process.execPath, ['--import', PRELOAD, '--import', 'tsx', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, RF_NET_LOG: log, NODE_OPTIONS: `--import ${PRELOAD}` },
  });
  const attempts = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { api: string; target: string })
    : [];
  return { ...r, attempts };
}

function sourceFiles(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|mts|cts|js|mjs)$/.test(n) ? [p] : [];
  });
}

describe('no network at run time', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the preload records and refuses every kind of attempt (so a clean run means something)', () => {
    const log = join(dir, 'selfcheck.jsonl');
    const probe = join(dir, 'probe.mjs');
    // Each attempt is expected to throw; the probe prints which ones did.
    const code = `
      import net from 'node:net'; import http from 'node:http'; import https from 'node:https';
      import { request as namedRequest } from 'node:http';
      import tls from 'node:tls'; import dgram from 'node:dgram'; import dns from 'node:dns';
      const tries = {
        netConnect: () => net.connect(9, '127.0.0.1'),
        socketConnect: () => new net.Socket().connect({ port: 9, host: '127.0.0.1' }),
        httpGet: () => http.get('http://127.0.0.1:9/'),
        httpNamed: () => namedRequest('http://127.0.0.1:9/'),
        httpsRequest: () => https.request('https://127.0.0.1:9/'),
        tlsConnect: () => tls.connect(9, '127.0.0.1'),
        udp: () => dgram.createSocket('udp4'),
        dnsLookup: () => dns.lookup('localhost', () => {}),
        dnsPromises: () => dns.promises.lookup('localhost'),
      };
      const refused = [];
      for (const [k, f] of Object.entries(tries)) { try { const r = f(); if (r && r.catch) { await r.then(() => {}, () => refused.push(k)); } } catch { refused.push(k); } }
      try { await fetch('http://127.0.0.1:9/'); } catch { refused.push('fetch'); }
      console.log(JSON.stringify(refused));
    `;
    writeFileSync(probe, code);
    const r = runWithoutNetwork([probe], log, 30_000);
    expect(r.status, r.stderr).toBe(0);
    const refused = JSON.parse(r.stdout.trim()) as string[];
    expect(refused.sort()).toEqual(
      ['dnsLookup', 'dnsPromises', 'fetch', 'httpGet', 'httpNamed', 'httpsRequest', 'netConnect', 'socketConnect', 'tlsConnect', 'udp'].sort(),
    );
    expect(r.attempts.length).toBe(10);
  });

  it('the full demo (load models, enroll, identify) makes no network attempt', () => {
    const log = join(dir, 'demo.jsonl');
    const r = runWithoutNetwork(['src/cli.ts', 'demo', '--json'], log);
    expect(r.attempts, JSON.stringify(r.attempts, null, 1)).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { allOk: boolean; rows: unknown[] };
    expect(out.rows.length).toBeGreaterThan(0);
    expect(out.allOk).toBe(true);
    console.log(`no-network demo: exit ${r.status}, ${out.rows.length} identifications, ${r.attempts.length} network attempts`);
  });

  it('the case worker commands (enroll, search with worker threads, report) make no network attempt', () => {
    const log = join(dir, 'cli.jsonl');
    const work = join(dir, 'cli');
    mkdirSync(join(work, 'cases', 'hopper'), { recursive: true });
    copyFileSync(join(ROOT, 'fixtures', 'demo', 'grace_hopper.jpg'), join(work, 'cases', 'hopper', 'grace_hopper.jpg'));
    const cli = join(ROOT, 'src', 'cli.ts');
    const runs = [
      runWithoutNetwork([cli, 'enroll', join(work, 'cases'), '--gallery', join(work, 'g.rfg'), '--workers', '2'], log),
      runWithoutNetwork([cli, 'search', join(ROOT, 'fixtures', 'demo'), '--gallery', join(work, 'g.rfg'), '--report', join(work, 'r.html'), '--json', join(work, 'r.json')], log),
      runWithoutNetwork([cli, 'report', join(work, 'r.json'), '--out', join(work, 'again.html')], log),
    ];
    expect(runs.map((r) => r.status), runs.map((r) => r.stderr).join('\n')).toEqual([0, 0, 0]);
    expect(runs.at(-1)!.attempts, JSON.stringify(runs.at(-1)!.attempts, null, 1)).toEqual([]);
    expect(readFileSync(join(work, 'r.html'), 'utf8')).toContain('data-case="hopper"');
  });

  it('library source fetches no URL and has no telemetry', () => {
    const files = sourceFiles(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(10);
    const findings: string[] = [];
    const patterns: [RegExp, string][] = [
      [/https?:\/\//, 'URL'],
      [/\bfetch\s*\(/, 'fetch('],
      [/\bXMLHttpRequest\b|\bWebSocket\b|\bEventSource\b|sendBeacon/, 'browser network API'],
      [/from ['"]node:(http|https|net|tls|dgram|dns|http2)['"]|require\(['"](node:)?(http|https|net|tls|dgram|dns|http2)['"]\)/, 'Node network module'],
      [/telemetry|analytics|sentry|posthog|mixpanel|segment\.io|amplitude/i, 'telemetry'],
    ];
    // The browser build must fetch its model files from the page's own origin (default
    // './models/'; another origin is refused unless the caller sets allowCrossOrigin): that
    // one file may call fetch(), with no literal URL.
    const allowed = (file: string, what: string) => file === 'src/platform/web-models.ts' && what === 'fetch(';
    let allowedHits = 0;
    for (const f of files) {
      const rel = relative(ROOT, f);
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [re, what] of patterns) {
            if (!re.test(line)) continue;
            if (allowed(rel, what)) allowedHits++;
            else findings.push(`${rel}:${i + 1} ${what}: ${line.trim()}`);
          }
        });
    }
    expect(findings).toEqual([]);
    console.log(`source scan: ${files.length} files under src/, no URL or telemetry; ${allowedHits} same-origin model fetch() call(s) in src/platform/web-models.ts`);
  });
});
