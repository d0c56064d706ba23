// access.mjs - the dashboard's access views and calendar changes, at desktop and phone sizes:
// an admin cannot open users (navigation, address or API) while the owner creates, invites
// and links users, one of whom then sees only their own provider; an API token shown once,
// read-only, last use shown, revoked; the audit log filtered and paged; a rental resized, a
// move the customer is not told of, an admin's override with its reason (audited) and none
// offered to the staff role.
import { DESKTOP, PHONE, assert, mails, newPage, step, test, waitFor } from "./lib.mjs";
import { ownerApi, signIn } from "./staff.mjs";

const PW = "a long enough password";

/** Adds a user from the users view's form (with a password, or invited). */
async function addUser(page, { email, name, role, password }) {
	await page.fill('form.ad-user-new input[name="email"]', email);
	await page.fill('form.ad-user-new input[name="name"]', name);
	await page.selectOption('form.ad-user-new select[name="role"]', role);
	if (password) {
		await page.uncheck('form.ad-user-new input[name="invite"]');
		await page.fill('form.ad-user-new input[name="password"]', password);
	}
	await page.click('form.ad-user-new button[type="submit"]');
	await page.locator(".ad-main .bk-notice-ok", { hasText: email }).waitFor();
	await page.locator(`tr[data-email="${email}"]`).waitFor();
}

test("access: the owner adds, invites and links users; an admin cannot open users; a staff user sees only their own provider", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	page.on("dialog", (d) => d.accept());
	await signIn(page, base, "owner@demo.test", server.owner_password, "/admin/users");
	await page.waitForSelector("table.ad-users tbody tr");
	assert(/Users/.test(await page.locator(".ad-nav ul").innerText()), "the owner is offered users");
	await step(page, t, "1-users");
	await addUser(page, { email: "dana@demo.test", name: "Dana Admin", role: "admin", password: PW });
	await addUser(page, { email: "eve@demo.test", name: "Eve Staff", role: "staff", password: PW });
	// Eve keeps Alice's schedule.
	await page.selectOption('tr[data-email="eve@demo.test"] select >> nth=1', "alice");
	await page.locator(".ad-main .bk-notice-ok", { hasText: "Alice" }).waitFor();
	// Fay is invited: the email carries her link to choose a password.
	await addUser(page, { email: "fay@demo.test", name: "Fay", role: "staff" });
	const invite = await waitFor(() => mails(server).find((m) => m.to.includes("fay@demo.test")), 8000, "the invitation");
	assert(/invited/i.test(invite.subject) && /\/auth\/reset\?t=/.test(invite.text), "an invitation with a link: " + invite.subject);
	// A role change, answered in words.
	await page.selectOption('tr[data-email="fay@demo.test"] select >> nth=0', "admin");
	await page.locator(".ad-main .bk-notice-ok", { hasText: "fay@demo.test is now admin" }).waitFor();
	await step(page, t, "2-added");
	// Removing Fay (the browser's confirm is accepted above).
	await page.locator('tr[data-email="fay@demo.test"] button', { hasText: "Remove" }).click();
	await page.locator('tr[data-email="fay@demo.test"]').waitFor({ state: "detached" });
	const phone = await newPage(browser, t, { viewport: PHONE });
	await signIn(phone, base, "owner@demo.test", server.owner_password, "/admin/users");
	await phone.waitForSelector('tr[data-email="eve@demo.test"]');
	await step(phone, t, "3-users-phone");
	// A phone's header is short (one sideways-scrolling row of pages), the page never scrolls sideways,
	// and the open page's entry is in view.
	const fit = await phone.evaluate(() => {
		const cur = document.querySelector(".ad-nav [aria-current]").getBoundingClientRect();
		return { header: document.querySelector(".ad-header").getBoundingClientRect().height, wide: document.documentElement.scrollWidth, left: cur.left, right: cur.right };
	});
	assert(fit.header < 140 && fit.wide <= 390 && fit.left >= 0 && fit.right <= 390, "the phone header: " + JSON.stringify(fit));

	// Dana (admin): no Users in the navigation, the address falls back to the calendar, the API says 403.
	const admin = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(admin, base, "dana@demo.test", PW);
	const nav = await admin.locator(".ad-nav ul").innerText();
	assert(!/Users/.test(nav) && /API tokens/.test(nav) && /Audit log/.test(nav), "admin navigation: " + nav);
	await admin.goto(base + "/admin/users");
	await admin.waitForSelector(".ad-cal");
	assert(/cannot open that page/.test(await admin.locator(".ad-main").innerText()), "says why");
	assert(!(await admin.locator("table.ad-users").count()), "no users table for an admin");
	await step(admin, t, "4-admin-denied");
	const status = await admin.evaluate(async () => (await fetch("/api/v1/businesses/demo/users")).status);
	assert(status === 403, "the API refuses an admin the users: " + status);

	// Eve (staff): her own provider's column only.
	const eve = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(eve, base, "eve@demo.test", PW);
	const enav = await eve.locator(".ad-nav ul").innerText();
	assert(/Calendar/.test(enav) && !/Users|API tokens|Audit/.test(enav), "staff navigation: " + enav);
	await eve.waitForSelector(".ec-col-head");
	const heads = await eve.locator(".ec-header .ec-col-head").allInnerTexts();
	assert(heads.length === 1 && /Alice/.test(heads[0]), "only Alice's column: " + heads.join(", "));
	await step(eve, t, "5-staff-day");
});

