// admin.mjs - the staff dashboard at /admin, at desktop and phone sizes: sign in, the
// calendar shaded from the engine's open time, a public booking appearing live, moving a
// booking by drag (and a refused drop), the bookings list and a booking's actions, a
// closure's impact preview, and a session that ends mid-way.
import { DESKTOP, PHONE, assert, mails, newPage, step, test, waitFor } from "./lib.mjs";
import { publicBooking as book, signInOwner as signIn } from "./staff.mjs";

let seq = 0;

const publicBooking = (base, o) => book(base, { who: "Live Lee", ...o });

async function showDay(page, date) {
	await page.fill('.ad-toolbar input[type="date"]', date);
	await page.locator('.ad-toolbar input[type="date"]').dispatchEvent("change");
}

test("admin: sign in, the day calendar with hours shaded, a public booking appears within 2 s", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await page.goto(base + "/admin");
	await page.waitForSelector("form.ad-login");
	await step(page, t, "1-login");
	await signIn(page, base, server.owner_password);
	await page.waitForSelector(".ec-resource, .ec-col-head");
	// Columns are the providers (and resources); closed time is shaded.
	const heads = await page.locator(".ad-ec").innerText();
	assert(/Alex|Sam|Chloe|[A-Z][a-z]+/.test(heads), "provider columns: " + heads.slice(0, 200));
	const b = await publicBooking(base, { days: 1 });
	const date = b.start.slice(0, 10);
	await showDay(page, date);
	await page.waitForSelector(".ad-closed");
	await step(page, t, "2-day");
	const c = await publicBooking(base, { days: 1 });
	const t0 = Date.now();
	await waitFor(async () => (await page.locator(".ad-ec").innerText()).includes(c.customer.name), 2000, "the public booking in the open calendar");
	assert(Date.now() - t0 < 2000, "live within 2 s");
	await step(page, t, "3-live");
});

/** The box of what loc finds once the calendar has settled (a live reload may redraw it). */
async function settledBox(page, loc) {
	await loc.waitFor();
	for (let i = 0; i < 50; i++) {
		const box = await loc.boundingBox().catch(() => null);
		if (box) return box;
		await page.waitForTimeout(100);
	}
	throw new Error("no box for " + loc);
}

/** Drags the calendar event of `name` to the column of `provider`, `minutes` later. */
async function dragTo(page, name, provider, minutes) {
	await page.waitForTimeout(400); // let a reload the last change caused finish drawing
	const box = await settledBox(page, page.locator(".ec-event:not(.ec-bg-event)", { hasText: name }).first());
	const hb = await settledBox(page, page.locator(".ec-header .ec-col-head", { hasText: provider }).first());
	const slotH = 24; // the widget's default slot height; a slot is 30 minutes
	await page.mouse.move(box.x + 5, box.y + 5);
	await page.mouse.down();
	await page.mouse.move(box.x + 15, box.y + 15, { steps: 4 });
	await page.mouse.move(hb.x + hb.width / 2, box.y + 5 + (minutes / 30) * slotH, { steps: 12 });
	await page.mouse.up();
}

async function providersByName(base) {
	const r = await (await fetch(base + "/api/v1/public/demo/services")).json();
	const out = {};
	for (const s of r.services) for (const p of s.providers || []) out[p.id] = p.name;
	return out;
}

