// admin_insight.mjs - the dashboard's analytics, notifications and "why no slot?" pages, at
// desktop and phone sizes: charts whose tables hold exactly the API's figures and whose CSV
// downloads parse back to them; Chart.js fetched by the analytics page and by no other; a
// reminder template edited, previewed on a real booking and then sent with the new text; a
// failed message retried and delivered; a time in a break explained as a break.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DESKTOP, PHONE, assert, mails, newPage, startServer, step, test, waitFor } from "./lib.mjs";
import { parseCsv, publicBooking as book, signInOwner as signIn } from "./staff.mjs";

let seq = 0;

const publicBooking = (base, o) => book(base, { who: "Insight Ivy", ...o });

/** GET on the staff API with the page's own session. */
async function staffGet(page, path) {
	return page.evaluate(async (p) => {
		const r = await fetch(p);
		return { status: r.status, json: await r.json() };
	}, path);
}

/** The data-value of every cell of a figure's table, row by row. */
async function tableValues(page, id) {
	return page.locator('.ad-figure[data-figure="' + id + '"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.getAttribute("data-value"))));
}

test("admin insight: analytics charts; their tables hold the API's figures; CSV downloads and parses", async ({ base, server, browser }, t) => {
	const b1 = await publicBooking(base, { days: 1 });
	await publicBooking(base, { days: 3 });
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, server.owner_password, "/admin/analytics");
		await page.waitForSelector('.ad-figure[data-figure="heatmap"] tbody tr', { state: "attached" });
		// Every chart drawn: Chart.js sizes each canvas to its box.
		await waitFor(() => page.locator(".ad-figure canvas").evaluateAll((cs) => cs.length === 8 && cs.every((c) => c.width > 0 && c.height > 0 && c.getAttribute("style"))), 8000, "eight charts drawn (by referral too)");
		const from = await page.inputValue('input[name="from"]'), to = await page.inputValue('input[name="to"]');
		const group = await page.inputValue('select[name="group"]');
		const q = "from=" + from + "&to=" + to + "&group=" + group;
		const svc = (await staffGet(page, "/api/v1/businesses/demo/analytics?" + q + "&by=service")).json;
		const prov = (await staffGet(page, "/api/v1/businesses/demo/analytics?" + q + "&by=provider")).json;
		assert(svc.totals.bookings >= 2, "the range holds the bookings just made: " + svc.totals.bookings);
		// Bookings over time: one row per period, its first date and its counts.
		const over = await tableValues(page, "over-time");
		assert(over.length === svc.periods.length, "a row per period");
		svc.periods.forEach((p, i) => {
			const r = over[i];
			assert(r[0] === p.from && +r[1] === p.totals.bookings && +r[2] === (p.totals.by_status.cancelled || 0) && +r[3] === (p.totals.by_status.no_show || 0) && +r[4] === p.totals.revenue.amount_minor, "period " + p.from + ": " + r.join(","));
		});
		// By service and by provider: names and counts of every group.
		const bySvc = await tableValues(page, "by-service");
		assert(JSON.stringify(bySvc.map((r) => [r[0], +r[1]])) === JSON.stringify(svc.groups.map((g) => [g.name, g.bookings])), "by service: " + JSON.stringify(bySvc));
		const byProv = await tableValues(page, "by-provider");
		assert(JSON.stringify(byProv.map((r) => [r[0], +r[1]])) === JSON.stringify(prov.groups.map((g) => [g.name || g.key || "None", g.bookings])), "by provider: " + JSON.stringify(byProv));
		// Rates, lead time, utilisation and the heat map.
		const rates = await tableValues(page, "rates");
		svc.periods.forEach((p, i) => assert(rates[i][1] === (p.totals.cancellation_rate === null ? "" : String(p.totals.cancellation_rate)), "cancellation rate of " + p.from));
		const lead = await tableValues(page, "lead-time");
		assert(JSON.stringify(lead.map((r) => +r[1])) === JSON.stringify(svc.lead_time_histogram.map((h) => h.bookings)), "lead time histogram");
		const use = await tableValues(page, "utilisation");
		assert(JSON.stringify(use.map((r) => [r[0], +r[1], +r[2]])) === JSON.stringify(svc.utilisation.map((u) => [u.name, u.open_s, u.booked_s])), "utilisation");
		const heat = await tableValues(page, "heatmap");
		assert(JSON.stringify(heat.map((r) => r.slice(1).map(Number))) === JSON.stringify(svc.heatmap), "heat map cells");
		assert(svc.heatmap.flat().reduce((a, b) => a + b, 0) === svc.totals.bookings, "the heat map adds up to the bookings");
		// The table shows words, not raw values: the period's label and the count.
		await page.locator('.ad-figure[data-figure="over-time"] summary').click();
		await page.locator('.ad-figure[data-figure="heatmap"] summary').click();
		const shown = await page.locator('.ad-figure[data-figure="over-time"] tbody tr').first().innerText();
		assert(shown.includes(String(svc.periods[0].totals.bookings)), "the table row reads: " + shown);
		await step(page, t, "1-analytics");
		// CSV of the bookings over time, downloaded and parsed back.
		const [dl] = await Promise.all([page.waitForEvent("download"), page.locator('.ad-figure[data-figure="over-time"] button').click()]);
		assert(dl.suggestedFilename() === "analytics-over-time-" + from + "-" + to + ".csv", "file name " + dl.suggestedFilename());
		const csv = parseCsv(readFileSync(await dl.path(), "utf8"));
		assert(csv[0].join("|") === "Period|Bookings|cancelled|no-show|Revenue", "header: " + csv[0].join("|"));
		assert(csv.length === svc.periods.length + 1, "a CSV row per period");
		svc.periods.forEach((p, i) => assert(csv[i + 1][0] === p.from && +csv[i + 1][1] === p.totals.bookings && +csv[i + 1][4] === p.totals.revenue.amount_minor, "CSV row " + csv[i + 1].join(",")));
		const [dl2] = await Promise.all([page.waitForEvent("download"), page.locator('.ad-figure[data-figure="heatmap"] button').click()]);
		const hcsv = parseCsv(readFileSync(await dl2.path(), "utf8"));
		assert(hcsv.length === 8 && hcsv[0].length === 25 && JSON.stringify(hcsv.slice(1).map((r) => r.slice(1).map(Number))) === JSON.stringify(svc.heatmap), "heat map CSV");
		// By day: the over-time figure follows the cut.
		await page.selectOption('select[name="group"]', "day");
		await page.click('.ad-analytics form button[type="submit"]');
		await waitFor(async () => (await tableValues(page, "over-time")).length === Math.round((Date.parse(to) - Date.parse(from)) / 86400000) + 1, 5000, "a row per day");
		const day = b1.start.slice(0, 10);
		const dayRow = (await tableValues(page, "over-time")).find((r) => r[0] === day);
		assert(dayRow && +dayRow[1] >= 1, "the day of the first booking counts it: " + dayRow);
		await step(page, t, "2-by-day");
	}
});