test("access: an API token is shown once, read-only is refused writes, its last use shows, and it is revoked", async ({ base, server, browser }, t) => {
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		page.on("dialog", (d) => d.accept());
		await signIn(page, base, "owner@demo.test", server.owner_password, "/admin/tokens");
		await page.waitForSelector("form.ad-token-new");
		const name = "Reports " + vp.width;
		const expires = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
		await page.fill('form.ad-token-new input[name="name"]', name);
		await page.fill('form.ad-token-new input[name="expires"]', expires);
		await page.check('form.ad-token-new input[name="read_only"]');
		await page.click('form.ad-token-new button[type="submit"]');
		await page.waitForSelector(".ad-secret input");
		const secret = await page.inputValue(".ad-secret input");
		assert(/^biz_\w+\.\S{20,}$/.test(secret) || secret.includes("."), "the secret: " + secret);
		await step(page, t, "1-secret");
		const B = base + "/api/v1/businesses/demo/bookings";
		const read = await fetch(B, { headers: { Authorization: "Bearer " + secret } });
		assert(read.status === 200, "reads: " + read.status);
		const write = await fetch(B, { method: "POST", headers: { Authorization: "Bearer " + secret, "Content-Type": "application/json" }, body: "{}" });
		assert(write.status === 403, "a read-only token may not write: " + write.status);
		await page.click(".ad-secret button:has-text('I have copied it')");
		assert(!(await page.locator(".ad-secret").count()), "the secret is gone");
		await page.reload();
		const row = page.locator(`tr[data-name="${name}"]`);
		await row.waitFor();
		const text = await row.innerText();
		assert(/read only/.test(text) && !/not yet/.test(text) && !text.includes(secret.split(".")[1]), "scope and last use, never the secret: " + text);
		await step(page, t, "2-listed");
		await row.locator("button", { hasText: "Revoke" }).click();
		await page.locator(".bk-notice-ok", { hasText: "revoked" }).waitFor();
		// the notice comes first; the row is drawn again when the list has reloaded
		await page.locator(`tr[data-name="${name}"]`, { hasText: "revoked" }).waitFor({ timeout: 5000 });
		const after = await fetch(B, { headers: { Authorization: "Bearer " + secret } });
		assert(after.status === 401, "a revoked token: " + after.status);
	}
});

