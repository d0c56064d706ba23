// staff.mjs - what the dashboard's browser tests share: signing in through the login form, the
// owner's API session, a public booking at the first free time, and reading the CSV exports.
import { assert } from "./lib.mjs";

/** Signs in through the dashboard's login form at `path` and waits for `ready`. */
export async function signIn(page, base, email, password, path = "/admin", ready = ".ad-nav") {
	await page.goto(base + path);
	await page.waitForSelector("form.ad-login");
	await page.fill('input[name="business"]', "demo");
	await page.fill('input[name="email"]', email);
	await page.fill('input[name="password"]', password);
	await page.click('form.ad-login button[type="submit"]');
	await page.waitForSelector(ready);
}

/** The demo owner's sign-in. */
export const signInOwner = (page, base, password, path = "/admin", ready = ".ad-nav") => signIn(page, base, "owner@demo.test", password, path, ready);

/** The owner's session for API calls on the demo business: {get, post, patch, put, del}. */
export async function ownerApi(base, password) {
	const login = await fetch(base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ business: "demo", email: "owner@demo.test", password }) });
	assert(login.status === 200, "the owner signs in: " + login.status);
	const cookie = login.headers.get("set-cookie").split(";")[0];
	const { csrf_token } = await login.json();
	const H = { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf_token };
	const B = base + "/api/v1/businesses/demo";
	return {
		get: async (p) => (await fetch(B + p, { headers: H })).json(),
		post: (p, body) => fetch(B + p, { method: "POST", headers: H, body: JSON.stringify(body) }),
		patch: (p, body) => fetch(B + p, { method: "PATCH", headers: H, body: JSON.stringify(body) }),
		put: (p, body) => fetch(B + p, { method: "PUT", headers: H, body: JSON.stringify(body) }),
		del: (p) => fetch(B + p, { method: "DELETE", headers: H }),
	};
}

let seq = 0;

/** A public booking of `service` at the first free time from `days` on (with `provider` when
 * given). The customer is `customer`, or a new "<who> N" with an address of their own. */
export async function publicBooking(base, { service = "haircut", days = 1, provider, customer, who = "Web Wes" } = {}) {
	const from = new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
	const to = new Date(Date.now() + (days + 6) * 86400000).toISOString().slice(0, 10);
	const q = new URLSearchParams({ service, from, to, tz: "Europe/London" });
	if (provider) q.set("provider", provider);
	const av = await (await fetch(base + "/api/v1/public/demo/availability?" + q)).json();
	const slot = av.days.flatMap((d) => d.slots)[0];
	assert(slot, "a free " + service + " time");
	const n = ++seq;
	const person = customer || { name: who + " " + n, email: who.split(" ")[0].toLowerCase() + n + "@example.com" };
	const body = { service, start: slot.start, provider: provider || slot.providers[0], customer: person };
	const r = await fetch(base + "/api/v1/public/demo/bookings", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
	if (r.status !== 201) throw new Error("public booking: " + r.status + " " + (await r.text()));
	return { ...(await r.json()), provider: body.provider, customer: person };
}

/** RFC 4180 rows (quoted cells, doubled quotes, CRLF, line breaks inside quotes). */
export function parseCsv(text) {
	const rows = [];
	let row = [], cell = "", quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
			else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ",") { row.push(cell); cell = ""; }
		else if (ch === "\r" && text[i + 1] === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; i++; }
		else cell += ch;
	}
	if (cell || row.length) { row.push(cell); rows.push(row); }
	return rows;
}
