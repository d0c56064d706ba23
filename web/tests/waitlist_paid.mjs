// waitlist_paid.mjs - a waiting-list offer of a class that asks for payment: accepting it on
// the entry's page does not book it outright but shows the payment step (the place is kept
// until the payment hold ends); paid through the provider's page (the stand-in), the booking
// is confirmed by the webhook. Phone size (the desktop layout is the waitlist page's own).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PHONE, assert, newPage, startServer, step, test, waitFor } from "./lib.mjs";
import { ownerApi } from "./staff.mjs";

const civil = (ms) => new Date(ms).toISOString().slice(0, 10);

async function api(base, path, body, headers = {}) {
	const r = await fetch(base + path, {
		method: body === undefined ? "GET" : "POST",
		headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await r.text();
	return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

test("waiting list, paid class: the accepted offer waits for its payment, the webhook confirms it", async ({ browser }, t) => {
	const server = await startServer(mkdtempSync(join(tmpdir(), "bookd-web-wlpay-")), ["--paystand"]);
	t.cleanup.push(() => server.stop());
	const base = server.base;
	const owner = await ownerApi(base, server.owner_password);
	const r0 = await owner.put("/services/yoga/payment", { mode: "full" });
	assert(r0.status === 200, "yoga asks for full payment: " + r0.status);
	const list = await api(base, "/api/v1/public/demo/sessions?service=yoga&from=" + civil(Date.now()) + "&to=" + civil(Date.now() + 40 * 86400000));
	const session = list.json.sessions.filter((s) => s.seats_left === s.capacity).pop();
	assert(session, "an empty yoga session");
	// Staff fill it (staff bookings are paid by hand, so they are confirmed at once).
	const taken = [];
	for (const seats of [6, 6]) {
		const r = await owner.post("/bookings", { service: "yoga", start: session.start, seats, customer: { name: "Group " + seats, email: "wlgroup" + taken.length + "@example.com" } });
		assert(r.status === 201, "a group booked: " + r.status);
		taken.push(await r.json());
	}
	const joined = await api(base, "/api/v1/public/demo/waitlist", { session: session.id, customer: { name: "Paula Payer", email: "paula.wl@example.com" } });
	assert(joined.status === 201, "joined: " + joined.status + " " + JSON.stringify(joined.json));
	const e = joined.json;
	const c = await owner.post("/bookings/" + taken[0].reference + "/cancel", { reason: "moved" });
	assert(c.status === 200, "a group cancelled");
	const page = await newPage(browser, t, { viewport: PHONE });
	await page.goto(base + "/w/" + e.id + "?t=" + e.token);
	await page.waitForSelector("[data-waitlist-offer]");
	await page.click("text=Book this place");
	await page.waitForSelector("[data-waitlist-booked] [data-payment-state=awaiting]");
	assert((await page.textContent("[data-pay-due]")).includes("£"), "what is due is shown");
	assert((await page.getAttribute("[data-status]", "data-status")) === "awaiting_payment", "not called booked before it is paid");
	await step(page, t, "1-accepted-awaiting-payment");
	await page.click('[data-pay-method="stripe"]');
	await page.waitForURL(server.paystand + "/pay/stripe/**");
	await page.click("#pay");
	await page.waitForURL(/\/b\/[A-Z0-9-]+\?t=.*paid=1/);
	await waitFor(async () => (await page.locator('[data-status="confirmed"]').count()) > 0, 15000, "the booking confirmed");
	await step(page, t, "2-paid-confirmed");
});
