// guard.mjs - one customer, one place, and where bookings come from. A customer arrives by a
// campaign link (utm_source/utm_campaign): the booking carries the referral; booking the
// same time again with the same email (another stylist) is refused in the customer's
// language without naming the other booking. The owner sees the referral on the booking,
// filters the list by it, finds it in analytics, and sets the double-booking rule in
// Setup → Business. At phone and desktop sizes.
import { DESKTOP, PHONE, assert, newPage, showMonthOf, step, test } from "./lib.mjs";
import { ownerApi, signInOwner } from "./staff.mjs";

let seq = 0;

/** From the catalogue to the details of the haircut at the first free time from `minDays`
 * (or at `start` on `date`), with anyone; returns {date, start}. */
async function holdHaircut(page, base, query, { minDays = 0, date, start } = {}) {
	await page.goto(base + "/book/demo" + query);
	await page.waitForSelector("[data-service]");
	await page.click('[data-service="haircut"]');
	await page.waitForSelector("[data-provider]");
	await page.click('[data-provider=""]');
	if (!date) {
		// A time two stylists still have free (other tests book the demo too): the same
		// customer then tries the other one.
		const earliest = new Date(Date.now() + minDays * 86400000).toISOString().slice(0, 10);
		for (let months = 0; months < 3 && !date; months++) {
			await page.waitForSelector(".bk-day-free");
			const days = await page.locator(".bk-day-free").evaluateAll((els) => els.map((e) => e.getAttribute("data-date")));
			for (const d of days.filter((x) => x >= earliest)) {
				const got = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&from=" + d + "&to=" + d)).json();
				const two = (got.days[0]?.slots ?? []).find((x) => (x.providers ?? []).length >= 2);
				if (two) { date = d; start = two.start; break; }
			}
			if (!date) { await page.click('[aria-label="Next month"], [aria-label="Mois suivant"]'); await page.waitForTimeout(300); }
		}
		assert(date, "a free day");
	} else {
		await showMonthOf(page, date);
	}
	await page.click('.bk-day[data-date="' + date + '"]');
	await page.waitForSelector(".bk-slot");
	const slot = start ? page.locator('.bk-slot[data-start="' + start + '"]') : page.locator(".bk-slot").first();
	assert((await slot.count()) === 1, "the time is offered: " + start);
	const chosen = await slot.getAttribute("data-start");
	await slot.click();
	await page.waitForSelector(".bk-countdown");
	return { date, start: chosen };
}

for (const [size, vp, lang] of [["phone", PHONE, "fr"], ["desktop", DESKTOP, "en"]]) {
	test("guard: a campaign's referral is kept; the same email at an overlapping time is refused in " + lang + " (" + size + ")", async ({ browser, base, server }, t) => {
		const api = await ownerApi(base, server.owner_password);
		const page = await newPage(browser, t, { viewport: vp });
		const email = "twice." + size + "." + ++seq + "." + Date.now() + "@example.com";
		const camp = "?utm_source=Newsletter&utm_medium=email&utm_campaign=Spring%20Sale" + (lang === "fr" ? "&lang=fr" : "");
		const first = await holdHaircut(page, base, camp, { minDays: size === "phone" ? 50 : 56 });
		await page.fill("#bk-name", "Tess Twice");
		await page.fill("#bk-email", email);
		await page.press("#bk-email", "Enter");
		await page.waitForSelector(".bk-reference");
		const reference = await page.getAttribute(".bk-reference", "data-reference");
		const detail = await api.get("/bookings/" + reference);
		assert(detail.referral === "newsletter/email/spring-sale", "the booking carries the campaign: " + detail.referral);
		t.cleanup.push(() => api.post("/bookings/" + reference + "/cancel", { reason: "test" }));

		// Again, at the same time with anyone else, the same email typed in capitals.
		await holdHaircut(page, base, lang === "fr" ? "?lang=fr" : "", first);
		await page.fill("#bk-name", "Tess Twice");
		await page.fill("#bk-email", email.toUpperCase());
		await page.press("#bk-email", "Enter");
		const notice = page.locator(".bk-notice-error, [role=alert]").filter({ hasText: lang === "fr" ? "chevauche" : "overlapping" });
		await notice.first().waitFor();
		const text = await page.textContent("body");
		assert(!text.includes(reference), "the other booking is not named");
		assert(lang === "fr" ? text.includes("e-mail de confirmation") : text.includes("confirmation email"), "it points at the confirmation email");
		assert(await page.locator("#bk-email[aria-invalid=true]").count() === 1, "the email field is marked");
		assert(await page.locator(".bk-countdown").count() === 1, "the time is still held for another email");
		await step(page, t, "overlap-refused");
		const wide = await page.evaluate(() => document.documentElement.scrollWidth);
		assert(wide <= vp.width, "fits the screen's width: " + wide);
	});
}