test("access: the audit log filters refused requests and pages with Show more", async ({ base, server, browser }, t) => {
	const api = await ownerApi(base, server.owner_password);
	// 55 refused requests (a token whose name is not a string): each is audited with its 422.
	for (let i = 0; i < 55; i++) assert((await api.post("/tokens", { name: i })).status === 422, "refused");
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, "owner@demo.test", server.owner_password, "/admin/audit");
		await page.waitForSelector("table.ad-audit tbody tr");
		await step(page, t, "1-log");
		await page.check('input[name="failed"]');
		await page.fill('input[name="q"]', "tokens");
		await page.click('.ad-toolbar button[type="submit"]');
		// The unfiltered first page had 50 rows too: wait for the filtered answer to replace it.
		const refusedOnly = async () => {
			const st = await page.locator("table.ad-audit tbody tr td:nth-child(4)").allInnerTexts();
			return st.length === 50 && st.every((x) => Number(x) >= 400);
		};
		await waitFor(refusedOnly, 5000, "a first page of 50 refused requests");
		await page.click("button:has-text('Show more')");
		await waitFor(async () => (await page.locator("table.ad-audit tbody tr").count()) >= 55, 5000, "the next page");
		await step(page, t, "2-filtered");
	}
});

/** The box of what loc finds once the calendar has settled. */
async function box(page, loc) {
	await loc.waitFor();
	for (let i = 0; i < 50; i++) {
		const b = await loc.boundingBox().catch(() => null);
		if (b) return b;
		await page.waitForTimeout(100);
	}
	throw new Error("no box for " + loc);
}

async function showDay(page, date) {
	await page.fill('.ad-toolbar input[type="date"]', date);
	await page.locator('.ad-toolbar input[type="date"]').dispatchEvent("change");
	await page.waitForSelector(".ad-closed");
	await page.waitForTimeout(400);
}

/** Drags from the middle of `from` by dy pixels (and to x when given). */
async function drag(page, from, dy, x) {
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 4, from.y + from.height / 2 + 6, { steps: 4 });
	await page.mouse.move(x ?? from.x + from.width / 2, from.y + from.height / 2 + dy, { steps: 12 });
	await page.mouse.up();
}