test("admin: drag a booking to another provider and time; a drop on a busy time is refused", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(page, base, server.owner_password);
	const names = await providersByName(base);
	const b = await publicBooking(base, { days: 2 });
	const date = b.start.slice(0, 10);
	// A time the engine offers another provider that day, on the hour grid of the drop.
	const av = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&from=" + date + "&to=" + date)).json();
	const ms = (s) => Date.parse(s);
	const free = av.days[0].slots.find((s) => ms(s.start) > ms(b.start) && (ms(s.start) - ms(b.start)) % 1800000 === 0 && s.providers.some((p) => p !== b.provider));
	assert(free, "a free time of another provider");
	const other = free.providers.find((p) => p !== b.provider);
	await showDay(page, date);
	await dragTo(page, b.customer.name, names[other], (ms(free.start) - ms(b.start)) / 60000);
	// Nothing is sent before the dialog asks whether to tell the customer (yes by default).
	await page.waitForSelector("dialog.ad-change[open]");
	assert(await page.locator('dialog.ad-change input[name="notify"]').isChecked(), "telling the customer is the default");
	await step(page, t, "1-ask");
	await page.click('dialog.ad-change button[type="submit"]');
	await page.waitForSelector(".ad-cal > div > .bk-notice-ok");
	await step(page, t, "1-moved");
	const after = await (await fetch(base + "/api/v1/public/bookings/" + b.reference, { headers: { Authorization: "Bearer " + b.manage_token } })).json();
	assert(ms(after.start) === ms(free.start), "moved to " + free.start + ": " + after.start);
	const mail = await waitFor(() => mails(server).find((m) => m.to.includes(b.customer.email) && m.text.includes(b.reference) && /chang|moved|resched/i.test(m.subject)), 8000, "the customer's email of the new time");
	assert(mail, "mail");
	// Onto a busy time: refused with its reason, nothing changes.
	const c = await publicBooking(base, { days: 2, provider: other });
	await page.waitForTimeout(300);
	const c0 = await (await fetch(base + "/api/v1/public/bookings/" + c.reference, { headers: { Authorization: "Bearer " + c.manage_token } })).json();
	const now = await (await fetch(base + "/api/v1/public/bookings/" + b.reference, { headers: { Authorization: "Bearer " + b.manage_token } })).json();
	if (c0.start.slice(0, 10) === date) {
		await dragTo(page, b.customer.name, names[other], (ms(c0.start) - ms(now.start)) / 60000);
		await page.waitForSelector("dialog.ad-change[open]");
		await page.click('dialog.ad-change button[type="submit"]');
		await page.waitForSelector("dialog.ad-change .bk-notice-error");
		const text = await page.locator("dialog.ad-change .bk-notice-error").innerText();
		assert(/refused/.test(text) && /\((busy|buffer)\)/.test(text), "refused with its reason: " + text);
		await step(page, t, "2-refused");
		await page.locator("dialog.ad-change button", { hasText: "Leave it as it was" }).last().click();
		await page.waitForSelector("dialog.ad-change", { state: "detached" });
		const still = await (await fetch(base + "/api/v1/public/bookings/" + b.reference, { headers: { Authorization: "Bearer " + b.manage_token } })).json();
		assert(still.start === now.start, "a refused move changes nothing");
	}
});

test("admin: bookings list, a booking's detail and check-in", async ({ base, server, browser }, t) => {
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, server.owner_password, "/admin/bookings");
		await page.waitForSelector(".ad-table, .ad-main p");
		await step(page, t, "1-list");
		const b = await publicBooking(base, { days: 3 });
		await page.click('form.ad-toolbar button[type="submit"]');
		const btn = page.locator("button.ad-link", { hasText: b.reference });
		await btn.waitFor();
		await btn.click();
		await page.waitForSelector("dialog.ad-dialog[open] .ad-dl");
		await step(page, t, "2-detail");
		await page.click('dialog.ad-dialog button:has-text("Check in")');
		await page.waitForSelector("dialog.ad-dialog .bk-notice-ok");
		assert((await page.locator("dialog.ad-dialog").innerText()).includes("checked in"), "checked in");
		await page.click('dialog.ad-dialog button:has-text("Close")');
	}
});

test("admin: a closure's impact preview lists the booking it would strand, then saves", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(page, base, server.owner_password, "/admin/closures");
	const b = await publicBooking(base, { days: 5 });
	await page.fill('.ad-toolbar input[type="date"]', b.start.slice(0, 10));
	await page.fill('.ad-toolbar input:not([type])', "Staff training");
	await page.click('.ad-toolbar button[type="submit"]');
	await page.waitForSelector(".ad-impact");
	const text = await page.locator(".ad-impact").innerText();
	assert(text.includes(b.reference) && /closed/.test(text), "the impact lists the booking: " + text);
	await step(page, t, "1-impact");
	await page.click('.ad-impact button');
	await page.waitForSelector(".bk-notice-ok");
	await step(page, t, "2-saved");
	const av = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&from=" + b.start.slice(0, 10) + "&to=" + b.start.slice(0, 10))).json();
	assert(av.days[0].slots.length === 0, "no free time on the closed date");
});

