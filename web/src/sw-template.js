/* sw.js - the booking app's service worker: keeps the app shell (index.html and its hashed
 * assets) so the page opens offline and says so. Never caches the API: free times shown
 * from a cache could not be booked. __SHELL__ and __VERSION__ are filled by the build. */
var SHELL = __SHELL__;
var CACHE = "bookd-shell-__VERSION__";

self.addEventListener("install", function (e) {
	e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
	e.waitUntil(caches.keys().then(function (keys) {
		return Promise.all(keys.filter(function (k) { return k.indexOf("bookd-shell-") === 0 && k !== CACHE; }).map(function (k) { return caches.delete(k); }));
	}).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (e) {
	var req = e.request;
	if (req.method !== "GET") return;
	var url = new URL(req.url);
	if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
	if (req.mode === "navigate") {
		e.respondWith(fetch(req).catch(function () { return caches.match("/index.html"); }));
		return;
	}
	e.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
});
