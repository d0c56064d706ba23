// admin_setup.mjs - the dashboard's setup editors, at desktop and phone sizes: business
// settings with an API refusal shown at its field, a service's notice changing the public
// times, a new service on the public catalogue, a longer service previewing the booking it
// would strand, time off and a special date that the public availability then follows, hours
// copied to other days, and the setup hidden from the staff role. Dates lie weeks ahead so
// the other suites' bookings (the next fortnight) are left alone; what is changed is undone.
import { CLOCK, DESKTOP, PHONE, assert, newPage, step, test, waitFor } from "./lib.mjs";
import { signInOwner } from "./staff.mjs";

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

const signIn = (page, base, password, path) => signInOwner(page, base, password, path, ".ad-subnav");

async function avail(base, service, from, to, provider) {
	const q = new URLSearchParams({ service, from, to, tz: "Europe/London" });
	if (provider) q.set("provider", provider);
	const r = await fetch(base + "/api/v1/public/demo/availability?" + q);
	assert(r.status === 200, "availability " + r.status);
	return (await r.json()).days.flatMap((d) => d.slots);
}

let seq = 0;
async function book(base, service, slot, provider) {
	const body = { service, start: slot.start, provider, customer: { name: "Setup Sue " + ++seq, email: "setup" + seq + "@example.com" } };
	const r = await fetch(base + "/api/v1/public/demo/bookings", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
	if (r.status !== 201) throw new Error("public booking: " + r.status + " " + (await r.text()));
	return { ...(await r.json()), customer: body.customer };
}

/** The input labelled `label` inside the form `form`. */
const field = (page, label) => page.getByLabel(label, { exact: true });

test("setup: every editor at both sizes; the setup is one entry of the top navigation", async ({ base, server, browser }, t) => {
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, server.owner_password, "/admin/business");
		const nav = await page.locator(".ad-nav ul").innerText();
		assert(/Setup/.test(nav) && !/Services|Providers|Hours/.test(nav), "top navigation: " + nav);
		const views = ["business", "policies", "services", "providers", "resources", "hours", "overrides", "time-off", "closures", "sessions"];
		for (const v of views) {
			await page.click('.ad-subnav a[href="/admin/' + v + '"]');
			await page.waitForSelector('.ad-subnav a[aria-current="page"][href="/admin/' + v + '"]');
			await page.waitForSelector(".ad-main h1");
			await page.waitForTimeout(150); // the view's first load
			await step(page, t, v);
			const wide = await page.evaluate(() => document.documentElement.scrollWidth);
			assert(wide <= vp.width, v + " fits the screen's width: " + wide);
		}
	}
});

test("setup: business settings save, and a refusal shows at the field at fault", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(page, base, server.owner_password, "/admin/business");
	await page.waitForSelector('input[name="accent_colour"]');
	await page.fill('input[name="accent_colour"]', "red");
	await page.click('form.ad-form:has(input[name="accent_colour"]) button[type="submit"]');
	const err = page.locator('.ad-field:has(input[name="accent_colour"]) .ad-field-error');
	await err.waitFor();
	assert(/colour/.test(await err.innerText()), "the API's words at the field: " + (await err.innerText()));
	assert((await page.getAttribute('input[name="accent_colour"]', "aria-invalid")) === "true", "marked invalid");
	await step(page, t, "1-refused");
	const before = await (await fetch(base + "/api/v1/public/demo")).json();
	assert(!before.accent_colour || before.accent_colour !== "red", "nothing saved");
	// A good value saves; then the old one back.
	await page.fill('input[name="accent_colour"]', "");
	await page.fill('input[name="phone"]', "+44 117 496 0001");
	await page.click('form.ad-form:has(input[name="accent_colour"]) button[type="submit"]');
	await page.waitForSelector("form.ad-form .bk-notice-ok");
	await step(page, t, "2-saved");
	// A new zone moves every weekly hour: its impact is listed first, and dismissed here.
	await page.fill('input[name="timezone"]', "America/New_York");
	await page.click('form.ad-form:has(input[name="accent_colour"]) button[type="submit"]');
	await page.waitForSelector(".ad-impact");
	await step(page, t, "3-zone-impact");
	await page.click('button:has-text("Do not make this change")');
	await page.fill('input[name="timezone"]', "Europe/London");
	assert((await (await fetch(base + "/api/v1/public/demo")).json()).timezone === "Europe/London", "a preview moves nothing");
	// The protection limits form reads and saves too.
	await page.fill('input[name="hold_day_share"]', "40");
	await page.click('form.ad-form:has(input[name="hold_day_share"]) button[type="submit"]');
	await page.waitForSelector('form.ad-form:has(input[name="hold_day_share"]) .bk-notice-ok');
	await page.fill('input[name="hold_day_share"]', "50");
	await page.click('form.ad-form:has(input[name="hold_day_share"]) button[type="submit"]');
	await page.fill('input[name="phone"]', "+44 117 496 0000");
	await page.fill('input[name="accent_colour"]', "#0f766e");
	await page.click('form.ad-form:has(input[name="accent_colour"]) button[type="submit"]');
	await waitFor(async () => (await (await fetch(base + "/api/v1/public/demo")).json()).accent_colour === "#0f766e", 5000, "the colour back");
});