test("admin insight: Chart.js is fetched by the analytics page only", async ({ base, server, browser }, t) => {
	const page = await newPage(browser, t, { viewport: DESKTOP });
	const scripts = [];
	page.on("request", (r) => { if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname); });
	await signIn(page, base, server.owner_password, "/admin/calendar");
	await page.waitForSelector(".ec");
	await page.waitForLoadState("networkidle");
	assert(scripts.some((s) => /\/assets\/AdminApp-/.test(s)), "the dashboard chunk: " + scripts.join(" "));
	assert(!scripts.some((s) => /\/assets\/charts-/.test(s)), "no chart code on the calendar: " + scripts.join(" "));
	// The first admin chunk holds no Chart.js either.
	for (const s of scripts) {
		const body = await (await fetch(base + s)).text();
		assert(!/Chart\.js v\d|chartjs/i.test(body) || /charts-/.test(s), "Chart.js inside " + s);
	}
	await page.click('.ad-nav a[href="/admin/analytics"]');
	await page.waitForSelector(".ad-figure canvas");
	await waitFor(() => scripts.some((s) => /\/assets\/charts-/.test(s)), 5000, "the chart chunk on the analytics page");
	await step(page, t, "1-analytics-after-calendar");
	// The three pages in French: every string is in the catalogue (a missing key is a
	// console error, which fails the test).
	await page.goto(base + "/admin/analytics?lang=fr");
	await page.waitForSelector('.ad-figure[data-figure="heatmap"] canvas');
	assert((await page.locator("h1").innerText()) === "Statistiques", "French heading");
	await step(page, t, "2-analytics-fr");
	await page.goto(base + "/admin/notifications?lang=fr");
	await page.waitForSelector(".ad-preview-text");
	for (const part of ["Réglages", "Historique"]) {
		await page.click('.ad-parts button:has-text("' + part + '")');
		await page.waitForSelector(part === "Réglages" ? "form.ad-settings" : ".ad-history-list table, .ad-history-list .ad-none");
	}
	await page.goto(base + "/admin/why?lang=fr");
	await page.waitForSelector('select[name="service"] option', { state: "attached" });
	await page.click('form.ad-why button[type="submit"]');
	await page.waitForSelector(".ad-verdict");
});

