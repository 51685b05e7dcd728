// 学习答题 service worker: caches the app shell (static files and the two offline pages). Other pages
// and API answers always come from the network, never from a cache: a cached page could hold a member's
// data, an API answer a paper's keys. A page that cannot be reached is answered from the shell: the
// daily quiz and the home page by the offline daily quiz when today's paper is on the device.
importScripts({{ store_url | tojson }});
const CACHE = "quizapp-shell-{{ version }}";
const SHELL = {{ urls | tojson }};
const OFFLINE = {{ offline_url | tojson }};
const OFFLINE_DAILY = {{ daily_url | tojson }};
const DAILY_ROUTES = [{{ daily_route | tojson }}, {{ home_url | tojson }}];
const TIMEZONE = {{ config.TIMEZONE | tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.concat([OFFLINE, OFFLINE_DAILY])))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith("quizapp-shell-") && name !== CACHE).map((name) => caches.delete(name))
  )).then(() => self.clients.claim()));
});

function offlineAnswer(path) {
  if (path === OFFLINE_DAILY) return caches.match(OFFLINE_DAILY);
  if (!DAILY_ROUTES.includes(path)) return caches.match(OFFLINE);
  return self.offlineStore.paperOfToday(TIMEZONE).catch(() => null).then((paper) =>
    // A redirect, so that reloading the page asks for the offline page and not the daily quiz's form again.
    paper ? Response.redirect(OFFLINE_DAILY, 303) : caches.match(OFFLINE));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {  // also the daily quiz's POST form
    event.respondWith(fetch(request).catch(() => offlineAnswer(url.pathname)));
    return;
  }
  if (request.method === "GET" && (url.pathname.startsWith("/static/") || url.pathname.startsWith("/bootstrap/static/"))) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  }
});
