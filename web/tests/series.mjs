// series.mjs - recurring series and packages in the browser, at phone and desktop sizes:
// on the booking page a held time repeated weekly, its preview with a taken week and its
// reason, the series booked with one email, the manage page cancelling a date and the rest;
// in the dashboard a package defined in Setup, sold on a customer's page, a new booking
// repeated from the calendar against it, and the rest of the series cancelled from a
// booking's detail (its sessions given back).
import { DESKTOP, PHONE, assert, mails, newPage, showMonthOf, step, test, waitFor } from "./lib.mjs";

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
const plusWeeks = (iso, w) => new Date(Date.parse(iso) + w * 7 * 86400000).toISOString();

async function api(base, path, body, headers = {}) {
	const r = await fetch(base + path, {
		method: body === undefined ? "GET" : "POST",
		headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await r.text();
	return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

/** The first free haircut hour of `provider` from `days` on whose next three weeks are free
 * at the same time too (London wall time: the engine's answer per week). */
async function freeWeeklyHour(base, provider, days) {
	for (let d = days; d < days + 10; d++) {
		const av = await api(base, "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&provider=" + provider + "&from=" + day(d) + "&to=" + day(d));
		for (const s of av.json.days.flatMap((x) => x.slots)) {
			if (s.start.slice(14, 16) !== "00") continue;
			let ok = true;
			for (let w = 1; w < 4 && ok; w++) {
				const d2 = s.start.slice(0, 10);
				const when = new Date(Date.parse(d2) + w * 7 * 86400000).toISOString().slice(0, 10);
				const a2 = await api(base, "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&provider=" + provider + "&from=" + when + "&to=" + when);
				ok = a2.json.days.flatMap((x) => x.slots).some((y) => y.start.slice(11) === s.start.slice(11));
			}
			if (ok) return s;
		}
	}
	throw new Error("no free weekly hour for " + provider);
}

async function openDay(page, date) {
	await showMonthOf(page, date);
	await page.click('.bk-day[data-date="' + date + '"]');
	await page.waitForSelector(".bk-slot");
}

let seq = 0;

test("series: repeat a held time weekly, preview a taken week, book one email, cancel the rest", async ({ browser, base, server }, t) => {
	for (const vp of [PHONE, DESKTOP]) {
		const n = ++seq;
		const slot = await freeWeeklyHour(base, "alice", 40 + 3 * n);
		// The third week is taken by someone else first.
		const other = await api(base, "/api/v1/public/demo/bookings", { service: "haircut", provider: "alice", start: plusWeeks(slot.start, 2), customer: { name: "Other", email: "other" + n + "." + Date.now() + "@example.com" } });
		assert(other.status === 201, "the third week taken: " + JSON.stringify(other.json));
		const page = await newPage(browser, t, { viewport: vp });
		await page.goto(base + "/book/demo/haircut");
		await page.click('[data-provider="alice"]');
		await openDay(page, slot.start.slice(0, 10));
		await page.click('.bk-slot[data-start="' + slot.start + '"]');
		await page.waitForSelector("#bk-repeat");
		await step(page, t, n + "-1-held");
		await page.check("#bk-repeat");
		await page.fill("#bk-count", "4");
		await page.selectOption("#bk-policy", "skip");
		await page.click("[data-preview]");
		await page.waitForSelector("[data-occurrences] li >> nth=3");
		const states = await page.locator("[data-occurrences] li").evaluateAll((els) => els.map((e) => e.getAttribute("data-state") + ":" + e.getAttribute("data-reason")));
		assert(JSON.stringify(states) === JSON.stringify(["free:offered", "free:offered", "busy:busy", "free:offered"]), "the preview: " + states.join(", "));
		assert(/already booked/.test(await page.locator("[data-occurrences] li").nth(2).innerText()), "the reason in words");
		assert(/3 of 4/.test(await page.textContent("[data-preview-summary]")), "three of four can be booked");
		await step(page, t, n + "-2-preview");
		const address = "series" + n + "." + Date.now() + "@example.com";
		await page.fill("#bk-name", "Rita Repeat");
		await page.fill("#bk-email", address);
		await page.click(".bk-details button[type=submit]");
		await page.waitForSelector("[data-series-done]");
		const done = await page.locator("[data-series-done] [data-occurrences] li").evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));
		assert(JSON.stringify(done) === JSON.stringify(["free", "free", "busy", "free"]), "booked: " + done.join(", "));
		await step(page, t, n + "-3-booked");
		// One email for the series, listing the dates; no email per date.
		const mail = await waitFor(() => mails(server).find((m) => m.to.includes(address)), 15000, "the series email");
		assert(/a series from/.test(mail.subject), "the series email: " + mail.subject);
		await page.waitForTimeout(1500);
		assert(mails(server).filter((m) => m.to.includes(address)).length === 1, "one email, not one per date");
		const refs = await page.locator("[data-series-done] [data-occurrences] li").evaluateAll((els) => els.map((e) => (e.textContent.match(/[A-Z0-9]{4}-[A-Z0-9]{4}/) || [""])[0]));
		assert(refs[0] && refs[1] && !refs[2] && refs[3], "references of the booked dates: " + refs.join(","));
		assert(refs.every((r) => !r || mail.text.includes(r)), "the email lists every reference");
		// The manage page of the second date: the series, and cancelling it and the rest.
		const href = await page.getAttribute("[data-manage]", "href");
		await page.goto(href.replace(refs[0], refs[1]));
		await page.waitForSelector("[data-series] [data-occurrences] li >> nth=3");
		await step(page, t, n + "-4-manage");
		await page.click("[data-cancel-rest]");
		await page.click("[data-confirm-rest]");
		await page.waitForSelector("[data-series] .bk-notice-ok");
		const after = await page.locator("[data-series] [data-occurrences] li").evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));
		assert(JSON.stringify(after) === JSON.stringify(["free", "cancelled", "busy", "cancelled"]), "after: " + after.join(", "));
		await step(page, t, n + "-5-rest-cancelled");
	}
});

