// front.mjs - a second loopback origin for the embed test: serves one host page that puts
// the booking app on it with bookd.js, as a business's own site would.
import { createServer } from "node:http";

export function hostSite(bookdBase, attrs) {
	const page =
		'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our studio</title></head><body>' +
		"<main><h1>Our studio</h1><p>Book below.</p>" +
		'<script src="' + bookdBase + '/bookd.js" ' + attrs + "></script>" +
		"<p id=after>After the booking page.</p></main></body></html>";
	const srv = createServer((req, res) => {
		res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
		res.end(page);
	});
	return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve({ base: "http://127.0.0.1:" + srv.address().port, close: () => srv.close() })));
}