test("guard: the owner reads and filters by referral, sees it in analytics, and sets the double-booking rule", async ({ browser, base, server }, t) => {
	const api = await ownerApi(base, server.owner_password);
	const tag = "partner-gym-" + Date.now();
	const made = await api.post("/bookings", await (async () => {
		const from = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
		const to = new Date(Date.now() + 26 * 86400000).toISOString().slice(0, 10);
		const av = await (await fetch(base + "/api/v1/public/demo/availability?" + new URLSearchParams({ service: "haircut", from, to }))).json();
		const slot = av.days.flatMap((d) => d.slots)[0];
		return { service: "haircut", start: slot.start, provider: slot.providers[0], referral: tag, customer: { name: "Gym Gail", email: "gail." + Date.now() + "@example.com" } };
	})());
	assert(made.status === 201, "a booking with a referral: " + made.status);
	const bk = await made.json();
	t.cleanup.push(() => api.post("/bookings/" + bk.reference + "/cancel", { reason: "test" }));
	t.cleanup.push(() => api.patch("/customer-overlap", { policy: "refuse", services: [{ id: "haircut", allow_overlap: false }] }));
	const day = bk.start.slice(0, 10);
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signInOwner(page, base, server.owner_password, "/admin/bookings", ".ad-toolbar");
		await page.fill('.ad-toolbar input[type="date"] >> nth=0', day);
		await page.fill('.ad-toolbar input[type="date"] >> nth=1', day);
		await page.fill('input[name="referral"]', tag.toUpperCase());
		await page.click('.ad-toolbar button[type="submit"]');
		await page.locator("text=" + bk.reference).first().waitFor();
		const rows = await page.locator(".ad-table tbody tr").count();
		assert(rows === 1, "the list filtered by referral has the one booking: " + rows);
		await page.locator("text=" + bk.reference).first().click();
		await page.locator("[data-referral]").waitFor();
		assert((await page.textContent("[data-referral]")) === tag, "the detail shows the referral");
		await step(page, t, "referral-detail");

		await page.goto(base + "/admin/analytics");
		await page.locator('[data-figure="by-referral"]').waitFor();
		await page.fill('input[name="from"]', day);
		await page.fill('input[name="to"]', day);
		await Promise.all([page.waitForResponse((r) => r.url().includes("by=referral") && r.url().includes(day)), page.click('.ad-toolbar button[type="submit"]')]);
		const an = await api.get("/analytics?" + new URLSearchParams({ from: day, to: day, group: "week", by: "referral" }));
		assert(JSON.stringify(an.groups).includes(tag), "analytics by referral has the tag: " + JSON.stringify(an.groups));
		const fig = page.locator('[data-figure="by-referral"]');
		await fig.locator("summary").click();
		await fig.locator('th[scope="row"]', { hasText: tag }).first().waitFor();
		await fig.scrollIntoViewIfNeeded();
		await step(page, t, "analytics-referral");

		await page.goto(base + "/admin/business");
		const form = page.locator('form[aria-labelledby="biz-overlap"]');
		await form.locator('select[name="policy"]').waitFor();
		assert((await form.locator('select[name="policy"]').inputValue()) === "refuse", "refuse is the default");
		const box = form.locator('input[name="allowed"][value="haircut"]');
		if (vp === DESKTOP) await box.check(); else await box.uncheck();
		await form.locator('button[type="submit"]').click();
		await form.locator(".bk-notice-ok").waitFor();
		await form.scrollIntoViewIfNeeded();
		await step(page, t, "double-bookings");
		const got = await api.get("/customer-overlap");
		const flag = got.services.find((s) => s.id === "haircut").allow_overlap;
		assert(flag === (vp === DESKTOP), "the service's flag was saved: " + JSON.stringify(got));
		const wide = await page.evaluate(() => document.documentElement.scrollWidth);
		assert(wide <= vp.width, "fits the screen's width: " + wide);
	}
});
