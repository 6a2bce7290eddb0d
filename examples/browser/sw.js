/**
 * Keeps the demo working offline: every same-origin file the page loads (the page, dist/web.js,
 * onnxruntime-web's .mjs/.wasm) is fetched from the network when it can be, so a rebuild shows
 * at once, and served from this cache when it cannot. Model files are left to the library,
 * which keeps them in its own sha256-keyed cache.
 */
const CACHE = 'reunite-face-demo-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.endsWith('.onnx')) return;
  e.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const res = await fetch(e.request);
        if (res.ok) await cache.put(e.request, res.clone());
        return res;
      } catch (err) {
        const hit = await cache.match(e.request);
        if (hit) return hit;
        throw err;
      }
    })(),
  );
});
