// The member app's service worker: keeps the app's own files (the page, its script and styles),
// so a phone without a connection still opens the app and the screens it has seen (their answers
// are kept by the app itself, and removed at logout). It keeps no answer of the hub: nothing
// private passes through this cache.
const SHELL_CACHE = "rhizome-app-shell";
const BASE = "/app/";
const ASSETS = `${BASE}assets/`;
/** The neutral page a quick exit from the defense screens replaces the app with: kept, so it opens offline too. */
const NEUTRAL_PAGE = `${BASE}soup.html`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      const page = await fetch(BASE, { cache: "no-cache" });
      const html = await page.clone().text();
      const files = [...html.matchAll(/(?:src|href)="(\/app\/[^"]+)"/g)].map((match) => match[1]);
      await cache.put(BASE, page);
      await cache.addAll([...files, NEUTRAL_PAGE, `${BASE}soup.css`]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith(BASE)) return;
  if (event.request.mode === "navigate" && url.pathname !== BASE) {
    // Another page (the neutral one): never kept in place of the app's page.
    event.respondWith(fetch(event.request).catch(async () => (await caches.match(url.pathname)) ?? Response.error()));
    return;
  }
  if (event.request.mode === "navigate") {
    // The page from the hub when it answers (a new version at once), the kept one when it does not.
    event.respondWith(
      fetch(event.request)
        .then(async (response) => {
          if (response.ok) await (await caches.open(SHELL_CACHE)).put(BASE, response.clone());
          return response;
        })
        .catch(async () => (await caches.match(BASE)) ?? Response.error()),
    );
    return;
  }
  // Hashed files never change: kept ones are served at once.
  event.respondWith(
    caches.match(event.request).then(
      (kept) =>
        kept ??
        fetch(event.request).then(async (response) => {
          if (response.ok && url.pathname.startsWith(ASSETS))
            await (await caches.open(SHELL_CACHE)).put(event.request, response.clone());
          return response;
        }),
    ),
  );
});
