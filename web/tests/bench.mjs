// bench.mjs - `make bench`'s browser figures: web.booking.slots_visible_ms, from navigation
// start to the first time button on screen at 390x844 (the page opened on a class, its
// first free day chosen as soon as the calendar shows it), median of 10 fresh loads; and
// web.admin.js_gzip, the gzip bytes of every script the staff dashboard's first page after
// login (the calendar) fetches, read from the precompressed files bookd serves: the analytics
// page's chart chunk loads later and is not counted.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DESKTOP, PHONE, WEB, launchBrowser, startServer } from "./lib.mjs";

const work = mkdtempSync(join(tmpdir(), "bookd-web-bench-"));
const server = await startServer(work);
const browser = await launchBrowser();
const times = [];
let admin = null;
try {
	for (let i = 0; i < 10; i++) {
		const context = await browser.newContext({ viewport: PHONE, timezoneId: "Europe/London", locale: "en-GB" });
		const page = await context.newPage();
		await page.goto(server.base + "/book/demo/yoga", { waitUntil: "commit" });
		await page.locator(".bk-day-free").first().click();
		await page.locator(".bk-slot").first().waitFor({ state: "visible" });
		times.push(await page.evaluate(() => performance.now()));
		await context.close();
	}
	admin = await adminScripts().catch((e) => { console.error("bench: web.admin.js_gzip: " + e.message); return null; });
} finally {
	await browser.close();
	await server.stop();
	rmSync(work, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
console.log("bench web.booking.slots_visible_ms " + ((times[4] + times[5]) / 2).toFixed(0) + " ms");
if (admin !== null) console.log("bench web.admin.js_gzip " + (admin / 1024).toFixed(1) + " kB");

/** web.admin.js_gzip: see the top of this file. */
async function adminScripts() {
	const context = await browser.newContext({ viewport: DESKTOP, timezoneId: "Europe/London", locale: "en-GB" });
	const page = await context.newPage();
	const scripts = new Set();
	page.on("request", (r) => { if (r.resourceType() === "script") scripts.add(new URL(r.url()).pathname); });
	await page.goto(server.base + "/admin");
	await page.fill('input[name="business"]', "demo");
	await page.fill('input[name="email"]', "owner@demo.test");
	await page.fill('input[name="password"]', server.owner_password);
	await page.click('form.ad-login button[type="submit"]');
	await page.locator(".ec").waitFor();
	await page.waitForLoadState("networkidle");
	await context.close();
	// Every script fetched from the login page to the calendar on screen.
	let gz = 0;
	const names = [...scripts];
	for (const name of names) {
		const f = join(WEB, "dist", name + ".gz");
		if (!existsSync(f)) throw new Error("no " + f);
		gz += statSync(f).size;
	}
	if (names.some((n) => /\/charts-/.test(n))) throw new Error("the chart chunk loaded on the first admin page");
	return gz;
}
