#!/usr/bin/env node
/**
 * Static server for the browser demo: the page, dist/ (the web bundle), models/ and
 * onnxruntime-web's .mjs/.wasm, all from this checkout, on 127.0.0.1 only. COOP/COEP headers
 * make the page cross-origin isolated, which wasm threads need.
 *
 *   node examples/browser/serve.mjs [--port 8080]
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
};

/** Cross-origin isolation (for wasm threads); every file is revalidated so a rebuild shows at once. */
const BASE_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

function ortDistDir() {
  const require = createRequire(join(ROOT, 'package.json'));
  // The package's "exports" hides package.json; its wasm file is exported, and sits in dist/.
  return dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
}

/**
 * URL prefix -> folder, with an optional file-name filter. Only these are reachable, and
 * `..` cannot leave a folder.
 */
export function defaultMounts() {
  return [
    { prefix: '/dist/', dir: join(ROOT, 'dist'), allow: /^(web\.js|web\.d\.ts|report\.js|ort\.[\w.-]+\.js|chunk-[\w-]+\.js)(\.map)?$/ },
    { prefix: '/models/', dir: join(ROOT, 'models') },
    { prefix: '/ort/', dir: ortDistDir(), allow: /^ort-wasm-simd-threaded(\.asyncify)?\.(mjs|wasm)$/ },
    { prefix: '/fixtures/', dir: join(ROOT, 'fixtures', 'demo'), allow: /\.(png|jpe?g)$/ },
    { prefix: '/', dir: HERE, allow: /^(index\.html|app\.js|gallery-files\.js|draw\.js|review\.js|sightings\.js|style\.css|sw\.js)$/ },
  ];
}

function resolvePath(mounts, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (path === '/') path = '/index.html';
  for (const m of mounts) {
    if (!path.startsWith(m.prefix)) continue;
    const rel = path.slice(m.prefix.length);
    const file = resolve(m.dir, rel);
    if (!file.startsWith(m.dir + sep)) return undefined;
    const name = file.slice(m.dir.length + 1);
    if (m.allow && !m.allow.test(name)) return undefined;
    return file;
  }
  return undefined;
}

/**
 * Starts the server; resolves to its URL and a close function. `port: 0` picks a free port.
 * `log(method, path, status)` sees every request (tests use it to count model downloads).
 */
export function startServer({ port = 8080, mounts = defaultMounts(), log } = {}) {
  const server = createServer(async (req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status, body, headers = {}) => {
      log?.(req.method, urlPath, status);
      res.writeHead(status, {
        ...BASE_HEADERS,
        ...headers,
      });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    const file = resolvePath(mounts, urlPath);
    if (!file) return send(404, 'not found');
    let st;
    try {
      st = await stat(file);
    } catch {
      return send(404, 'not found');
    }
    if (!st.isFile()) return send(404, 'not found');
    const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(st.size) };
    if (req.method === 'HEAD') return send(200, undefined, headers);
    log?.(req.method, urlPath, 200);
    res.writeHead(200, {
      ...BASE_HEADERS,
      ...headers,
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      resolveStart({
        url: `http://127.0.0.1:${addr.port}/`,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
        server,
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  const { url } = await startServer({ port });
  console.log(`reunite-face browser demo: ${url}  (serving dist/, models/ and onnxruntime-web's wasm from this checkout; Ctrl-C stops)`);
  console.log('Run `npm run build` first if dist/web.js is missing.');
}