test("setup: a service's minimum notice changes the public times", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(page, base, server.owner_password, "/admin/policies");
	const first = (await avail(base, "colour", day(1), day(20)))[0];
	assert(first && Date.parse(first.start) < Date.now() + 10 * 86400000, "colour is offered within 10 days: " + (first && first.start));
	await page.selectOption('select[name="service"]', "colour");
	await page.waitForFunction(() => document.querySelector('input[name="min_notice_s"]')?.value === "24");
	await page.fill('input[name="min_notice_s"]', "240"); // ten days, in hours
	await page.click('form.ad-form button[type="submit"]');
	await page.waitForSelector(".bk-notice-ok");
	await step(page, t, "1-saved");
	const now = (await avail(base, "colour", day(1), day(20)))[0];
	assert(now && Date.parse(now.start) >= Date.parse(CLOCK) + 10 * 86400000, "nothing sooner than ten days from " + CLOCK + ": " + (now && now.start));
	// A value the API refuses is shown at its field; then the old notice back.
	await page.fill('input[name="min_notice_s"]', "2400"); // a hundred days: past the booking window
	await page.click('form.ad-form button[type="submit"]');
	await page.locator('.ad-field:has(input[name="min_notice_s"]) .ad-field-error').waitFor();
	await step(page, t, "2-refused");
	await page.fill('input[name="min_notice_s"]', "24");
	await page.click('form.ad-form button[type="submit"]');
	await page.waitForSelector(".bk-notice-ok");
	const back = (await avail(base, "colour", day(1), day(20)))[0];
	assert(Date.parse(back.start) < Date.now() + 10 * 86400000, "offered sooner again");
});

test("setup: a new service appears on the public booking page", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(page, base, server.owner_password, "/admin/services");
	await page.click('button:has-text("New service")');
	await page.waitForSelector("form.ad-form");
	await page.fill('form.ad-form input[name="name"]', "Beard trim");
	await page.fill('form.ad-form input[name="duration_s"]', "20");
	await page.fill('form.ad-form input[name="price"]', "15");
	await page.fill('form.ad-form input[name="slot_interval_s"]', "15");
	await page.check('form.ad-form input[name="providers"][value="alice"]');
	await page.check('form.ad-form input[name="providers"][value="ben"]');
	await step(page, t, "1-new");
	await page.click('form.ad-form button[type="submit"]');
	await page.waitForSelector('.bk-notice-ok:has-text("Beard trim")');
	await page.waitForSelector('.ad-services th:has-text("Beard trim")');
	await step(page, t, "2-created");
	const shop = await newPage(browser, t, { viewport: PHONE });
	await shop.goto(base + "/book/demo");
	await shop.waitForSelector("text=Beard trim");
	await step(shop, t, "3-public");
	const svc = (await (await fetch(base + "/api/v1/public/demo/services")).json()).services.find((s) => s.name === "Beard trim");
	assert(svc && svc.duration_s === 1200 && svc.price.amount_minor === 1500, "as entered: " + JSON.stringify(svc));
	assert((await avail(base, svc.id, day(2), day(9))).length > 0, "it has times");
});