async function signIn(page, base, password, path) {
	await page.goto(base + path);
	await page.waitForSelector("form.ad-login");
	await page.fill('input[name="business"]', "demo");
	await page.fill('input[name="email"]', "owner@demo.test");
	await page.fill('input[name="password"]', password);
	await page.click('form.ad-login button[type="submit"]');
	await page.waitForSelector(".ad-nav");
}

async function settledBox(page, loc) {
	await loc.waitFor();
	for (let i = 0; i < 50; i++) {
		const box = await loc.boundingBox().catch(() => null);
		if (box) return box;
		await page.waitForTimeout(100);
	}
	throw new Error("no box for " + loc);
}

test("dashboard: a package in Setup, sold on a profile, a repeated booking against it, the rest cancelled", async ({ browser, base, server }, t) => {
	const stamp = Date.now();
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(page, base, server.owner_password, "/admin/packages");
	await page.waitForSelector("#pkg-title");
	await page.fill('form.ad-form input[name="name"]', "Ten cuts " + stamp);
	await page.selectOption('form.ad-form select[name="service"]', "haircut");
	await page.fill('form.ad-form input[name="sessions"]', "10");
	await page.fill('form.ad-form input[name="price"]', "250");
	await page.click('form.ad-form button[type="submit"]');
	await page.waitForSelector("text=Ten cuts " + stamp);
	await step(page, t, "1-package");

	// A customer (made by a booking), sold the package on their page.
	const email = "pack." + stamp + "@example.com";
	const first = await freeWeeklyHour(base, "chloe", 30);
	const b0 = await api(base, "/api/v1/public/demo/bookings", { service: "haircut", provider: "chloe", start: first.start, customer: { name: "Paula Pack", email } });
	assert(b0.status === 201, "a first booking");
	await page.goto(base + "/admin/customers");
	await page.fill('form[role="search"] input[name="q"]', email);
	await page.click('form[role="search"] button[type="submit"]');
	await page.click(".ad-customers button.ad-link");
	await page.waitForSelector("[data-customer-packages]");
	const value = await page.locator('[data-customer-packages] select[name="package"] option', { hasText: "Ten cuts " + stamp }).getAttribute("value");
	await page.selectOption('[data-customer-packages] select[name="package"]', value);
	await page.click('[data-customer-packages] button[type="submit"]');
	await page.waitForSelector('[data-customer-packages] li[data-remaining="10"]');
	await step(page, t, "2-sold");

	// A repeated booking from the calendar: the week after the first booking, three times,
	// drawing on the package.
	const slot = await freeWeeklyHour(base, "chloe", 50);
	await page.goto(base + "/admin");
	await page.waitForSelector(".ad-toolbar input[type=date]");
	await page.fill('.ad-toolbar input[type="date"]', slot.start.slice(0, 10));
	await page.locator('.ad-toolbar input[type="date"]').dispatchEvent("change");
	await page.waitForSelector(".ad-closed");
	await page.waitForTimeout(400);
	const head = await settledBox(page, page.locator(".ec-header .ec-col-head", { hasText: "Chlo" }).first());
	const lb = await settledBox(page, page.locator(".ec-main").getByText(slot.start.slice(11, 16), { exact: true }).first());
	await page.mouse.click(head.x + head.width / 2, lb.y + lb.height / 2 + 6);
	await page.waitForSelector("dialog.ad-dialog[open] form");
	await page.fill('dialog input[name="name"]', "Paula Pack");
	await page.fill('dialog input[name="email"]', email);
	await page.locator('dialog input[name="email"]').blur();
	await page.waitForSelector('dialog select[name="package"]');
	await page.selectOption('dialog select[name="package"]', { index: 1 });
	await page.check('dialog input[name="repeat"]');
	await page.fill('dialog input[name="count"]', "3");
	await step(page, t, "3-new-series");
	await page.click('dialog button[type="submit"]');
	await page.waitForSelector("dialog [data-series-result]");
	const text = await page.locator("dialog [data-series-result]").innerText();
	assert(/3 of 3 dates booked/.test(text), "the series booked: " + text);
	await step(page, t, "4-series-booked");
	const refs = text.match(/[A-Z0-9]{4}-[A-Z0-9]{4}/g) || [];
	assert(refs.length === 3, "three references: " + text);
	await page.click('dialog button:has-text("Close")');

	// The profile: 7 left; the second date's detail cancels it and the third.
	for (const vp of [DESKTOP, PHONE]) {
		const p = vp === DESKTOP ? page : await newPage(browser, t, { viewport: vp });
		if (vp !== DESKTOP) await signIn(p, base, server.owner_password, "/admin/customers");
		else await p.goto(base + "/admin/customers");
		await p.fill('form[role="search"] input[name="q"]', email);
		await p.click('form[role="search"] button[type="submit"]');
		await p.click(".ad-customers button.ad-link");
		await p.waitForSelector("[data-customer-packages] li");
		const left = vp === DESKTOP ? "7" : "9";
		await p.waitForSelector('[data-customer-packages] li[data-remaining="' + left + '"]');
		await step(p, t, (vp === DESKTOP ? "5" : "7") + "-profile");
		if (vp !== DESKTOP) continue;
		await p.click('button.ad-link:has-text("' + refs[1] + '")');
		await p.waitForSelector("dialog.ad-dialog[open] [data-series]");
		await step(p, t, "6-detail-series");
		await p.uncheck('[data-series] input[type="checkbox"]');
		await p.click("[data-cancel-rest]");
		await p.waitForSelector("[data-series] .bk-notice-ok");
		assert(/2 dates cancelled/.test(await p.locator("[data-series] .bk-notice-ok").innerText()), "two cancelled");
		await p.click('dialog.ad-dialog button:has-text("Close")');
	}
});
