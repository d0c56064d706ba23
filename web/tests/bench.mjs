// bench.mjs - `make bench`'s browser figure: web.booking.slots_visible_ms, from navigation
// start to the first time button on screen at 390x844 (the page opened on a class, its
// first free day chosen as soon as the calendar shows it), median of 10 fresh loads.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PHONE, launchBrowser, startServer } from "./lib.mjs";

const work = mkdtempSync(join(tmpdir(), "bookd-web-bench-"));
const server = await startServer(work);
const browser = await launchBrowser();
const times = [];
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
} finally {
	await browser.close();
	await server.stop();
	rmSync(work, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
console.log("bench web.booking.slots_visible_ms " + ((times[4] + times[5]) / 2).toFixed(0) + " ms");