test("setup: a longer service first lists the booking it would strand", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	// A haircut at the end of one of Ben's days, five weeks ahead.
	const week = await avail(base, "haircut", day(35), day(41), "ben");
	assert(week.length, "Ben works that week");
	const first = week[0].start.slice(0, 10);
	const slots = week.filter((s) => s.start.slice(0, 10) === first);
	const b = await book(base, "haircut", slots[slots.length - 1], "ben");
	await signIn(page, base, server.owner_password, "/admin/services");
	await page.click('.ad-services tr[data-service="haircut"] button');
	await page.waitForSelector('form.ad-form input[name="duration_s"]');
	await page.fill('form.ad-form input[name="duration_s"]', "240");
	await page.click('form.ad-form button[type="submit"]');
	await page.waitForSelector(".ad-impact");
	const text = await page.locator(".ad-impact").innerText();
	assert(text.includes(b.reference) && text.includes(b.customer.name) && /outside opening hours/.test(text), "the impact lists the booking: " + text);
	await step(page, t, "1-impact");
	await page.click('button:has-text("Do not make this change")');
	await page.waitForSelector(".ad-impact", { state: "detached" });
	const svc = (await (await fetch(base + "/api/v1/public/demo/services")).json()).services.find((s) => s.id === "haircut");
	assert(svc.duration_s === 2700, "a preview changes nothing: " + svc.duration_s);
});

test("setup: time off for a provider leaves no public time in it", async ({ base, server, browser }, t) => {
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		// A weekday of Chloé's five or six weeks ahead, free in the late morning.
		const slots = await avail(base, "haircut", day(vp === DESKTOP ? 36 : 43), day(vp === DESKTOP ? 42 : 49), "chloe");
		const inside = slots.find((s) => s.start.slice(11, 16) >= "11:00" && s.start.slice(11, 16) < "13:00");
		assert(inside, "Chloé free some late morning");
		const date = inside.start.slice(0, 10);
		const b = await book(base, "haircut", inside, "chloe");
		await signIn(page, base, server.owner_password, "/admin/time-off");
		await page.selectOption('select[name="owner"]', "provider:chloe");
		await page.fill('input[name="start"]', date + "T10:00");
		await page.fill('input[name="end"]', date + "T14:00");
		await page.fill('input[name="reason"]', "Dentist");
		await page.click("form.ad-timeoff-form button[type=submit]");
		await page.waitForSelector(".ad-impact");
		const text = await page.locator(".ad-impact").innerText();
		assert(text.includes(b.reference) && /away/.test(text), "the impact lists the booking in it: " + text);
		await step(page, t, "1-impact");
		await page.click(".ad-impact .ad-btn-primary");
		await page.waitForSelector(".bk-notice-ok");
		await page.waitForSelector(".ad-list li:has-text('Dentist')");
		await step(page, t, "2-saved");
		const after = await avail(base, "haircut", date, date, "chloe");
		const end = (s) => Date.parse(s.end), start = (s) => Date.parse(s.start);
		const offFrom = Date.parse(inside.start.slice(0, 11) + "10:00:00" + inside.start.slice(19)), offTo = offFrom + 4 * 3600000;
		assert(after.length > 0, "other times stay");
		assert(after.every((s) => end(s) <= offFrom || start(s) >= offTo), "no time in the time off: " + after.map((s) => s.start.slice(11, 16)).join(" "));
	}
});

