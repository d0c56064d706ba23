// flows.mjs - the booking app as customers use it, at phone and desktop sizes.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DESKTOP, PHONE, WEB, assert, mails, newPage, patchBusiness, persistentPage, step, test, waitFor } from "./lib.mjs";
import { hostSite } from "./front.mjs";

let seq = 0;
const email = (who) => who + "." + ++seq + "." + Date.now() + "@example.com";

/** Opens the service's times and chooses the first day with free times; returns the day. */
async function firstFreeDay(page, minDays = 0) {
	const earliest = new Date(Date.now() + minDays * 86400000).toISOString().slice(0, 10);
	let date;
	for (let months = 0; months < 3 && !date; months++) {
		await page.waitForSelector(".bk-day-free");
		const days = await page.locator(".bk-day-free").evaluateAll((els) => els.map((e) => e.getAttribute("data-date")));
		date = days.find((d) => d >= earliest);
		if (!date) {
			await page.click('[aria-label="Next month"]');
			await page.waitForTimeout(300);
		}
	}
	assert(date, "a free day from " + earliest);
	await page.click('.bk-day[data-date="' + date + '"]');
	await page.waitForSelector(".bk-slot");
	return date;
}

/** catalogue → (provider) → day → time → details → confirmation, checking and recording
 * every step; returns what the confirmation shows. */
async function bookThrough(page, t, base, { service = "haircut", provider = "", who = "maya", slotIndex = 0, shots = true, minDays = 0 } = {}) {
	await page.goto(base + "/book/demo");
	await page.waitForSelector("[data-service]");
	if (shots) await step(page, t, "1-catalogue");
	await page.click('[data-service="' + service + '"]');
	if (service === "haircut") {
		await page.waitForSelector("[data-provider]");
		if (shots) await step(page, t, "2-provider");
		await page.click('[data-provider="' + provider + '"]');
	}
	await firstFreeDay(page, minDays);
	if (shots) await step(page, t, "3-times");
	const slot = page.locator(".bk-slot").nth(slotIndex);
	const start = await slot.getAttribute("data-start");
	await slot.click();
	await page.waitForSelector(".bk-countdown");
	assert(/\d+:\d\d/.test(await page.textContent(".bk-countdown")), "the hold's countdown shows");
	if (shots) await step(page, t, "4-details");
	const address = email(who);
	await page.fill("#bk-name", "Maya Patel");
	await page.fill("#bk-email", address);
	await page.fill("#bk-phone", "+44 7700 900123");
	await page.press("#bk-phone", "Enter"); // Enter submits
	await page.waitForSelector(".bk-reference");
	if (shots) await step(page, t, "5-confirmation");
	const reference = await page.getAttribute(".bk-reference", "data-reference");
	const when = await page.getAttribute("time.bk-when", "datetime");
	return { start, reference, when, email: address };
}

function icsStart(ics) {
	const m = /DTSTART[^:\r\n]*:(\d{8}T\d{6}Z)/.exec(ics);
	return m && m[1].replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6.000Z");
}

