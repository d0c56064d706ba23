// calendars.mjs - the dashboard's calendar sync page, at desktop and phone sizes: an ICS
// calendar connected and read (its health drawn), one whose server refuses the credentials
// (needs credentials, the owners emailed, the banner on every page), fail-closed minutes
// changed, a resync, the alert threshold; a feed made with its address shown once and
// copied, rotated (the old address stops at once), a free/busy feed, deletes. A loopback
// HTTP server of its own serves the calendars. Everything made is deleted at the end.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DESKTOP, PHONE, ROOT, assert, mails, newPage, startServer, step, test, waitFor } from "./lib.mjs";

const EMPTY = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n";

/** /ok.ics answers an empty calendar, /denied.ics 401. */
async function calendarPeer() {
	const srv = createServer((req, res) => {
		if (req.url.startsWith("/ok.ics")) {
			res.writeHead(200, { "Content-Type": "text/calendar" });
			res.end(EMPTY);
		} else {
			res.writeHead(401, { "WWW-Authenticate": "Basic" });
			res.end();
		}
	});
	await new Promise((r) => srv.listen(0, "127.0.0.1", r));
	return { url: "http://127.0.0.1:" + srv.address().port, close: () => new Promise((r) => srv.close(r)) };
}

export async function signIn(page, base, password, path) {
	await page.goto(base + path);
	await page.waitForSelector("form.ad-login");
	await page.fill('input[name="business"]', "demo");
	await page.fill('input[name="email"]', "owner@demo.test");
	await page.fill('input[name="password"]', password);
	await page.click('form.ad-login button[type="submit"]');
	await page.waitForSelector(".ad-subnav");
}

/** The row of the connection or feed labelled `name`. */
const row = (page, table, name) => page.locator("table." + table + " tbody tr", { hasText: name });

