/* Enlace portal service worker (scope /portal/): keeps the rights pages and the office
   directory for offline use, in the reader's language; network first for everything else. */
"use strict";
const VERSION = {{ version|safe }};
const OFFLINE_URLS = {{ offline_urls|safe }};
const CACHEABLE = {{ cacheable|safe }};
const DIRECTORY = {{ directory_url|safe }};
const OFFICES = {{ offices_url|safe }};
const HOME = {{ home_url|safe }};
const LANG_KEY = HOME + "__language";

function cacheable(url) {
  return url.origin === self.location.origin &&
    CACHEABLE.some((p) => (p === HOME ? url.pathname === HOME : url.pathname.startsWith(p)));
}

async function precache(lang) {
  const cache = await caches.open(VERSION);
  await cache.addAll(OFFLINE_URLS.map((u) => new Request(u, { credentials: "same-origin", cache: "reload" })));
  if (lang) await cache.put(LANG_KEY, new Response(lang));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache("").then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

/* The page tells its language: when it changed, keep the offline pages in the new one. */
self.addEventListener("message", (event) => {
  const lang = event.data && event.data.language;
  if (typeof lang !== "string" || !/^[a-z]{2}$/.test(lang)) return;
  event.waitUntil(
    caches.open(VERSION).then(async (cache) => {
      const stored = await cache.match(LANG_KEY);
      // Installed from a page in this language moments ago: the copies are in it already.
      if (!stored) await cache.put(LANG_KEY, new Response(lang));
      else if ((await stored.text()) !== lang) await precache(lang);
    })
  );
});

async function fromNetwork(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && cacheable(url)) {
      const copy = response.clone();
      caches.open(VERSION).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const cache = await caches.open(VERSION);
    const kept = (await cache.match(request, { ignoreVary: true })) ||
      (url.pathname === OFFICES ? await cache.match(DIRECTORY, { ignoreVary: true }) : undefined) ||
      (request.mode === "navigate" ? await cache.match(HOME, { ignoreVary: true }) : undefined);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  if (new URL(event.request.url).origin !== self.location.origin) return;
  event.respondWith(fromNetwork(event.request));
});