for (const [size, vp] of [["phone", PHONE], ["desktop", DESKTOP]]) {
	test("book, reschedule and cancel from the email's link (" + size + ")", async ({ browser, base, server }, t) => {
		const page = await newPage(browser, t, { viewport: vp });
		const b = await bookThrough(page, t, base, { who: size, minDays: 3 });
		assert(b.reference && /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(b.reference), "a reference is shown: " + b.reference);
		assert(Date.parse(b.when) === Date.parse(b.start), "the confirmation shows the chosen instant");
		assert((await page.textContent(".bk-provider")).length > 0, "'anyone' is named on the confirmation");
		// the email carries the same instant as the page
		const mail = await waitFor(() => mails(server).find((m) => m.to.includes(b.email) && m.text.includes(b.reference)), 15000, "the confirmation email");
		assert(icsStart(mail.ics) === new Date(b.when).toISOString(), "email's instant " + icsStart(mail.ics) + " = page's " + b.when);
		// the manage link from the email
		const link = /\/b\/[A-Z0-9-]+\?t=[^\s"<>]+/.exec(mail.text);
		assert(link, "the email has a manage link");
		await page.goto(base + link[0]);
		await page.waitForSelector(".bk-reference");
		assert((await page.textContent('[data-status]')).includes("confirmed"), "the manage page shows the booking");
		await step(page, t, "6-manage");
		await page.click("text=Change the time");
		await page.waitForSelector(".bk-current");
		await page.waitForSelector(".bk-day-free");
		// another day than the booked one
		const days = await page.locator(".bk-day-free").evaluateAll((els) => els.map((e) => e.getAttribute("data-date")));
		const later = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
		const other = days.find((d) => d !== b.when.slice(0, 10) && d >= later);
		assert(other, "another free day to move to");
		await page.click('.bk-day[data-date="' + other + '"]');
		await page.waitForSelector(".bk-slot");
		await step(page, t, "7-reschedule");
		const target = page.locator(".bk-slot").last();
		const newStart = await target.getAttribute("data-start");
		await target.click();
		await page.click("text=Move my booking");
		await page.waitForSelector("text=Your booking has been moved.");
		assert(Date.parse(await page.getAttribute("time.bk-when", "datetime")) === Date.parse(newStart), "the booking moved");
		await step(page, t, "8-moved");
		await page.click("text=Cancel booking");
		await page.waitForSelector(".bk-policy");
		assert(/refund|fee/.test(await page.textContent(".bk-policy")), "the policy's refund or fee is stated first");
		await step(page, t, "9-cancel");
		await page.fill("#bk-reason", "Plans changed");
		await page.click("text=Cancel my booking");
		await page.waitForSelector("text=Your booking has been cancelled.");
		assert((await page.textContent("[data-status]")).includes("cancelled"), "status cancelled");
		assert((await page.textContent(".bk-history")).includes("Plans changed"), "the reason is in the history");
		await step(page, t, "10-cancelled");
	});
}

test("keyboard only: a booking without the mouse", async ({ browser, base }, t) => {
	const page = await newPage(browser, t);
	await page.goto(base + "/book/demo");
	await page.waitForSelector("[data-service]");
	const k = page.keyboard;
	const focused = () => page.evaluate(() => document.activeElement && (document.activeElement.getAttribute("data-service") ?? document.activeElement.getAttribute("data-provider") ?? document.activeElement.id ?? document.activeElement.className));
	const tabTo = async (pred, what, max = 60) => {
		for (let i = 0; i < max; i++) {
			if (await pred()) return;
			await k.press("Tab");
		}
		throw new Error("Tab never reached " + what);
	};
	await tabTo(async () => (await focused()) === "haircut", "the haircut card");
	await k.press("Enter");
	await page.waitForSelector("[data-provider]");
	await tabTo(async () => (await focused()) === "ben", "Ben");
	await k.press("Enter");
	await page.waitForSelector(".bk-day-free");
	await tabTo(() => page.evaluate(() => !!document.activeElement?.closest(".bk-cal-grid")), "the month grid");
	// arrow keys move by day until a day with free times; Enter chooses it
	for (let i = 0; i < 62; i++) {
		const free = await page.evaluate(() => document.activeElement.classList.contains("bk-day-free"));
		if (free) break;
		await k.press("ArrowRight");
	}
	const before = await page.evaluate(() => document.activeElement.getAttribute("data-date"));
	await k.press("ArrowDown");
	await k.press("ArrowUp");
	assert((await page.evaluate(() => document.activeElement.getAttribute("data-date"))) === before, "down then up comes back");
	const title = await page.textContent("#bk-cal-title");
	await k.press("PageDown");
	await page.waitForFunction((d) => document.activeElement?.getAttribute("data-date")?.slice(0, 7) !== d.slice(0, 7), before);
	assert((await page.textContent("#bk-cal-title")) !== title, "PageDown shows the next month");
	await k.press("PageUp");
	await page.waitForFunction((d) => document.activeElement?.getAttribute("data-date") === d, before).catch(async (e) => {
		throw new Error("PageUp did not come back to " + before + "; focus on " + (await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200))) + ": " + e.message);
	});
	await page.waitForFunction(() => !/loading$/.test(document.activeElement.getAttribute("aria-label")));
	const label = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
	assert(/\d{4}, \d+ free times?$/.test(label), "a day is named with its date and free times: " + label);
	await k.press("Enter");
	await page.waitForSelector(".bk-slot");
	assert((await focused()) === "bk-slots-title", "focus moves to the times' heading");
	await step(page, t, "keyboard-times");
	await tabTo(() => page.evaluate(() => document.activeElement.classList.contains("bk-slot")), "a time");
	await k.press("Enter");
	await page.waitForSelector("#bk-name");
	await tabTo(async () => (await focused()) === "bk-name", "the name field");
	await k.type("Kenji Mori");
	await k.press("Tab");
	await k.type(email("kenji"));
	await k.press("Tab");
	await k.type("+44 7700 900456");
	await k.press("Enter");
	await page.waitForSelector(".bk-reference");
	assert((await page.textContent(".bk-provider")) === "Ben Okafor", "the named provider is on the confirmation");
	await step(page, t, "keyboard-done");
});

