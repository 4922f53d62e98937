// The portal's service worker, served at /sw.js by portal/offline.py, which
// puts ASSETS, VERSION, STORE, SHELLS, URLS and OFFLINE_PAGE above this line.
//
// What it keeps: the static files named in ASSETS (public, the same for
// everyone) and the page for recording a visit (SHELLS), which holds no one's
// data: its list of people is filled on the phone from the user's own copy.
// It keeps no other page: staff pages carry people's data and go to the
// network every time; public pages are left to the browser and the server.
//
// With Background Sync it sends the queue when the connection returns, even
// with no page open; the pages send it too (online event, page load), and a
// form sent twice is saved once (each carries its key).
/* global ASSETS, VERSION, STORE, SHELLS, URLS, OFFLINE_PAGE, PortalOffline */
"use strict";

importScripts(STORE);

var STATIC_CACHE = "portal-static-" + VERSION;
var SHELL_CACHE = "portal-shell";
var USER_KEY = "/__portal-offline-user";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then(function (cache) {
        return cache.addAll(ASSETS);
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("portal-static-") === 0 && name !== STATIC_CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function isShell(url) {
  return SHELLS.indexOf(url.pathname) !== -1 && !url.search;
}

function offlinePage() {
  return new Response(OFFLINE_PAGE, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.match(request).then(function (hit) {
        return hit || fetch(request);
      })
    );
    return;
  }
  if (request.mode !== "navigate" || url.pathname.indexOf("/staff/") !== 0) {
    return;
  }
  if (isShell(url)) {
    event.respondWith(
      fetch(request).then(
        function (response) {
          if (response.ok && !response.redirected) {
            var copy = response.clone();
            caches.open(SHELL_CACHE).then(function (cache) {
              cache.put(url.pathname, copy);
            });
          }
          return response;
        },
        function () {
          return caches.match(url.pathname, { cacheName: SHELL_CACHE }).then(function (hit) {
            return hit || offlinePage();
          });
        }
      )
    );
    return;
  }
  // Any other staff page: the network, and a plain page saying what still
  // works when there is none (never a stored copy of a staff page).
  event.respondWith(
    fetch(request).catch(function () {
      return offlinePage();
    })
  );
});

// The pages say whose session they run in; the stored visit page was made for
// one user, so it goes when another signs in, and when its user signs out.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "user") {
    event.waitUntil(
      caches.open(SHELL_CACHE).then(function (cache) {
        return cache.match(USER_KEY).then(function (hit) {
          var known = hit ? hit.text() : Promise.resolve("");
          return known.then(function (previous) {
            if (previous === String(data.user)) {
              return null;
            }
            return caches.delete(SHELL_CACHE).then(function () {
              return caches.open(SHELL_CACHE).then(function (fresh) {
                return fresh.put(USER_KEY, new Response(String(data.user)));
              });
            });
          });
        });
      })
    );
  } else if (data.type === "signed-out") {
    event.waitUntil(caches.delete(SHELL_CACHE));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "portal-offline-queue") {
    event.waitUntil(
      PortalOffline.flush(URLS, null, null).then(function (outcome) {
        return self.clients
          .matchAll()
          .then(function (clients) {
            clients.forEach(function (client) {
              client.postMessage({ type: "queue-changed", outcome: outcome });
            });
          })
          .then(function () {
            // A rejected promise asks the browser to try again later.
            if (outcome.state === "offline") {
              throw new Error("offline");
            }
          });
      })
    );
  }
});
