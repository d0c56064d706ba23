// front.mjs - a second loopback origin for the embed test: serves one host page that puts
// the booking app on it with bookd.js, as a business's own site would.
import { createServer } from "node:http";

export function hostSite(bookdBase, attrs) {
	const page =
		'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our studio</title></head><body>' +
		"<h1>Our studio</h1><p>Book below.</p>" +
		'<script src="' + bookdBase + '/bookd.js" ' + attrs + "></script>" +
		"<p id=after>After the booking page.</p></main></body></html>";
	const srv = createServer((req, res) => {
		res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
		res.end(page);
	});
	return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve({ base: "http://127.0.0.1:" + srv.address().port, close: () => srv.close() })));
}

/** Development only (BOOKD_WEB_FRONT=proxy): web/dist served from here, /api proxied to
 * bookd, for working on the app against a bookd that does not serve the pages itself. */
export async function proxyFront(bookdBase, dist) {
	const { readFile } = await import("node:fs/promises");
	const { request } = await import("node:http");
	const types = { html: "text/html", js: "text/javascript", css: "text/css", webmanifest: "application/manifest+json", png: "image/png" };
	const target = new URL(bookdBase);
	const srv = createServer(async (req, res) => {
		if (req.url.startsWith("/api/")) {
			const p = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
				res.writeHead(r.statusCode, r.headers);
				r.pipe(res);
			});
			req.pipe(p);
			return;
		}
		const path = new URL(req.url, "http://x").pathname;
		let file = path === "/" || !/\.[a-z]+$/.test(path) ? "/index.html" : path;
		try {
			const body = await readFile(dist + file);
			res.writeHead(200, { "Content-Type": types[file.split(".").pop()] || "application/octet-stream" });
			res.end(body);
		} catch {
			res.writeHead(404);
			res.end();
		}
	});
	return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve({ base: "http://127.0.0.1:" + srv.address().port, close: () => srv.close() })));
}