test("admin insight: a reminder template edited and previewed on a booking, then sent with the new text; a failed message retried", async ({ browser }, t) => {
	// A bookd of its own: this test moves its clock.
	const work = mkdtempSync(join(tmpdir(), "bookd-web-notify-"));
	const server = await startServer(work);
	t.cleanup.push(async () => { await server.stop(); rmSync(work, { recursive: true, force: true }); });
	const base = server.base;
	const b = await publicBooking(base, { days: 2 });
	await waitFor(() => mails(server).find((m) => m.to.includes(b.customer.email)), 8000, "the confirmation");
	for (const vp of [PHONE, DESKTOP]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, server.owner_password, "/admin/notifications");
		await page.waitForSelector('textarea[name="body_text"]');
		// the picker is filled when the templates arrive, a moment after the editor shows
		await page.waitForFunction(() => document.querySelector('select[name="template"]')?.value === "reminder/email", null, { timeout: 5000 }).catch(() => {});
		assert((await page.inputValue('select[name="template"]')) === "reminder/email", "the reminder first");
		await step(page, t, "1-templates");
		if (vp === PHONE) continue;
		const text = "Hello {{customer_name}}, your {{service_name}} ({{reference}}) is at {{start_time}}. Bring a smile!";
		await page.fill('input[name="subject"]', "Soon: {{service_name}} at {{start_time}}");
		await page.fill('textarea[name="body_text"]', text);
		await page.fill('textarea[name="body_html"]', "<p>Hello {{customer_name}}, bring a smile!</p>");
		await page.selectOption('select[name="booking"]', b.reference);
		// The live preview, rendered by the server on that booking, nothing sent.
		const sentBefore = mails(server).length;
		await waitFor(async () => (await page.locator(".ad-preview-text").innerText().catch(() => "")).includes(b.customer.name + ", your Haircut (" + b.reference + ")"), 5000, "the preview on the booking");
		assert((await page.locator(".ad-preview-text").innerText()).includes("Bring a smile!"), "the edited text in the preview");
		assert((await page.locator(".ad-preview-subject").innerText()).includes("Soon: Haircut at"), "the subject");
		await step(page, t, "2-preview");
		await page.click('.ad-template-edit button[type="submit"]');
		await page.waitForSelector(".ad-template-edit .bk-notice-ok");
		await page.waitForTimeout(300);
		assert(mails(server).length === sentBefore, "a preview sends nothing");
		// Settings: a staff alert address added and saved.
		await page.click('.ad-parts button:has-text("Settings")');
		await page.waitForSelector("form.ad-settings");
		const before0 = (await staffGet(page, "/api/v1/businesses/demo/notification-settings")).json;
		await page.click('form.ad-settings button:has-text("Add a reminder")');
		await page.fill('input[name^="offset-"] >> nth=-1', "2");
		await page.selectOption('select[name^="unit-"] >> nth=-1', "days");
		await page.check('input[name="quiet"]');
		await page.fill('input[name="quiet_start"]', "22:00");
		await page.fill('input[name="quiet_end"]', "07:30");
		await page.click('form.ad-settings button:has-text("Add an address")');
		await page.fill('input[name^="alert-"] >> nth=-1', "desk@demo.test");
		await page.click('form.ad-settings button[type="submit"]');
		await page.waitForSelector("form.ad-settings .bk-notice-ok");
		const settings = (await staffGet(page, "/api/v1/businesses/demo/notification-settings")).json;
		assert(settings.staff_alerts.some((a) => a.email === "desk@demo.test"), "the alert saved: " + JSON.stringify(settings));
		assert(JSON.stringify(settings.reminder_offsets_s) === JSON.stringify([...before0.reminder_offsets_s, 172800]), "the reminder saved: " + JSON.stringify(settings));
		assert(settings.quiet_start_min === 22 * 60 && settings.quiet_end_min === 7 * 60 + 30, "quiet hours saved: " + JSON.stringify(settings));
		await step(page, t, "3-settings");
		// A message that failed (as after a long mail outage) is retried from the history.
		const marked = spawnSync("/usr/bin/python3", ["-c", [
			"import sqlite3, sys",
			"c = sqlite3.connect(sys.argv[1])",
			"n = c.execute(\"UPDATE notifications SET status = 'failed', attempts = 10, last_error = '421 service not available' WHERE event = 'confirmed' AND booking_id = (SELECT id FROM bookings WHERE reference = ?)\", (sys.argv[2],)).rowcount",
			"c.commit()",
			"print(n)",
		].join("\n"), server.db.replace(/^sqlite:/, ""), b.reference], { encoding: "utf8" });
		assert(marked.stdout.trim() === "1", "marked one message failed: " + marked.stdout + marked.stderr);
		await page.click('.ad-parts button:has-text("History")');
		const row = page.locator('tr[data-status="failed"]');
		await row.waitFor();
		assert((await row.innerText()).includes(b.reference) && (await row.innerText()).includes("421 service not available"), "the failed row: " + (await row.innerText()));
		await step(page, t, "4-failed");
		const confirmations = () => mails(server).filter((m) => m.to.includes(b.customer.email) && m.text.includes(b.reference) && !/Soon/.test(m.subject));
		const before = confirmations().length;
		await row.locator("button").click();
		await page.waitForSelector(".ad-history-list .bk-notice-ok");
		await waitFor(() => confirmations().length === before + 1, 8000, "the retried message delivered");
		await page.click('.ad-history-list form button[type="submit"]');
		await waitFor(async () => (await page.locator('tr[data-status="failed"]').count()) === 0, 5000, "no failed row left");
		await step(page, t, "5-retried");
		// The reminders fall due: the customer's reminder carries the edited text.
		const due = new Date(Date.parse(b.start) - 3600 * 1000 + 1000).toISOString().replace(".000Z", "Z");
		const r = await fetch(base + "/api/v1/test/clock", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ now: due }) });
		assert(r.status === 200, "clock moved");
		const mail = await waitFor(() => mails(server).find((m) => m.to.includes(b.customer.email) && /^Soon: Haircut at/.test(m.subject)), 8000, "the reminder in the sink");
		assert(mail.text.includes("Hello " + b.customer.name + ", your Haircut (" + b.reference + ") is at") && mail.text.includes("Bring a smile!"), "the reminder's text: " + mail.text);
		assert(mail.html.includes("bring a smile!"), "the reminder's HTML: " + mail.html);
	}
});

