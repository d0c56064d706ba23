// calendar_attention.mjs - a booking whose event was deleted in the provider's CalDAV
// calendar (a real Radicale, tests/radicale_peer.py) shows "needs attention" in the
// dashboard's booking detail at phone and desktop sizes; "Keep bookd's time" writes the
// event again.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DESKTOP, PHONE, WEB, assert, newPage, step, test, waitFor } from "./lib.mjs";

function startRadicale() {
	const py = spawn("/usr/bin/python3", [join(WEB, "tests", "radicale_peer.py")], { stdio: ["pipe", "pipe", "inherit"] });
	return new Promise((resolve, reject) => {
		createInterface({ input: py.stdout }).once("line", (line) => resolve({ ...JSON.parse(line), stop: () => new Promise((r) => { py.once("exit", r); py.stdin.end(); }) }));
		py.once("exit", (c) => reject(new Error("radicale_peer.py exited " + c)));
	});
}

/** The owner's API session: fetch with the cookie and CSRF token. */
async function ownerApi(server) {
	const login = await fetch(server.base + "/api/v1/auth/login", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ business: "demo", email: "owner@demo.test", password: server.owner_password }),
	});
	assert(login.status === 200, "login");
	const cookie = login.headers.get("set-cookie").split(";")[0];
	const { csrf_token } = await login.json();
	return async (method, path, body) => {
		const r = await fetch(server.base + "/api/v1/businesses/demo" + path, {
			method,
			headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf_token },
			body: body ? JSON.stringify(body) : undefined,
		});
		return { status: r.status, json: r.status === 204 ? null : await r.json() };
	};
}

test("admin: a booking whose calendar event was deleted in CalDAV shows it needs attention", async ({ base, server, browser }, t) => {
	const dav = await startRadicale();
	t.cleanup.push(() => dav.stop());
	const auth = "Basic " + Buffer.from(dav.username + ":" + dav.password).toString("base64");
	const api = await ownerApi(server);
	// A booking for a provider 9 days on, then that provider's calendar connected.
	const from = new Date(Date.now() + 9 * 86400000).toISOString().slice(0, 10);
	const to = new Date(Date.now() + 15 * 86400000).toISOString().slice(0, 10);
	const av = await (await fetch(base + "/api/v1/public/demo/availability?" + new URLSearchParams({ service: "haircut", from, to }))).json();
	const slot = av.days.flatMap((d) => d.slots)[0];
	assert(slot, "a free haircut time");
	const provider = slot.providers[0];
	const r = await fetch(base + "/api/v1/public/demo/bookings", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ service: "haircut", start: slot.start, provider, customer: { name: "Attention Ada", email: "ada.attention@example.com" } }),
	});
	assert(r.status === 201, "public booking " + r.status);
	const { reference } = await r.json();
	const bk = (await api("GET", "/bookings/" + reference)).json;
	const conn = await api("POST", "/calendar-connections", { kind: "caldav", url: dav.url + "/", username: dav.username, password: dav.password, provider_id: provider, name: "Work calendar" });
	assert(conn.status === 201, "connection " + conn.status + " " + JSON.stringify(conn.json));
	t.cleanup.push(() => api("DELETE", "/calendar-connections/" + conn.json.id));
	const href = dav.collection + bk.id + ".ics";
	await waitFor(async () => (await fetch(href, { headers: { Authorization: auth } })).status === 200, 15000, "the booking's event in Radicale");
	// Someone deletes it in their calendar app; a full read notices.
	const del = await fetch(href, { method: "DELETE", headers: { Authorization: auth } });
	assert(del.status === 200 || del.status === 204, "delete in Radicale " + del.status);
	assert((await api("POST", "/calendar-connections/" + conn.json.id + "/resync")).status === 202, "resync");
	await waitFor(async () => ((await api("GET", "/bookings/" + reference)).json.calendar_attention || []).length === 1, 15000, "the attention");
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await page.goto(base + "/admin/bookings");
		await page.waitForSelector("form.ad-login");
		await page.fill('input[name="business"]', "demo");
		await page.fill('input[name="email"]', "owner@demo.test");
		await page.fill('input[name="password"]', server.owner_password);
		await page.click('form.ad-login button[type="submit"]');
		await page.waitForSelector(".ad-nav");
		await page.fill('form.ad-toolbar input[type="search"]', reference);
		await page.click('form.ad-toolbar button[type="submit"]');
		const btn = page.locator("button.ad-link", { hasText: reference });
		await btn.waitFor();
		await btn.click();
		await page.waitForSelector("dialog.ad-dialog[open] [data-testid=calendar-attention]");
		const text = await page.locator("[data-testid=calendar-attention]").innerText();
		assert(text.includes("Needs attention") && text.includes("deleted") && text.includes("Work calendar"), text);
		await step(page, t, "1-attention");
		if (vp === PHONE) {
			await page.click('dialog.ad-dialog button:has-text("Keep bookd")');
			await page.waitForSelector("dialog.ad-dialog .bk-notice-ok");
			assert((await page.locator("[data-testid=calendar-attention]").count()) === 0, "the attention is gone");
			await step(page, t, "2-resolved");
			await waitFor(async () => (await fetch(href, { headers: { Authorization: auth } })).status === 200, 15000, "the event written again");
		}
		await page.click('dialog.ad-dialog button:has-text("Close")');
	}
});
