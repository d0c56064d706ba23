// admin_waitlist.mjs - the dashboard's waiting lists: a full class session's list and an
// appointment list, with places, priorities, offers and their expiry; the owner moves an
// entry, raises a priority, offers by hand, removes, and reads an entry's history. The staff
// role has no such page (the routes are admin's).
import { DESKTOP, PHONE, assert, mails, newPage, step, test, waitFor } from "./lib.mjs";
import { emptySessions } from "./sessions.mjs";
import { ownerApi, signIn, signInOwner } from "./staff.mjs";

const civil = (ms) => new Date(ms).toISOString().slice(0, 10);

async function post(base, path, body) {
	const r = await fetch(base + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
	return { status: r.status, json: await r.json() };
}

/** The customers' names of a list on the page, in its order. */
async function order(page, session) {
	return page.locator('[data-wl-list="yoga|' + session + '"] tbody tr[data-wl-entry] th[data-wl-name]').evaluateAll((ths) => ths.map((th) => th.dataset.wlName));
}

test("admin waiting lists: places, priority, a hand offer with its expiry, removal, history; staff have no such page", async ({ browser, base, server }, t) => {
	// The first yoga session no test has touched, filled up, with three waiting.
	const empty = await emptySessions(base);
	assert(empty.length >= 2, "two empty yoga sessions");
	const session = empty[0];
	const stamp = Date.now();
	const full = [];
	for (const n of [6, 6]) {
		const r = await post(base, "/api/v1/public/demo/bookings", { service: "yoga", start: session.start, seats: n, customer: { name: "Full " + full.length, email: "full" + full.length + "." + stamp + "@example.com" } });
		assert(r.status === 201, "booked: " + r.status + " " + JSON.stringify(r.json));
		full.push(r.json);
	}
	const people = ["Ada", "Bea", "Cal"];
	for (const p of people) {
		const r = await post(base, "/api/v1/public/demo/waitlist", { session: session.id, customer: { name: p + " Wait", email: p.toLowerCase() + "." + stamp + "@example.com" } });
		assert(r.status === 201 && r.json.position === people.indexOf(p) + 1, "joined: " + JSON.stringify(r.json));
	}
	// An appointment list: a massage window far out.
	const from = civil(Date.now() + 35 * 86400000), to = civil(Date.now() + 38 * 86400000);
	const appt = await post(base, "/api/v1/public/demo/waitlist", { service: "massage", from, to, customer: { name: "Dee Window", email: "dee." + stamp + "@example.com" } });
	assert(appt.status === 201, "appointment list joined: " + appt.status);

	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signInOwner(page, base, server.owner_password, "/admin/waitlist", ".ad-wl");
	const listSel = '[data-wl-list="yoga|' + session.id + '"]';
	await page.waitForSelector(listSel);
	assert((await order(page, session.id)).join() === "Ada Wait,Bea Wait,Cal Wait", "in joining order: " + (await order(page, session.id)));
	await step(page, t, "1-lists");

	// Ada down one: Bea, Ada, Cal.
	await page.click(listSel + ' button[aria-label="Move Ada Wait down"]');
	await page.waitForSelector("text=Ada Wait moved.");
	assert((await order(page, session.id)).join() === "Bea Wait,Ada Wait,Cal Wait", "Ada moved: " + (await order(page, session.id)));
	// Cal to high priority: first.
	await page.selectOption(listSel + ' select[aria-label="Priority of Cal Wait"]', "high");
	await page.waitForSelector("text=Cal Wait's priority changed.");
	assert((await order(page, session.id)).join() === "Cal Wait,Bea Wait,Ada Wait", "Cal first: " + (await order(page, session.id)));
	const firstPlace = await page.locator(listSel + " tbody tr[data-wl-entry] [data-position]").first().getAttribute("data-position");
	assert(firstPlace === "1", "Cal is number 1");

	// A seat by hand: none is free, and the page says so.
	await page.locator(listSel + ' tr[data-wl-entry]:has-text("Bea Wait") [data-wl-offer]').click();
	await page.waitForSelector('.ad-wl [role="alert"]');
	// Ada removed.
	await page.locator(listSel + ' tr[data-wl-entry]:has-text("Ada Wait") [data-wl-remove]').click();
	await page.waitForSelector(listSel + ' tr[data-status="removed"]:has-text("Ada Wait")');
	// Six seats free: Cal and Bea are offered one each, by email, until the offer's expiry.
	const c = await fetch(base + "/api/v1/public/bookings/" + full[0].reference + "/cancel", { method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer " + full[0].manage_token }, body: "{}" });
	assert(c.status === 200, "a group cancelled: " + c.status);
	await waitFor(() => mails(server).find((m) => m.to.includes("bea." + stamp + "@example.com")), 15000, "Bea's offer email");
	await page.reload();
	await page.waitForSelector(listSel + ' tr[data-status="offered"]:has-text("Bea Wait") [data-wl-expires]');
	await page.waitForSelector(listSel + ' tr[data-status="offered"]:has-text("Cal Wait") [data-wl-expires]');
	// Bea's history: joined, moved, offered.
	await page.locator(listSel + ' tr[data-wl-entry]:has-text("Bea Wait") [data-wl-history]').click();
	await page.waitForSelector("[data-wl-history-of] li[data-kind=offered]");
	const kinds = await page.locator("[data-wl-history-of] li").evaluateAll((lis) => lis.map((li) => li.dataset.kind));
	assert(kinds[0] === "joined" && kinds.includes("offered"), "Bea's history: " + kinds);
	await step(page, t, "2-changed");

	// The appointment entry: a free time of its window offered by hand.
	const dee = page.locator('tr[data-wl-entry="' + appt.json.id + '"]');
	await dee.locator("[data-wl-offer]").click();
	await page.waitForSelector(".ad-wl-offer select[name=start]");
	await step(page, t, "3-offer-time");
	await page.click('.ad-wl-offer button[type="submit"]');
	await page.waitForSelector('tr[data-wl-entry="' + appt.json.id + '"][data-status="offered"] [data-wl-expires]');

	// The same page on a phone.
	const phone = await newPage(browser, t, { viewport: PHONE });
	await signInOwner(phone, base, server.owner_password, "/admin/waitlist", ".ad-wl");
	await phone.waitForSelector(listSel);
	await step(phone, t, "4-phone");

	// Staff: no waiting list page in the navigation, and the route says 403.
	const api = await ownerApi(base, server.owner_password);
	const u = await api.post("/users", { email: "wes.wl@demo.test", name: "Wes", role: "staff", password: "wes's password" });
	assert(u.status === 201, "staff user made: " + u.status);
	const sp = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(sp, base, "wes.wl@demo.test", "wes's password");
	const nav = await sp.locator(".ad-nav ul").innerText();
	assert(!/Waiting lists/.test(nav), "staff navigation: " + nav);
	const denied = await sp.evaluate(async () => (await fetch("/api/v1/businesses/demo/waitlist")).status);
	assert(denied === 403, "the staff role may not read the lists: " + denied);
});