test("calendar sync: connections with health, alerts and a banner, feeds shown once, at both sizes", async ({ base, server, browser }, t) => {
	const peer = await calendarPeer();
	t.cleanup.push(peer.close);
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
	await signIn(page, base, server.owner_password, "/admin/calendars");
	await page.waitForSelector("h1#calsync-title");
	await page.waitForSelector('select[name="owner"] option[value^="provider:"]', { state: "attached" });
	await step(page, t, "1-empty");

	// An ICS address that answers: read at once, then OK.
	const form = page.locator("form.ad-calconn-new");
	await form.locator('select[name="owner"]').selectOption({ index: 1 });
	await form.getByLabel("Label (optional)").fill("Front desk phone");
	await form.getByLabel("Secret ICS address").fill(peer.url + "/ok.ics?secret=s3cr3t");
	await form.locator('input[name="fail_closed"]').fill("30");
	await form.locator('button[type="submit"]').click();
	await page.waitForSelector("text=Connected: it is read now.");
	const ok = row(page, "ad-calconns", "Front desk phone");
	await ok.waitFor();
	await waitFor(async () => {
		await page.reload();
		await ok.waitFor();
		return (await ok.getAttribute("data-state")) === "ok";
	}, 10000, "the first read");
	const okText = await ok.innerText();
	assert(/OK/.test(okText) && okText.includes("127.0.0.1") && !okText.includes("s3cr3t"), "health without the secret: " + okText);
	assert((await ok.locator('input[name="fail_closed_after_min"]').inputValue()) === "30", "fail-closed minutes shown");
	await step(page, t, "2-connected");

	// A server refusing the credentials: needs credentials, owners emailed, the banner.
	await form.locator('select[name="owner"]').selectOption({ index: 1 });
	await form.getByLabel("Label (optional)").fill("Old password calendar");
	await form.getByLabel("Secret ICS address").fill(peer.url + "/denied.ics");
	await form.locator('button[type="submit"]').click();
	const bad = row(page, "ad-calconns", "Old password calendar");
	await waitFor(async () => {
		await page.reload();
		await bad.waitFor();
		return (await bad.getAttribute("data-state")) === "needs_credentials";
	}, 10000, "the refusal");
	assert(/Needs credentials/.test(await bad.innerText()) && /HTTP 401/.test(await bad.innerText()), "health: " + (await bad.innerText()));
	const banner = page.locator(".ad-calalert-banner");
	await banner.waitFor();
	assert(/1 calendar connection/.test(await banner.innerText()), "banner: " + (await banner.innerText()));
	await step(page, t, "3-refused");
	const mail = await waitFor(() => mails(server).find((m) => /Old password calendar/.test(m.subject) && /is not syncing/.test(m.subject)), 10000, "the owners' email");
	assert(mail.to.includes("owner@demo.test") && /refused/.test(mail.text), "alert mail: " + JSON.stringify(mail).slice(0, 300));
	// The banner is on other pages too, with a link back here.
	await page.click('.ad-nav a[href="/admin/bookings"]');
	await banner.waitFor();
	await banner.locator("a").click();
	await page.waitForSelector("h1#calsync-title");

	// Fail-closed off for the first, and a resync.
	await ok.locator('input[name="fail_closed_after_min"]').fill("");
	await ok.locator('button:has-text("Save")').click();
	await page.waitForSelector(".bk-notice-ok:has-text('Saved.')");
	await ok.locator('button:has-text("Read again now")').click();
	await page.waitForSelector("text=It will be read again in full now.");
	// The alert threshold.
	await page.locator('form.ad-calalert input[name="alert_after_min"]').fill("90");
	await page.locator('form.ad-calalert button[type="submit"]').click();
	await page.waitForSelector(".bk-notice-ok:has-text('Saved.')");

	// A provider's feed: its address shown once, copied, then working.
	const ff = page.locator("form.ad-calfeed-new");
	await ff.locator('select[name="scope"]').selectOption("provider");
	await ff.locator('select[name="subject_id"]').selectOption({ index: 1 });
	await ff.locator('input[name="feed_name"]').fill("Desk tablet");
	await ff.locator('button[type="submit"]').click();
	const urlBox = page.locator('input[name="feed_url"]');
	await urlBox.waitFor();
	const url1 = await urlBox.inputValue();
	assert(/\/api\/v1\/public\/calendar-feeds\/.+\/feed\.ics$/.test(url1), "feed url: " + url1);
	await page.locator('.ad-feed-url button:has-text("Copy")').click();
	await page.waitForSelector("text=Copied.");
	assert((await page.evaluate(() => navigator.clipboard.readText())) === url1, "copied the address");
	await step(page, t, "4-feed-once");
	let r = await fetch(url1.replace(/^https?:\/\/[^/]+/, base));
	assert(r.status === 200 && /text\/calendar/.test(r.headers.get("content-type")), "feed answers: " + r.status);
	// Hidden, it is never shown again: the list has only its hint.
	await page.locator('.ad-feed-url button:has-text("Hide")').click();
	const secret = url1.match(/calendar-feeds\/[^./]+\.[^./]+\.([^/]+)\/feed\.ics$/)[1];
	assert(secret.length > 16 && !(await page.content()).includes(secret), "the secret is not on the page any more");
	// Rotated: a new address, the old one stops at once.
	page.once("dialog", (d) => d.accept());
	await row(page, "ad-calfeeds", "Desk tablet").locator('button:has-text("New address")').click();
	await page.waitForSelector("text=New address made; the old one no longer works.");
	const url2 = await urlBox.inputValue();
	assert(url2 !== url1, "a new address");
	r = await fetch(url1.replace(/^https?:\/\/[^/]+/, base));
	assert(r.status === 404, "old address: " + r.status);
	r = await fetch(url2.replace(/^https?:\/\/[^/]+/, base));
	assert(r.status === 200, "new address: " + r.status);
	// A free/busy feed of the whole business.
	await ff.locator('select[name="scope"]').selectOption("business");
	await ff.locator('input[name="detail"][value="free_busy"]').check();
	await ff.locator('input[name="feed_name"]').fill("Busy only");
	await ff.locator('button[type="submit"]').click();
	await page.waitForSelector("text=Feed made.");
	const fb = row(page, "ad-calfeeds", "Busy only");
	await fb.waitFor();
	assert(/Free\/busy/.test(await fb.innerText()), "free/busy row: " + (await fb.innerText()));
	await step(page, t, "5-feeds");

	// At a phone's width: every row a card, nothing wider than the screen.
	const phone = await newPage(browser, t, { viewport: PHONE });
	await signIn(phone, base, server.owner_password, "/admin/calendars");
	await row(phone, "ad-calconns", "Old password calendar").waitFor();
	await phone.locator(".ad-calalert-banner").waitFor();
	await step(phone, t, "6-phone");
	const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
	assert(wide <= PHONE.width, "fits the phone's width: " + wide);
	await phone.selectOption('form.ad-calconn-new select[name="kind"]', "caldav");
	await phone.waitForSelector('form.ad-calconn-new input[name="password"]');
	await step(phone, t, "7-phone-caldav-form");

	// Everything made here goes: the banner with it.
	for (const name of ["Front desk phone", "Old password calendar"]) {
		page.once("dialog", (d) => d.accept());
		await row(page, "ad-calconns", name).locator('button:has-text("Delete")').click();
		await page.waitForSelector("text=Disconnected.");
		await row(page, "ad-calconns", name).waitFor({ state: "detached" });
	}
	for (const name of ["Desk tablet", "Busy only"]) {
		page.once("dialog", (d) => d.accept());
		await row(page, "ad-calfeeds", name).locator('button:has-text("Delete")').click();
		await row(page, "ad-calfeeds", name).waitFor({ state: "detached" });
	}
	await page.click('.ad-nav a[href="/admin/bookings"]');
	await page.waitForTimeout(300);
	assert((await page.locator(".ad-calalert-banner").count()) === 0, "no banner once the failing connection is gone");
});