test("admin: a session that ends goes to the login and back to the same page", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: PHONE });
	await signIn(page, base, server.owner_password, "/admin/bookings");
	await page.waitForSelector(".ad-table, .ad-main p");
	await step(page, t, "1-phone-list");
	await page.click('.ad-nav a[href="/admin/calendar"]');
	await page.waitForSelector(".ad-ec", { state: "attached" });
	await page.waitForSelector(".ec");
	await step(page, t, "2-phone-agenda");
	// The session ends on the server (as after 12 hours).
	await page.evaluate(() => fetch("/api/v1/auth/logout", { method: "POST", headers: { "X-CSRF-Token": "x" } }));
	await page.context().clearCookies();
	await page.click('.ad-nav a[href="/admin/bookings"]');
	await page.waitForSelector("form.ad-login");
	assert((await page.locator(".ad-main").innerText()).includes("session ended"), "says the session ended");
	await page.fill('input[name="password"]', server.owner_password);
	await page.fill('input[name="email"]', "owner@demo.test");
	await page.click('form.ad-login button[type="submit"]');
	await page.waitForSelector(".ad-nav");
	assert(page.url().endsWith("/admin/bookings"), "back on the page: " + page.url());
});

test("admin: weekly hours with a break; a shortened day's impact lists the booking it strands; the public times follow", async ({ base, server, browser }, t) => {
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, server.owner_password, "/admin/hours");
		await page.waitForSelector(".ad-hours");
		await step(page, t, "1-hours");
		if (vp === PHONE) continue;
		// Alice works the business's hours; give her own: Tuesdays 09:00-12:00 and 13:00-17:00.
		const provs = await (await fetch(base + "/api/v1/public/demo/services")).json();
		const alice = provs.services.flatMap((s) => s.providers || []).find((p) => /Alice/.test(p.name));
		await page.selectOption(".ad-main select >> nth=0", "provider:" + alice.id);
		for (const [s, e] of [["09:00", "12:00"], ["13:00", "17:00"]]) {
			await page.selectOption('select[name="weekday"]', "tue");
			await page.fill('input[name="start"]', s);
			await page.fill('input[name="end"]', e);
			await page.click('form.ad-toolbar button[type="submit"]');
			await page.waitForSelector(".ad-impact");
			await page.click(".ad-impact button");
			await page.waitForSelector(".bk-notice-ok");
		}
		await step(page, t, "2-break");
		// The public availability shows exactly those hours for her on the next Tuesday.
		const tue = [...Array(14).keys()].map((i) => new Date(Date.now() + (i + 1) * 86400000).toISOString().slice(0, 10)).find((d) => new Date(d + "T12:00:00Z").getUTCDay() === 2);
		const av = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&provider=" + alice.id + "&from=" + tue + "&to=" + tue)).json();
		const hours = av.days[0].slots.map((s) => s.start.slice(11, 16));
		assert(hours.length && hours.every((h) => (h >= "09:00" && h < "12:00") || (h >= "13:00" && h < "17:00")), "only her new hours: " + hours.join(" "));
		assert(!hours.some((h) => h > "11:15" && h < "13:00"), "no start runs into the break: " + hours.join(" "));
		// A booking that afternoon; shortening the afternoon to 13:00-14:00 would strand it.
		const late = av.days[0].slots.filter((s) => s.start.slice(11, 16) >= "15:00")[0];
		const r = await fetch(base + "/api/v1/public/demo/bookings", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ service: "haircut", start: late.start, provider: alice.id, customer: { name: "Stranded Sam", email: "sam@example.com" } }) });
		assert(r.status === 201, "booked the afternoon");
		const ref = (await r.json()).reference;
		const row = page.locator('form.ad-rule[data-start="13:00"]').first();
		await row.locator("input").nth(1).fill("14:00");
		await row.locator('button[type="submit"]').click();
		await page.waitForSelector(".ad-impact");
		const text = await page.locator(".ad-impact").innerText();
		assert(text.includes(ref) && text.includes("Stranded Sam") && /outside opening hours/.test(text), "the impact lists the stranded booking: " + text);
		await step(page, t, "3-impact");
		const still = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&provider=" + alice.id + "&from=" + tue + "&to=" + tue)).json();
		assert(still.days[0].slots.some((s) => s.start.slice(11, 16) >= "14:00"), "a preview writes nothing");
	}
});