/** date at wall time hh:mm in Europe/London as an RFC 3339 instant with its offset. */
function londonInstant(date, hhmm) {
	const name = new Date(date + "T12:00:00Z").toLocaleString("en-GB", { timeZone: "Europe/London", timeZoneName: "shortOffset" });
	const m = /GMT([+-]\d+)?/.exec(name);
	const off = m && m[1] ? Number(m[1]) : 0;
	return date + "T" + hhmm + ":00" + (off < 0 ? "-" : "+") + String(Math.abs(off)).padStart(2, "0") + ":00";
}

test("admin insight: why no slot? A time in a break is explained as a break", async ({ base, server, browser }, t) => {
	// The next Wednesday at least two days ahead, 12:15 London: the demo's lunch break.
	const wed = [...Array(10).keys()].map((i) => new Date(Date.now() + (i + 2) * 86400000).toISOString().slice(0, 10)).find((d) => new Date(d + "T12:00:00Z").getUTCDay() === 3);
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, server.owner_password, "/admin/why");
		await page.waitForSelector('select[name="service"] option[value="haircut"]', { state: "attached" });
		await page.selectOption('select[name="service"]', "haircut");
		await page.selectOption('select[name="provider"]', "chloe");
		await page.fill('input[name="date"]', wed);
		await page.fill('input[name="time"]', "12:15");
		await step(page, t, "1-form");
		await page.click('form.ad-why button[type="submit"]');
		const v = page.locator(".ad-verdict");
		await v.waitFor();
		const text = await v.innerText();
		const start = (await staffGet(page, "/api/v1/businesses/demo/availability/explain?service=haircut&provider=chloe&start=" + encodeURIComponent(londonInstant(wed, "12:15")))).json;
		assert(start.reason === "break", "the API says break: " + JSON.stringify(start));
		assert((await v.getAttribute("data-reason")) === "break" && /Not offered: in a break/.test(text) && /between two opening ranges/.test(text), "the verdict in words: " + text);
		await step(page, t, "2-break");
		// Another time: the page says what the engine says, whatever that is by now.
		await page.fill('input[name="time"]', "10:00");
		await page.click('form.ad-why button[type="submit"]');
		await page.waitForSelector(".ad-verdict");
		const ten = (await staffGet(page, "/api/v1/businesses/demo/availability/explain?service=haircut&provider=chloe&start=" + encodeURIComponent(londonInstant(wed, "10:00")))).json;
		assert((await page.locator(".ad-verdict").getAttribute("data-reason")) === ten.reason, "10:00: " + ten.reason);
		if (ten.offered) assert((await page.locator(".ad-verdict").innerText()).includes("Chloé"), "offered with her name");
	}
});