/** The loopback stand-in of Google Calendar and Microsoft Graph (tests/tools/cloudcal_peer.py):
 * {base, flags, stop}. */
async function cloudPeer() {
	const py = spawn("/usr/bin/python3", [join(ROOT, "tests", "tools", "cloudcal_peer.py")], { stdio: ["ignore", "pipe", "inherit"] });
	const line = await new Promise((resolve, reject) => {
		createInterface({ input: py.stdout }).once("line", resolve);
		py.once("exit", (c) => reject(new Error("cloudcal_peer.py exited " + c)));
	});
	return { ...JSON.parse(line), stop: () => new Promise((r) => { py.once("exit", r); py.kill(); }) };
}

test("calendar sync: a Google calendar connected through its consent page and read", async ({ browser }, t) => {
	const peer = await cloudPeer();
	t.cleanup.push(peer.stop);
	// A bookd of its own that knows the stand-in as Google and Microsoft, on a port chosen
	// here: the consent's redirect address is its public URL.
	const port = await new Promise((r) => { const s = createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
	const work = mkdtempSync(join(tmpdir(), "bookd-web-cloud-"));
	const server = await startServer(work, ["--listen", "127.0.0.1:" + port, "--public-url", "http://127.0.0.1:" + port, ...peer.flags]);
	t.cleanup.push(async () => { await server.stop(); rmSync(work, { recursive: true, force: true }); });
	const base = server.base;
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, server.owner_password, "/admin/calendars");
		await page.waitForSelector('select[name="owner"] option[value^="provider:"]', { state: "attached" });
		const form = page.locator("form.ad-calconn-new");
		await form.locator('select[name="kind"]').selectOption(vp === DESKTOP ? "google" : "microsoft");
		await form.locator('select[name="owner"]').selectOption({ index: vp === DESKTOP ? 1 : 2 });
		await form.getByLabel("Label (optional)").fill(vp === DESKTOP ? "Work Google" : "Work Outlook");
		assert(/sign in at/.test(await form.innerText()), "says what will happen");
		await step(page, t, vp === DESKTOP ? "1-google-form" : "3-microsoft-form");
		// To the provider's consent page, which sends the browser back through bookd to here.
		await form.locator('button[type="submit"]').click();
		await page.waitForURL(/\/admin\/calendars\?connected=cal_/);
		await page.waitForSelector("text=The calendar is connected.");
		const row = page.locator("table.ad-calconns tbody tr", { hasText: vp === DESKTOP ? "Work Google" : "Work Outlook" });
		await waitFor(async () => {
			await page.reload();
			await row.waitFor();
			return (await row.getAttribute("data-state")) === "ok";
		}, 10000, "the code exchanged and the calendar read");
		const text = await row.innerText();
		assert(vp === DESKTOP ? /Google Calendar/.test(text) && text.includes("ann@gmail.example") : /Microsoft 365/.test(text) && text.includes("bob@contoso.example"), "the row: " + text);
		await step(page, t, vp === DESKTOP ? "2-google-connected" : "4-microsoft-connected");
	}
});
