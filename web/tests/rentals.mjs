// rentals.mjs - rented items in the browser, at phone and desktop sizes: the booking page's
// Compare view (several services side by side for one day, from one `services=` query), and
// in the dashboard a bike's turnaround, overnight setting and a blackout, whose effect the
// public availability shows.
import { DESKTOP, PHONE, assert, newPage, step, test, waitFor } from "./lib.mjs";
import { ownerApi, signInOwner } from "./staff.mjs";

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

async function multi(base, services, date) {
	const q = new URLSearchParams({ services, from: date, to: date, tz: "Europe/London" });
	const r = await fetch(base + "/api/v1/public/demo/availability?" + q);
	assert(r.status === 200, "the several-services query answers: " + r.status);
	return (await r.json()).services;
}

let seq = 0;

test("rentals: compare a bike and a haircut side by side for a day", async ({ browser, base }, t) => {
	for (const vp of [PHONE, DESKTOP]) {
		// A day from two weeks on when both have free times (the salon closes some days).
		let k = 12 + 7 * ++seq, date = day(k);
		while ((await multi(base, "bike,haircut", date)).some((a) => a.days[0].slots.length === 0)) date = day(++k);
		const page = await newPage(browser, t, { viewport: vp });
		await page.goto(base + "/book/demo?compare=bike,haircut&date=" + date);
		await page.waitForSelector('.bk-compare-col[data-compare="bike"]');
		const cols = await page.locator(".bk-compare-col").evaluateAll((els) => els.map((e) => e.getAttribute("data-compare")));
		assert(cols.join() === "bike,haircut", "one column per service, in the order asked: " + cols);
		const api = await multi(base, "bike,haircut", date);
		for (const a of api) {
			const n = a.days[0].slots.length;
			const shown = await page.locator('.bk-compare-col[data-compare="' + a.service + '"] .bk-compare-slots > li').count();
			assert(shown === n, a.service + ": the page lists what the query answers (" + shown + " of " + n + ")");
		}
		assert(api[0].days[0].slots.length > 0 && api[1].days[0].slots.length > 0, "both have free times that day");
		const bikeText = await page.locator('.bk-compare-col[data-compare="bike"]').innerText();
		assert(/\d{1,2}:\d{2} – \d{1,2}:\d{2}/.test(bikeText) && /2 free|1 free/.test(bikeText), "a bike's free range and how many bikes: " + bikeText);
		if (vp === DESKTOP) {
			const boxes = await page.locator(".bk-compare-col").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
			assert(Math.abs(boxes[0] - boxes[1]) < 2, "side by side on a desktop");
		}
		await step(page, t, "compare");
		// The next day: the address keeps the date, the columns follow.
		await page.click('button[aria-label="Next day"]');
		await waitFor(async () => page.url().includes("date=" + day(k + 1)), 5000, "the date in the address");
		// That day may be one the salon closes: each column shows what the query answers for it.
		const next = await multi(base, "bike,haircut", day(k + 1));
		await waitFor(async () => {
			for (const a of next) {
				const col = '.bk-compare-col[data-compare="' + a.service + '"]';
				const n = a.days[0].slots.length;
				const shown = await page.locator(col + " .bk-compare-slots > li").count();
				const none = await page.locator(col + " .bk-compare-none").count();
				if (n > 0 ? shown !== n : none !== 1) return false;
			}
			return true;
		}, 5000, "the next day's columns match the query");
		await page.click('.bk-compare-col[data-compare="bike"] a.bk-btn');
		await page.waitForURL(/\/book\/demo\/bike$/);
	}
});