test("setup: a special date picked on the month grid changes that date's public times", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	// A day of Chloé's from seven weeks on whose usual hours reach outside 10:00-13:00.
	let date, before;
	for (let n = 50; n < 57 && !date; n++) {
		const slots = await avail(base, "haircut", day(n), day(n), "chloe");
		if (slots.some((s) => s.start.slice(11, 16) < "10:00" || s.start.slice(11, 16) >= "13:00")) [date, before] = [day(n), slots];
	}
	assert(date, "a day of Chloé's longer than 10:00-13:00");
	await signIn(page, base, server.owner_password, "/admin/overrides");
	await page.selectOption('select[name="owner"]', "provider:chloe");
	for (let i = 0; i < 3 && !(await page.locator('button.ad-day[data-date="' + date + '"]').count()); i++) await page.click('button:has-text("Next month")');
	await page.click('button.ad-day[data-date="' + date + '"]');
	await page.fill('.ad-override-form input[name="start"]', "10:00");
	await page.fill('.ad-override-form input[name="end"]', "13:00");
	await page.click(".ad-override-form button[type=submit]");
	await page.waitForSelector(".ad-impact");
	await step(page, t, "1-impact");
	await page.click(".ad-impact .ad-btn-primary");
	await page.waitForSelector('button.ad-day.ad-day-marked[data-date="' + date + '"]');
	await step(page, t, "2-marked");
	const after = await avail(base, "haircut", date, date, "chloe");
	const hours = after.map((s) => s.start.slice(11, 16));
	assert(hours.length && hours.every((h) => h >= "10:00" && h < "13:00"), "only the date's own hours: " + hours.join(" "));
	// Deleting it gives the usual day back.
	await page.click('.ad-list button:has-text("Delete 10:00–13:00")');
	await page.waitForSelector(".ad-impact");
	await page.click(".ad-impact .ad-btn-primary");
	await page.waitForSelector('button.ad-day[data-date="' + date + '"]:not(.ad-day-marked)');
	assert((await avail(base, "haircut", date, date, "chloe")).length === before.length, "the usual times again");
});

test("setup: hours for a season, and a day's hours copied to another day", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(page, base, server.owner_password, "/admin/hours");
	await page.waitForSelector(".ad-hours");
	const dates = [...Array(21).keys()].map((i) => day(60 + i));
	const mondays = dates.filter((d) => new Date(d + "T12:00:00Z").getUTCDay() === 1);
	const [inSeason, after] = mondays;
	const ben = async (d) => (await avail(base, "haircut", d, d, "ben")).map((s) => s.start.slice(11, 16));
	assert((await ben(inSeason)).length === 0 && (await ben(after)).length === 0, "Ben does not work Mondays");
	await page.selectOption(".ad-main select >> nth=0", "provider:ben");
	// A range that ends where it starts is refused, at its end.
	await page.fill('input[name="start"]', "12:00");
	await page.fill('input[name="end"]', "12:00");
	await page.click('form.ad-toolbar button[type="submit"]');
	const bad = page.locator('form.ad-toolbar label:has(input[name="end"]) .ad-field-error');
	await bad.waitFor();
	assert(/differ/.test(await bad.innerText()), "the API's words at the end: " + (await bad.innerText()));
	// A season of one week: Ben works its Monday 13:00-15:00.
	await page.click(".ad-details summary");
	await page.fill('input[name="valid_from"]', inSeason);
	await page.fill('input[name="valid_to"]', day(60 + dates.indexOf(inSeason) + 6));
	await page.click('button:has-text("Edit this season")');
	await page.selectOption('select[name="weekday"]', "mon");
	await page.fill('input[name="start"]', "13:00");
	await page.fill('input[name="end"]', "15:00");
	await page.click('form.ad-toolbar button[type="submit"]');
	await page.waitForSelector(".ad-impact");
	await page.click(".ad-impact .ad-btn-primary");
	await page.waitForSelector('form.ad-rule[data-start="13:00"]');
	await step(page, t, "1-season");
	const season = await ben(inSeason);
	assert(season.length && season.every((h) => h >= "13:00" && h < "15:00"), "Ben's Monday in the season: " + season.join(" "));
	assert((await ben(after)).length === 0, "not after the season");
	// All year: Tuesday's hours copied to Monday (a preview first).
	await page.selectOption('select[name="season"]', "|");
	await page.waitForSelector('form.ad-rule[data-start="10:00"]');
	await page.selectOption('select[name="copy_from"]', "tue");
	await page.check('input[name="copy_to"][value="mon"]');
	await page.click("form.ad-copy button[type=submit]");
	await page.waitForSelector(".ad-impact");
	await step(page, t, "2-copy-impact");
	await page.click(".ad-impact .ad-btn-primary");
	await waitFor(async () => (await page.locator('form.ad-rule[data-start="10:00"]').count()) === 6, 5000, "Monday to Saturday 10:00-18:00");
	await step(page, t, "3-copied");
	const mon = await ben(after);
	assert(mon.length && mon[0] === "10:00" && mon.every((h) => h >= "10:00" && h < "18:00"), "Ben's Mondays now: " + mon.join(" "));
	// Back as it was: Monday's all-year range deleted.
	await page.locator("tr", { hasText: "Monday" }).locator('form.ad-rule[data-start="10:00"] button:has-text("Delete")').click();
	await page.waitForSelector(".ad-impact");
	await page.click(".ad-impact .ad-btn-primary");
	await waitFor(async () => (await page.locator('form.ad-rule[data-start="10:00"]').count()) === 5, 5000, "Monday's range gone");
	assert((await ben(after)).length === 0, "Ben's Mondays free again");
});

