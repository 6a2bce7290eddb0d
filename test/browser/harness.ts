/**
 * Drives the browser demo in Debian's Chromium through playwright-core (never a downloaded
 * browser). Every request that is not for 127.0.0.1/localhost is aborted and recorded, so a
 * test can fail on any attempt to reach the network.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll } from 'vitest';
import { startServer } from '../../examples/browser/serve.mjs';

/** The project root (import.meta.url, not __dirname: bench/browser.ts runs this under tsx as ESM). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const WEB_BUNDLE = join(ROOT, 'dist', 'web.js');
/** Built by the same tsup block as web.js: the demo's review panel imports it. */
export const REPORT_BUNDLE = join(ROOT, 'dist', 'report.js');

/** Whether the browser tests can run; in CI a missing Chromium is a failure, not a skip. */
export function hasChromium(): boolean {
  const ok = existsSync(CHROMIUM);
  if (!ok && process.env['CI']) throw new Error(`CI is set but ${CHROMIUM} is missing: apt-get install -y chromium`);
  return ok;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/web.js (only the web block of tsup.config.ts, without .d.ts) when it is missing
 * or older than src/: the browser tests must test the code in the tree, not a stale bundle.
 */
export async function ensureWebBuild(): Promise<void> {
  const fresh = existsSync(REPORT_BUNDLE) && existsSync(WEB_BUNDLE) && statSync(WEB_BUNDLE).mtimeMs >= newestMtime(join(ROOT, 'src'));
  if (fresh) return;
  const configs = (await import('../../tsup.config.js')).default as unknown as Options[];
  const web = configs.find((c) => c.entry && !Array.isArray(c.entry) && 'web' in (c.entry as Record<string, string>));
  if (!web) throw new Error('tsup.config.ts has no block with entry "web"');
  await build({ ...web, dts: false, silent: true, config: false });
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface DemoSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  url: string;
  /** Requests to anything but this machine (aborted). */
  external: string[];
  /** console.error messages and uncaught page errors. */
  consoleErrors: string[];
  /** Paths the demo server answered, in order. */
  served: string[];
  /** Paths it refused (404/405). */
  notFound: string[];
  /** Stops the static server (the machine goes "offline" for the page); close() still cleans up. */
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the static server on a free port, launches Chromium and opens the demo page. The
 * demo's service worker is blocked unless asked for: requests it makes itself are not seen by
 * Playwright's routes, which the embedding helpers use.
 */
export async function openDemo(options: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<DemoSession> {
  const served: string[] = [];
  const notFound: string[] = [];
  const server = await startServer({
    port: 0,
    log: (_m, path, status) => (status === 200 ? served : notFound).push(path),
  });
  let stopped: Promise<void> | undefined;
  const stopServer = () => (stopped ??= server.close());
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-quic',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, serviceWorkers: options.serviceWorkers ?? 'block' });
    const external: string[] = [];
    const consoleErrors: string[] = [];
    await context.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if ((u.protocol === 'http:' || u.protocol === 'https:') && !LOCAL_HOSTS.has(u.hostname)) {
        external.push(u.href);
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    context.on('request', (r) => {
      const u = new URL(r.url());
      if ((u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') && !LOCAL_HOSTS.has(u.hostname)) {
        if (!external.includes(u.href)) external.push(u.href);
      }
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    await page.goto(server.url);
    const b = browser;
    return {
      browser: b,
      context,
      page,
      url: server.url,
      external,
      consoleErrors,
      served,
      notFound,
      stopServer: () => stopServer(),
      async close() {
        await b.close();
        await stopServer();
      },
    };
  } catch (e) {
    await browser?.close();
    await stopServer();
    throw e;
  }
}

/** Waits until the demo's status line says ready (or fails with what it says instead). */
export async function waitReady(page: Page, timeoutMs = 180_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const s = document.getElementById('status')?.dataset['state'];
      return s === 'ready' || s === 'error';
    },
    null,
    { timeout: timeoutMs, polling: 100 },
  );
  const state = await page.locator('#status').getAttribute('data-state');
  if (state !== 'ready') throw new Error(`demo status: ${await page.locator('#status').textContent()}`);
}

/** The demo page, built, opened and ready, for one describe block: call at its top. */
export function useReadyDemo(): () => DemoSession {
  let s: DemoSession | undefined;
  beforeAll(async () => {
    await ensureWebBuild();
    s = await openDemo();
    await waitReady(s.page);
  }, 300_000);
  afterAll(async () => {
    await s?.close();
  });
  return () => s!;
}