test("rentals: a bike's turnaround, overnight and blackout set in the dashboard", async ({ browser, base, server }, t) => {
	const owner = await ownerApi(base, server.owner_password);
	const date = day(60);
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signInOwner(page, base, server.owner_password, "/admin/resources", ".ad-subnav");
		await page.click('button:has-text("Edit City bike 2")');
		await page.waitForSelector('form.ad-form input[name="buffer_after_s"]');
		await page.fill('form.ad-form input[name="buffer_after_s"]', "1.5");
		await page.check('form.ad-form input[name="overnight"]');
		await page.click('form.ad-form button[type="submit"]');
		await page.waitForSelector(".ad-impact");
		await page.click(".ad-impact .ad-btn-primary");
		await page.waitForSelector('.bk-notice-ok');
		const res = await owner.get("/resources/bike-2");
		assert(res.buffer_after_s === 5400 && res.overnight === true, "saved as entered: " + JSON.stringify(res));
		// Its blackouts: one whole day.
		await page.click('button:has-text("Edit City bike 2")');
		await page.waitForSelector(".ad-blackouts");
		await page.fill('.ad-blackouts input[name="start"]', date + "T00:00");
		await page.fill('.ad-blackouts input[name="end"]', day(61) + "T00:00");
		await page.fill('.ad-blackouts input[name="reason"]', "New chain");
		await page.click('.ad-blackouts button:has-text("Add the blackout")');
		await page.waitForSelector(".ad-blackouts .ad-impact");
		await page.click(".ad-blackouts .ad-impact .ad-btn-primary");
		await page.waitForSelector(".ad-blackouts li:has-text('New chain')");
		await step(page, t, "blackout");
		const bos = await owner.get("/blackouts?resource=bike-2");
		assert(bos.blackouts.length === 1 && bos.blackouts[0].reason === "New chain", "one blackout: " + JSON.stringify(bos));
		const [bike] = await multi(base, "bike", date);
		const who = bike.days[0].slots.flatMap((s) => s.resources);
		assert(who.length > 0 && !who.includes("bike-2"), "bike 2 is not offered that day: " + who);
		// Put it back as it was for the other tests.
		assert((await owner.del("/blackouts/" + bos.blackouts[0].id)).status === 204, "blackout deleted");
		assert((await owner.patch("/resources/bike-2", { buffer_after_s: 0, overnight: false })).status === 200, "bike 2 restored");
	}
});

test("rentals: an overnight bike goes back the next morning, never at night", async ({ browser, base, server }, t) => {
	const owner = await ownerApi(base, server.owner_password);
	assert((await owner.patch("/services/bike", { max_length_s: 2 * 86400 })).status === 200, "two days at most");
	for (const id of ["bike-1", "bike-2"]) assert((await owner.patch("/resources/" + id, { overnight: true })).status === 200, id + " overnight");
	try {
		let n = 0;
		for (const vp of [PHONE, DESKTOP]) {
			const page = await newPage(browser, t, { viewport: vp });
			await page.goto(base + "/book/demo/bike");
			await page.waitForSelector(".bk-day-free");
			const days = await page.locator(".bk-day-free").evaluateAll((els) => els.map((e) => e.getAttribute("data-date")));
			await page.click('.bk-day[data-date="' + days[3 + 2 * n++] + '"]');
			await page.waitForSelector(".bk-slot");
			await page.locator(".bk-slot").last().click();
			await page.waitForSelector("#bk-rental-end");
			const start = Number(await page.inputValue("#bk-rental-start"));
			const ends = (await page.locator("#bk-rental-end option").evaluateAll((o) => o.map((x) => Number(x.value))));
			const hour = (ms) => Number(new Intl.DateTimeFormat("en-GB", { hour: "numeric", minute: "numeric", hourCycle: "h23", timeZone: "Europe/London" }).format(new Date(ms)).replace(":", "."));
			assert(ends.length > 0 && ends.every((e) => hour(e) >= 8 && hour(e) <= 20), "every return inside the bikes' 08:00-20:00: " + ends.map(hour));
			const later = ends.filter((e) => e - start > 12 * 3600000);
			assert(later.length > 0, "returns the next morning are offered");
			await page.selectOption("#bk-rental-end", String(later[0]));
			await step(page, t, "overnight-span");
			await page.click("text=Continue");
			await page.fill("#bk-name", "Night Rider");
			await page.fill("#bk-email", "night." + n + "." + Date.now() + "@example.com");
			await page.click("text=Confirm booking");
			await page.waitForSelector(".bk-reference");
			await step(page, t, "overnight-done");
		}
	} finally {
		await owner.patch("/services/bike", { max_length_s: 43200 });
		for (const id of ["bike-1", "bike-2"]) await owner.patch("/resources/" + id, { overnight: false });
	}
});