async function publicBook(base, body) {
	const r = await fetch(base + "/api/v1/public/demo/bookings", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
	if (r.status !== 201) throw new Error("public booking: " + r.status + " " + (await r.text()));
	return r.json();
}

/** The date n days from now (UTC). */
function plus(n) {
	return new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
}

/** A booking made by the owner through the staff API (no public limits apply). */
async function staffBook(api, body) {
	const r = await api.post("/bookings", body);
	if (r.status !== 201) throw new Error("staff booking: " + r.status + " " + (await r.text()));
	return r.json();
}

test("calendar: a rental resized, a move the customer is not told of, an admin's override with its reason; staff get no override", async ({ base, server, browser }, t) => {
	const api = await ownerApi(base, server.owner_password);
	// The first day from three weeks on with a bike free by 10:00 (the shop closes on holidays).
	const bikeDays = await (await fetch(base + "/api/v1/public/demo/availability?service=bike&tz=Europe/London&from=" + plus(20) + "&to=" + plus(30))).json();
	let span;
	for (const d of bikeDays.days) if ((span = d.slots.find((s) => s.start.slice(11, 16) <= "10:00"))) break;
	assert(span, "a free bike by 10:00 within ten days");
	const day = span.start.slice(0, 10);
	const rent = await publicBook(base, { service: "bike", start: day + "T10:00:00" + span.start.slice(19), end: day + "T12:00:00" + span.start.slice(19), customer: { name: "Rita Rider", email: "rita@example.com", timezone: "America/New_York" } });
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(page, base, "owner@demo.test", server.owner_password);
	await showDay(page, day);
	// The customer's own time in the booking's tooltip.
	const ev = page.locator(".ec-event:not(.ec-bg-event)", { hasText: "Rita Rider" }).first();
	const tip = await ev.locator(".ad-ev").getAttribute("title");
	assert(/America\/New_York/.test(tip || "") && /\b0?5:00/.test(tip || ""), "the customer's time: " + tip);
	// Resize: the bottom edge down by two 30-minute slots.
	const eb = await box(page, ev);
	const handle = ev.locator(".ec-resizer").last();
	await ev.hover();
	const hb = await box(page, handle);
	await drag(page, hb, 48);
	await page.waitForSelector("dialog.ad-change[open]");
	assert(/length/.test(await page.locator("#change-title").innerText()), "asks about the length");
	assert(/America\/New_York/.test(await page.locator("dialog.ad-change").innerText()), "the dialog shows the customer's time");
	await step(page, t, "1-resize-ask");
	await page.click('dialog.ad-change button[type="submit"]');
	await page.waitForSelector(".ad-cal > div > .bk-notice-ok");
	let b = await api.get("/bookings/" + rent.reference);
	assert(b.end.slice(11, 16) === "13:00" && b.start.slice(11, 16) === "10:00", "resized to 10:00-13:00: " + b.start + " " + b.end);
	assert(eb.height > 0, "drawn");
	await step(page, t, "2-resized");

	// A haircut moved without telling the customer.
	// A day when Alice has a free time and another three hours later.
	const av = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&provider=alice&from=" + plus(21) + "&to=" + plus(35))).json();
	let first, later;
	for (const d of av.days) {
		first = d.slots.find((a) => d.slots.some((s) => Date.parse(s.start) - Date.parse(a.start) === 3 * 3600000) && d.slots.some((s) => Date.parse(s.start) - Date.parse(a.start) === 3600000));
		later = first && d.slots.find((s) => Date.parse(s.start) - Date.parse(first.start) === 3 * 3600000);
		if (later) break;
	}
	assert(first && later, "two free times for Alice");
	await showDay(page, first.start.slice(0, 10));
	const cut = await staffBook(api, { service: "haircut", start: first.start, provider: "alice", customer: { name: "Quiet Quinn", email: "quinn@example.com" } });
	const blocker = await staffBook(api, { service: "haircut", start: later.start, provider: "alice", customer: { name: "Busy Bea", email: "bea@example.com" } });
	await page.waitForTimeout(600);
	const cb = await box(page, page.locator(".ec-event:not(.ec-bg-event)", { hasText: "Quiet Quinn" }).first());
	await drag(page, cb, 48); // an hour later
	await page.waitForSelector("dialog.ad-change[open]");
	await page.uncheck('dialog.ad-change input[name="notify"]');
	await page.click('dialog.ad-change button[type="submit"]');
	await page.locator(".ad-cal > div > .bk-notice-ok", { hasText: "not told" }).waitFor();
	b = await api.get("/bookings/" + cut.reference);
	assert(Date.parse(b.start) === Date.parse(first.start) + 3600000, "moved an hour: " + b.start);
	assert(b.history.at(-1).changes.notified === false, "the history says the customer was not told");

	// Onto Busy Bea: refused; the owner overrides it with a reason, which the audit log keeps.
	const cb2 = await box(page, page.locator(".ec-event:not(.ec-bg-event)", { hasText: "Quiet Quinn" }).first());
	await drag(page, cb2, 96); // two hours later: Bea's time
	await page.waitForSelector("dialog.ad-change[open]");
	await page.click('dialog.ad-change button[type="submit"]');
	await page.waitForSelector("dialog.ad-change .bk-notice-error");
	assert(/\((busy|buffer)\)/.test(await page.locator("dialog.ad-change .bk-notice-error").innerText()), "refused with its reason");
	await page.fill('dialog.ad-change input[name="override_reason"]', "Quinn and Bea come together");
	await step(page, t, "3-override");
	await page.click("dialog.ad-change .ad-override button[type=submit]");
	await page.waitForSelector(".ad-cal > div > .bk-notice-ok");
	b = await api.get("/bookings/" + cut.reference);
	assert(Date.parse(b.start) === Date.parse(blocker.start), "overridden onto Bea's time: " + b.start);
	assert(b.history.at(-1).reason === "Quinn and Bea come together", "the reason is in the history");
	const audit = await api.get("/audit?q=" + encodeURIComponent("come together"));
	assert(audit.entries.length === 1 && /^override (busy|buffer): Quinn and Bea come together$/.test(audit.entries[0].detail), "audited: " + JSON.stringify(audit.entries));
	await step(page, t, "4-overridden");

	// The staff role: a refused drop says why and offers no override.
	const u = await api.post("/users", { email: "gus@demo.test", name: "Gus", role: "staff", password: PW });
	assert(u.status === 201, "gus: " + u.status);
	assert((await api.patch("/providers/chloe", { user_id: (await u.json()).id })).status === 200, "linked");
	const cav = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&provider=chloe&from=" + plus(21) + "&to=" + plus(35))).json();
	let c1, c2;
	for (const d of cav.days) {
		c1 = d.slots.find((a) => d.slots.some((s) => Date.parse(s.start) - Date.parse(a.start) === 3600000));
		c2 = c1 && d.slots.find((s) => Date.parse(s.start) - Date.parse(c1.start) === 3600000);
		if (c2) break;
	}
	assert(c1 && c2, "two free times for Chloé");
	await staffBook(api, { service: "haircut", start: c1.start, provider: "chloe", customer: { name: "Gus Client", email: "gc@example.com" } });
	await staffBook(api, { service: "haircut", start: c2.start, provider: "chloe", customer: { name: "Other Client", email: "oc@example.com" } });
	const gus = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(gus, base, "gus@demo.test", PW);
	await showDay(gus, c1.start.slice(0, 10));
	const gb = await box(gus, gus.locator(".ec-event:not(.ec-bg-event)", { hasText: "Gus Client" }).first());
	await drag(gus, gb, 48);
	await gus.waitForSelector("dialog.ad-change[open]");
	await gus.click('dialog.ad-change button[type="submit"]');
	await gus.waitForSelector("dialog.ad-change .bk-notice-error");
	assert(!(await gus.locator('dialog.ad-change input[name="override_reason"]').count()), "no override for the staff role");
	await step(gus, t, "5-staff-refused");
	await gus.locator("dialog.ad-change button", { hasText: "Leave it as it was" }).last().click();
	await gus.waitForSelector("dialog.ad-change", { state: "detached" });
});

test("calendar: a booking's detail shows the customer's time and asks whether to tell them of a cancellation", async ({ base, server, browser }, t) => {
	const api = await ownerApi(base, server.owner_password);
	const from = new Date(Date.now() + 22 * 86400000).toISOString().slice(0, 10);
	const to = new Date(Date.now() + 32 * 86400000).toISOString().slice(0, 10);
	const av = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&provider=ben&from=" + from + "&to=" + to)).json();
	const slot = av.days.flatMap((d) => d.slots)[0];
	assert(slot, "a free time for Ben");
	const bk = await publicBook(base, { service: "haircut", start: slot.start, provider: "ben", customer: { name: "Tokyo Tom", email: "tom@example.com", timezone: "Asia/Tokyo" } });
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, "owner@demo.test", server.owner_password, "/admin/bookings");
		await page.waitForSelector(".ad-table, .ad-main p");
		await page.fill('form.ad-toolbar input[name="q"]', bk.reference); // the list pages by 50
		await page.click('form.ad-toolbar button[type="submit"]');
		await page.locator("button.ad-link", { hasText: bk.reference }).click();
		await page.waitForSelector("dialog.ad-dialog[open] .ad-dl");
		const text = await page.locator("dialog.ad-dialog .ad-their-time").innerText();
		assert(/Asia\/Tokyo/.test(text), "the customer's time: " + text);
		await step(page, t, "1-detail");
		if (vp === PHONE) continue;
		await page.uncheck('dialog.ad-dialog input[name="notify"]');
		await page.click('dialog.ad-dialog button:has-text("Cancel booking")');
		await page.waitForSelector("dialog.ad-dialog .bk-notice-ok");
		const b = await api.get("/bookings/" + bk.reference);
		assert(b.status === "cancelled" && b.history.at(-1).changes.notified === false, "cancelled untold");
	}
});
