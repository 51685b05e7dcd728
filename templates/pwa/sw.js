// 学习答题 service worker: caches the app shell's static files; pages and API answers always come
// from the network (a cached page could hold a member's data or a paper's keys).
const CACHE = "quizapp-shell-{{ version }}";
const SHELL = {{ urls | tojson }};
const OFFLINE = {{ offline_url | tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith("quizapp-shell-") && name !== CACHE).map((name) => caches.delete(name))
  )).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  const path = new URL(request.url).pathname;
  if (path.startsWith("/static/") || path.startsWith("/bootstrap/static/")) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  }
});