test("two browsers: a time taken in one disappears from the other within 2 s", async ({ browser, base }, t) => {
	const a = await newPage(browser, t), b = await newPage(browser, t);
	for (const p of [a, b]) {
		await p.goto(base + "/book/demo/haircut");
		await p.click('[data-provider="alice"]');
	}
	const day = await firstFreeDay(a);
	await b.waitForSelector(".bk-day-free");
	await b.click('.bk-day[data-date="' + day + '"]');
	await b.waitForSelector(".bk-slot");
	const start = await a.locator(".bk-slot").first().getAttribute("data-start");
	const sel = '.bk-slot[data-start="' + start + '"]';
	assert(await b.isVisible(sel), "the other browser shows the time first");
	await a.click(sel);
	await a.waitForSelector(".bk-countdown");
	const t0 = Date.now();
	await b.waitForSelector(sel, { state: "detached", timeout: 2000 });
	const ms = Date.now() - t0;
	await a.fill("#bk-name", "Ines Costa");
	await a.fill("#bk-email", email("ines"));
	await a.click("text=Confirm booking");
	await a.waitForSelector(".bk-reference");
	await b.evaluate(() => window.dispatchEvent(new Event("focus")));
	await b.waitForTimeout(400);
	assert(!(await b.isVisible(sel)), "still gone once booked (" + ms + " ms to disappear)");
});

test("a lost hold disables Confirm and offers the nearest free times", async ({ browser, base }, t) => {
	const page = await newPage(browser, t);
	let holdUrl;
	page.on("response", async (r) => {
		if (r.request().method() === "POST" && r.url().endsWith("/holds") && r.status() === 201) holdUrl = r.url() + "/" + (await r.json()).id;
	});
	await page.goto(base + "/book/demo/haircut");
	await page.click('[data-provider="chloe"]');
	await firstFreeDay(page);
	await page.locator(".bk-slot").first().click();
	await page.waitForSelector("#bk-name");
	await waitFor(() => holdUrl, 5000, "the hold");
	// the hold goes (as when it expires): booking it is refused
	assert((await fetch(holdUrl, { method: "DELETE" })).status === 204, "hold deleted");
	await page.fill("#bk-name", "Tom Fischer");
	await page.fill("#bk-email", email("tom"));
	await page.click("text=Confirm booking");
	await page.waitForSelector("text=This time was just taken");
	assert(await page.isDisabled("button[type=submit]"), "Confirm is disabled");
	await page.waitForSelector(".bk-nearest .bk-slot");
	await step(page, t, "lost-hold");
	await page.locator(".bk-nearest .bk-slot").first().click();
	await page.waitForSelector(".bk-countdown");
	assert(!(await page.isDisabled("button[type=submit]")), "a fresh time can be confirmed");
	await page.click("text=Confirm booking");
	await page.waitForSelector(".bk-reference");
});