test("admin: a staff login sees only its own provider; hours and closures are not offered", async ({ base, server, browser }, t) => {
	// The owner makes a staff user and links a provider to it (staff API).
	const login = await fetch(base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ business: "demo", email: "owner@demo.test", password: server.owner_password }) });
	const cookie = login.headers.get("set-cookie").split(";")[0];
	const { csrf_token } = await login.json();
	const H = { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf_token };
	const u = await fetch(base + "/api/v1/businesses/demo/users", { method: "POST", headers: H, body: JSON.stringify({ email: "ben@demo.test", name: "Ben", role: "staff", password: "ben's password" }) });
	assert(u.status === 201, "user made: " + u.status);
	const user = await u.json();
	const provs = (await (await fetch(base + "/api/v1/businesses/demo/providers", { headers: H })).json()).providers;
	const ben = provs.find((p) => /Ben/.test(p.name));
	const l = await fetch(base + "/api/v1/businesses/demo/providers/" + ben.id, { method: "PATCH", headers: H, body: JSON.stringify({ user_id: user.id }) });
	assert(l.status === 200, "linked: " + l.status);
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await page.goto(base + "/admin");
	await page.fill('input[name="business"]', "demo");
	await page.fill('input[name="email"]', "ben@demo.test");
	await page.fill('input[name="password"]', "ben's password");
	await page.click('form.ad-login button[type="submit"]');
	await page.waitForSelector(".ad-nav");
	const nav = await page.locator(".ad-nav ul").innerText();
	assert(/Calendar/.test(nav) && /Bookings/.test(nav) && !/Hours|Closures/.test(nav), "staff navigation: " + nav);
	await page.waitForSelector(".ec-col-head");
	const heads = await page.locator(".ec-header .ec-col-head").allInnerTexts();
	assert(heads.length === 1 && /Ben/.test(heads[0]), "only Ben's column: " + heads.join(", "));
	await step(page, t, "1-staff-day");
	// A view the role may not have falls back to the calendar.
	await page.goto(base + "/admin/closures");
	await page.waitForSelector(".ad-cal");
});

test("admin: click empty time to book a walk-in; then no-show it from its detail", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(page, base, server.owner_password);
	const names = await providersByName(base);
	// A time the engine offers Chloé (her own hours, untouched by the other tests).
	const chloe = Object.keys(names).find((id) => /Chlo/.test(names[id]));
	const from = new Date(Date.now() + 9 * 86400000).toISOString().slice(0, 10);
	const to = new Date(Date.now() + 15 * 86400000).toISOString().slice(0, 10);
	const av = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&provider=" + chloe + "&from=" + from + "&to=" + to)).json();
	const slot = av.days.flatMap((d) => d.slots).find((s) => s.start.slice(14, 16) === "00");
	assert(slot, "a free hour for Chloé");
	await showDay(page, slot.start.slice(0, 10));
	await page.waitForSelector(".ad-closed");
	await page.waitForTimeout(400);
	const head = await settledBox(page, page.locator(".ec-header .ec-col-head", { hasText: names[chloe] }).first());
	// The grid's time of a y position: the slot label of that hour.
	const lb = await settledBox(page, page.locator(".ec-main").getByText(slot.start.slice(11, 16), { exact: true }).first());
	await page.mouse.click(head.x + head.width / 2, lb.y + lb.height / 2 + 6);
	await page.waitForSelector("dialog.ad-dialog[open] form");
	await page.fill('dialog input[name="name"]', "Walk In Wendy");
	await page.fill('dialog input[name="email"]', "wendy@example.com");
	await step(page, t, "1-new");
	await page.click('dialog button[type="submit"]');
	await page.waitForSelector(".ad-cal > div > .bk-notice-ok, dialog .bk-notice-error");
	const refused = await page.locator("dialog .bk-notice-error").count();
	assert(!refused, "booked: " + (refused ? await page.locator("dialog .bk-notice-error").innerText() : ""));
	const ev = page.locator(".ec-event", { hasText: "Walk In Wendy" });
	await ev.waitFor();
	await step(page, t, "2-booked");
	await ev.click();
	await page.waitForSelector("dialog.ad-dialog[open] .ad-dl");
	assert((await page.locator("dialog.ad-dialog").innerText()).includes("walk_in"), "source walk-in");
	await page.click('dialog.ad-dialog button:has-text("No-show")');
	await page.waitForSelector("dialog.ad-dialog .bk-notice-ok");
	assert((await page.locator("dialog.ad-dialog").innerText()).includes("no-show"), "now a no-show");
});