test("setup: a class session added in the editor is offered publicly, then deleted", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: PHONE });
	const date = day(44);
	const before = await avail(base, "yoga", date, date);
	await signIn(page, base, server.owner_password, "/admin/sessions");
	await page.waitForSelector('select[name="service"]');
	await page.fill('input[name="start"]', date + "T07:30");
	await page.fill('input[name="capacity"]', "5");
	await page.selectOption('select[name="provider"]', "chloe");
	await page.click("form.ad-form button[type=submit]");
	await page.waitForSelector(".bk-notice-ok");
	await page.waitForSelector(".ad-list li:has-text('0 of 5')");
	await step(page, t, "1-added");
	const after = await avail(base, "yoga", date, date);
	const s = after.find((x) => x.start.slice(11, 16) === "07:30");
	assert(after.length === before.length + 1 && s && s.seats_left === 5, "offered with its places: " + JSON.stringify(after));
	await page.click('.ad-list li:has-text("0 of 5") button');
	await page.waitForSelector(".ad-list li:has-text('0 of 5')", { state: "detached" });
	assert((await avail(base, "yoga", date, date)).length === before.length, "gone again");
});

test("setup: the staff role is offered no setup", async ({ base, server, browser }, t) => {
	const login = await fetch(base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ business: "demo", email: "owner@demo.test", password: server.owner_password }) });
	const cookie = login.headers.get("set-cookie").split(";")[0];
	const { csrf_token } = await login.json();
	const H = { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf_token };
	const u = await fetch(base + "/api/v1/businesses/demo/users", { method: "POST", headers: H, body: JSON.stringify({ email: "sam.setup@demo.test", name: "Sam", role: "staff", password: "sam's long password" }) });
	assert(u.status === 201, "user made: " + u.status);
	const page = await newPage(browser, t, { viewport: PHONE });
	await page.goto(base + "/admin/services");
	await page.fill('input[name="business"]', "demo");
	await page.fill('input[name="email"]', "sam.setup@demo.test");
	await page.fill('input[name="password"]', "sam's long password");
	await page.click('form.ad-login button[type="submit"]');
	await page.waitForSelector(".ad-nav");
	const nav = await page.locator(".ad-nav ul").innerText();
	assert(!/Setup/.test(nav), "no setup for staff: " + nav);
	await page.waitForSelector(".ad-cal");
	assert(!(await page.locator(".ad-subnav").count()), "no setup navigation");
});