test("a class: sessions with places left", async ({ browser, base }, t) => {
	const page = await newPage(browser, t);
	await page.goto(base + "/book/demo/yoga");
	await firstFreeDay(page);
	assert(/places? left/.test(await page.textContent(".bk-slot")), "places left are shown");
	await step(page, t, "class-sessions");
	await page.selectOption("#bk-seats", "2");
	await page.waitForFunction(() => document.querySelector(".bk-slot"));
	await page.locator(".bk-slot").first().click();
	await page.fill("#bk-name", "Sara Lind");
	await page.fill("#bk-email", email("sara"));
	await page.click("text=Confirm booking");
	await page.waitForSelector(".bk-reference");
	assert((await page.textContent(".bk-summary")).includes("× 2"), "two places booked");
	await step(page, t, "class-done");
});

test("a rental: start and end with the span", async ({ browser, base }, t) => {
	const page = await newPage(browser, t);
	await page.goto(base + "/book/demo/bike");
	await firstFreeDay(page, 5); // a whole day (today's range may be an hour before closing), apart from the pricing test's
	await page.locator(".bk-slot").first().click();
	await page.waitForSelector("#bk-rental-end");
	const opts = await page.locator("#bk-rental-end option").evaluateAll((o) => o.map((x) => x.value));
	await page.selectOption("#bk-rental-start", { index: 2 });
	await page.selectOption("#bk-rental-end", { index: 2 });
	const start = Number(await page.inputValue("#bk-rental-start")), end = Number(await page.inputValue("#bk-rental-end"));
	assert(end - start === 3 * 3600000 && opts.length > 2, "three hours chosen");
	assert((await page.textContent(".bk-rental-price")).includes("24.00"), "three hours at £8.00 an hour are stated as £24.00");
	await step(page, t, "rental-span");
	await page.click("text=Continue");
	await page.fill("#bk-name", "Lucas Silva");
	await page.fill("#bk-email", email("lucas"));
	await page.click("text=Confirm booking");
	await page.waitForSelector(".bk-reference");
	assert(Date.parse(await page.getAttribute("time.bk-when", "datetime")) === start, "booked from the chosen start");
	assert((await page.textContent("main")).includes("24.00"), "the booking costs what the span said");
	await step(page, t, "rental-done");
});

test("a viewer in another zone: every time carries its zone, the confirmation shows both", async ({ browser, base }, t) => {
	const page = await newPage(browser, t, { timezoneId: "America/New_York", locale: "en-US" });
	await page.goto(base + "/book/demo/massage");
	await page.click('[data-provider=""]');
	await firstFreeDay(page);
	assert((await page.textContent(".bk-slots-zone")).includes("America/New York"), "the zone is named above the times");
	assert(/E[SD]T/.test(await page.textContent(".bk-slot")), "each time carries its zone");
	assert(/AM|PM/.test(await page.textContent(".bk-slot")), "12-hour clock for en-US");
	await step(page, t, "zone-times");
	// a zone change keeps the chosen instant
	const slot = page.locator(".bk-slot").first();
	const start = await slot.getAttribute("data-start");
	await slot.click();
	await page.waitForSelector("#bk-name");
	await page.click("text=Back");
	await page.focus("#bk-zone-select"); // the whole zone list appears when the picker is used
	await page.selectOption("#bk-zone-select", "Asia/Tokyo");
	await page.waitForSelector('.bk-slot[data-start$="+09:00"]');
	const kept = await page.locator(".bk-slot").evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute("data-start"))));
	assert(kept.includes(Date.parse(start)), "the chosen instant is on the day shown after the zone change");
	await page.selectOption("#bk-zone-select", "America/New_York");
	await page.waitForSelector('.bk-slot[data-start$="-05:00"], .bk-slot[data-start$="-04:00"]');
	await page.locator('.bk-slot').first().click();
	await page.fill("#bk-name", "Oliver Grant");
	await page.fill("#bk-email", email("oliver"));
	await page.click("text=Confirm booking");
	await page.waitForSelector(".bk-when-business");
	assert((await page.textContent(".bk-when-business")).includes("Europe/London"), "the business's time is shown too");
	await step(page, t, "zone-done");
});

test("languages: ?lang=fr, and every key used exists in every catalogue", async ({ browser, base }, t) => {
	// The dashboard's catalogues (src/admin/i18n) join the app's when it loads: one catalogue
	// per language is the two together.
	const read = (dir, f) => JSON.parse(readFileSync(join(WEB, dir, f), "utf8"));
	const cats = readdirSync(join(WEB, "src/shared/i18n")).map((f) => [f, { ...read("src/shared/i18n", f), ...read("src/admin/i18n", f) }]);
	const used = new Set();
	const walk = (d) => {
		for (const n of readdirSync(d, { withFileTypes: true })) {
			if (n.isDirectory()) walk(join(d, n.name));
			else if (/\.tsx?$/.test(n.name)) for (const m of readFileSync(join(d, n.name), "utf8").matchAll(/\bt(?:n|Or)?\("([a-z_]+\.[a-z_.]+)"/g)) used.add(m[1]);
		}
	};
	walk(join(WEB, "src"));
	assert(used.size > 50, "keys found in the source");
	for (const [f, c] of cats) {
		// t("calsync.kind." + kind) or t("assign.policy_" + p) names a family of keys: one of
		// them at least must exist (every catalogue having every key of the first is checked below).
		const plural = (k) => (/[._]$/.test(k) ? Object.keys(c).some((x) => x.startsWith(k)) : c[k] !== undefined || c[k + ".other"] !== undefined);
		const missing = [...used].filter((k) => !plural(k));
		assert(!missing.length, f + " lacks " + missing.join(", "));
		const extra = Object.keys(cats[0][1]).filter((k) => c[k] === undefined);
		assert(!extra.length, f + " lacks " + extra.join(", "));
	}
	const page = await newPage(browser, t);
	await page.goto(base + "/book/demo?lang=fr");
	await page.waitForSelector("text=Choisissez une prestation");
	assert((await page.getAttribute("html", "lang")).startsWith("fr"), "html lang is French");
	assert((await page.textContent(".bk-card-price")).includes("£"), "prices in the business's currency");
	await step(page, t, "french");
});

test("embed: on another origin the frame follows its content and the host hears the booking", async ({ browser, base, server }, t) => {
	const site = await hostSite(base, 'data-business="demo" data-service="yoga"');
	t.cleanup.push(async () => site.close());
	await patchBusiness(server, { embed_origins: [site.base] });
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await page.goto(site.base + "/");
	await page.evaluate(() => {
		window.booked = [];
		document.addEventListener("bookd:booked", (e) => window.booked.push(e.detail));
	});
	const frameEl = await page.waitForSelector("iframe");
	const f = await frameEl.contentFrame();
	await f.waitForSelector(".bk-day-free");
	const h1 = await frameEl.evaluate((e) => e.getBoundingClientRect().height);
	await f.locator(".bk-day-free").first().click();
	await f.waitForSelector(".bk-slot");
	await f.locator(".bk-slot").first().click();
	await f.fill("#bk-name", "Aoife Byrne");
	await f.fill("#bk-email", email("aoife"));
	await f.click("text=Confirm booking");
	await f.waitForSelector(".bk-reference");
	const ref = await f.getAttribute(".bk-reference", "data-reference");
	await waitFor(() => page.evaluate(() => window.booked.length), 3000, "the host hears the booking");
	assert((await page.evaluate(() => window.booked[0].reference)) === ref, "the host heard the reference");
	const h2 = await waitFor(async () => {
		const inner = await f.evaluate(() => document.querySelector(".bk").getBoundingClientRect().height);
		const outer = await frameEl.evaluate((e) => e.getBoundingClientRect().height);
		return Math.abs(inner - outer) <= 1 ? outer : 0;
	}, 3000, "the frame's height to follow its content");
	assert(h1 > 0 && h2 > 0, "heights " + h1 + " → " + h2);
	await step(page, t, "embed");
});

test("installable, and offline the shell opens and says so", async ({ base }, t) => {
	const page = await persistentPage(t);
	await page.goto(base + "/book/demo");
	await page.waitForSelector("[data-service]");
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
	const cdp = await page.context().newCDPSession(page);
	const manifest = await cdp.send("Page.getAppManifest");
	assert(!manifest.errors.length, "manifest errors: " + JSON.stringify(manifest.errors));
	const inst = await waitFor(async () => {
		const r = await cdp.send("Page.getInstallabilityErrors");
		return r.installabilityErrors.length === 0 ? r : null;
	}, 10000, "no installability errors").catch(async () => cdp.send("Page.getInstallabilityErrors"));
	assert(!inst.installabilityErrors.length, "installability: " + JSON.stringify(inst.installabilityErrors));
	// once the worker controls the page, the shell opens offline and never shows stale times
	await page.reload();
	await page.waitForFunction(() => !!navigator.serviceWorker.controller);
	t.ignoreNetworkErrors = true;
	await page.context().setOffline(true);
	await page.reload();
	await page.waitForSelector("text=You are offline. Connect to the internet");
	assert(!(await page.isVisible(".bk-slot")), "no bookable times offline");
	await step(page, t, "offline");
	await page.context().setOffline(false);
});

test("branding: the business's accent colour", async ({ browser, base, server }, t) => {
	await patchBusiness(server, { accent_colour: "#7a1f5c" });
	t.cleanup.push(() => patchBusiness(server, { accent_colour: "" }));
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await page.goto(base + "/book/demo");
	await page.waitForSelector("[data-service]");
	const bg = await page.evaluate(() => getComputedStyle(document.querySelector(".bk-header")).backgroundColor);
	assert(bg === "rgb(122, 31, 92)", "header in the accent colour: " + bg);
	await step(page, t, "branded");
});

test("a double submit books once (one Idempotency-Key per attempt)", async ({ browser, base, server }, t) => {
	const page = await newPage(browser, t);
	const keys = [];
	page.on("request", (r) => {
		if (r.method() === "POST" && r.url().endsWith("/bookings")) keys.push(r.headers()["idempotency-key"]);
	});
	await page.goto(base + "/book/demo/massage");
	await page.click('[data-provider=""]');
	await firstFreeDay(page);
	await page.locator(".bk-slot").first().click();
	const address = email("kenji");
	await page.fill("#bk-name", "Kenji Mori");
	await page.fill("#bk-email", address);
	// two submits in the same moment, before the page can disable its button
	await page.evaluate(() => {
		const f = document.querySelector("form.bk-details");
		f.requestSubmit();
		f.requestSubmit();
	});
	await page.waitForSelector(".bk-reference");
	assert(keys.length >= 1 && keys.every((k) => k && k === keys[0]), "every request carries the same key: " + JSON.stringify(keys));
	const n = execFileSync("/usr/bin/python3", ["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from bookings where customer_email = ? and status <> 'held'\", (sys.argv[2],)).fetchone()[0])", server.db.slice(7), address]).toString().trim();
	assert(n === "1", "one booking in the database, not " + n);
});
