// lib.mjs - what the browser tests share: a real bookd (launch.py) on SQLite with the test
// clock and an SMTP sink, Debian's chromium through playwright-core with a fresh profile,
// axe-core on every step, screenshots of every step, and a tiny runner that ends with
// "web: N passed, N failed".
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
export const WEB = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(WEB);
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
export const SHOTS = process.env.BOOKD_WEB_SHOTS || join(WEB, "test-output", "screenshots");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const CHROMIUM = process.env.BOOKD_CHROMIUM || "/usr/bin/chromium";

/** The test clock: now, to the minute, so the browser's own clock agrees with the server's. */
export const CLOCK = new Date(Math.floor(Date.now() / 60000) * 60000).toISOString().replace(".000Z", "Z");

/** A bookd of its own (launch.py) in work; `extra` are more `bookd serve` flags (they win
 * over launch.py's environment, e.g. ["--rate-limits", "on"]). */
export async function startServer(work, extra = []) {
	const py = spawn("/usr/bin/python3", [join(WEB, "tests", "launch.py"), CLOCK, work, ...extra], {
		stdio: ["pipe", "pipe", "inherit"],
		env: { ...process.env, BOOKD_BIN: process.env.BOOKD_BIN || join(ROOT, "build", "bookd") },
	});
	const line = await new Promise((resolve, reject) => {
		const rl = createInterface({ input: py.stdout });
		rl.once("line", resolve);
		py.once("exit", (c) => reject(new Error("launch.py exited " + c)));
	});
	const info = JSON.parse(line);
	return { ...info, base: "http://127.0.0.1:" + info.port, stop: () => new Promise((r) => { py.once("exit", r); py.stdin.end(); }) };
}

/** Changes the demo business's settings as its owner would (staff API, session + CSRF);
 * `what` is the path under the business ("" for the business itself, "/protection"). */
export async function patchBusiness(server, settings, what = "") {
	const login = await fetch(server.base + "/api/v1/auth/login", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ business: "demo", email: "owner@demo.test", password: server.owner_password }),
	});
	if (login.status !== 200) throw new Error("login: " + login.status);
	const cookie = login.headers.get("set-cookie").split(";")[0];
	const { csrf_token } = await login.json();
	const r = await fetch(server.base + "/api/v1/businesses/demo" + what, {
		method: "PATCH",
		headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf_token },
		body: JSON.stringify(settings),
	});
	if (r.status !== 200) throw new Error("PATCH business" + what + ": " + r.status + " " + (await r.text()));
}

export async function launchBrowser() {
	if (!existsSync(CHROMIUM)) throw new Error(CHROMIUM + " is missing (scripts/install-deps.sh installs Debian's chromium)");
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

/** A page in a browser of its own on a new, empty profile directory (not incognito: the
 * browser's installability check refuses incognito windows). */
export async function persistentPage(t, { viewport = PHONE } = {}) {
	const dir = mkdtempSync(join(tmpdir(), "bookd-web-profile-"));
	const context = await chromium.launchPersistentContext(dir, {
		executablePath: CHROMIUM,
		headless: true,
		args: ["--no-sandbox", "--disable-dev-shm-usage"],
		viewport,
		timezoneId: "Europe/London",
		locale: "en-GB",
	});
	t.cleanup.push(async () => {
		await context.close();
		rmSync(dir, { recursive: true, force: true });
	});
	const page = context.pages()[0] || (await context.newPage());
	page.setDefaultTimeout(10000);
	page.on("pageerror", (e) => t.errors.push("page error: " + e.message));
	page.on("console", (m) => {
		if (m.type() === "error" && !/Failed to load resource/.test(m.text()) && !(t.ignoreNetworkErrors && /net::|Failed to fetch|NetworkError/.test(m.text())))
			t.errors.push("console: " + m.text());
	});
	return page;
}

/** A fresh context (its own profile: no cookies, storage or service worker carried over). */
export async function newPage(browser, t, { viewport = PHONE, timezoneId = "Europe/London", locale = "en-GB" } = {}) {
	const context = await browser.newContext({ viewport, timezoneId, locale });
	const page = await context.newPage();
	page.setDefaultTimeout(10000);
	page.on("console", (m) => {
		if (m.type() === "error" && !/Failed to load resource/.test(m.text()) && !(t.ignoreNetworkErrors && /net::|Failed to fetch|NetworkError/.test(m.text())))
			t.errors.push("console: " + m.text());
	});
	page.on("pageerror", (e) => t.errors.push("page error: " + e.message));
	t.cleanup.push(() => context.close());
	return page;
}

/** axe-core on the page as it is now; throws on any violation. Then a screenshot. */
export async function step(page, t, name) {
	await page.evaluate(AXE + ";0");
	const r = await page.evaluate(() =>
		window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }),
	);
	// The one documented exception: EventCalendar's role="table" (and its role="rowgroup"
	// body) holds the events themselves, not rows (aria-required-children); the dashboard
	// mends the rest of its markup (admin/CalendarView.tsx), and its bookings list is the
	// table-shaped way to the same bookings.
	r.violations = r.violations.filter((v) => !(v.id === "aria-required-children" && v.nodes.every((n) => /^\.ec(-body)?$/.test(n.target[0]))));
	const vp = page.viewportSize();
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: join(SHOTS, t.slug + "-" + name + "-" + vp.width + "x" + vp.height + ".png"), fullPage: true });
	if (r.violations.length) {
		throw new Error(
			"axe at " + name + ": " + r.violations.map((v) => v.id + " (" + v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ") + ")").join("; "),
		);
	}
	t.steps++;
}

/** The messages the SMTP sink has received, each {to, subject, text, html, ics}. */
export function mails(server) {
	return readdirSync(server.mail_dir)
		.filter((n) => n.endsWith(".json"))
		.sort()
		.map((n) => JSON.parse(readFileSync(join(server.mail_dir, n), "utf8")));
}

export async function waitFor(fn, ms = 10000, what = "condition") {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error("timed out waiting for " + what);
		await new Promise((r) => setTimeout(r, 50));
	}
}

export function assert(cond, msg) {
	if (!cond) throw new Error("assertion failed: " + msg);
}

const tests = [];
export function test(name, fn) {
	tests.push({ name, fn });
}

export async function runAll(setup) {
	const only = process.env.BOOKD_WEB_ONLY;
	let passed = 0, failed = 0;
	let env;
	const work = mkdtempSync(join(tmpdir(), "bookd-web-"));
	try {
		env = await setup(work);
	} catch (e) {
		console.log("FAIL setup: " + (e.stack || e));
		console.log("web: 0 passed, 1 failed");
		rmSync(work, { recursive: true, force: true });
		process.exit(1);
	}
	for (const tc of tests) {
		if (only && !tc.name.includes(only)) continue;
		const t = { errors: [], cleanup: [], steps: 0, slug: tc.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase() };
		const t0 = Date.now();
		try {
			await tc.fn(env, t);
			if (t.errors.length) throw new Error(t.errors.join("\n"));
			passed++;
			console.log("ok " + tc.name + " (" + t.steps + " steps, " + (Date.now() - t0) + " ms)");
		} catch (e) {
			failed++;
			console.log("FAIL " + tc.name + ": " + (e.stack || e));
		}
		for (const c of t.cleanup.reverse()) await c().catch(() => {});
	}
	await env.teardown().catch(() => {});
	rmSync(work, { recursive: true, force: true });
	console.log("web: " + passed + " passed, " + failed + " failed");
	process.exit(failed ? 1 : 0);
}

/** Brings the booking page's month grid to the month of date (YYYY-MM-DD): waits for the
 * first month's times (the page may move on by itself from a month with none), then goes
 * month by month, each time until the grid shows the next month. */
export async function showMonthOf(page, date, next = '[aria-label="Next month"], [aria-label="Mois suivant"]') {
	await page.waitForSelector('.bk-cal-grid[aria-busy="false"] .bk-day');
	for (let i = 0; i < 4; i++) {
		if (await page.locator('.bk-day[data-date="' + date + '"]').count()) return;
		const first = await page.locator(".bk-day").first().getAttribute("data-date");
		if (first > date) throw new Error("the month grid shows " + first + ", after " + date);
		await page.click(next);
		await page.waitForFunction((f) => document.querySelector(".bk-day")?.getAttribute("data-date") !== f, first);
	}
	throw new Error(date + " is not within four months of the grid");
}

/** Opens the first day with free times at least daysAhead days from now on the booking
 * page's month grid (its times shown), going on a month at a time, at most three. */
export async function openFreeDay(page, daysAhead, next = '[aria-label="Next month"]') {
	const earliest = new Date(Date.now() + daysAhead * 86400000).toISOString().slice(0, 10);
	for (let months = 0; months < 3; months++) {
		await page.waitForSelector('.bk-cal-grid[aria-busy="false"] .bk-day');
		const days = await page.locator(".bk-day-free").evaluateAll((els) => els.map((e) => e.getAttribute("data-date")));
		const later = days.find((d) => d >= earliest);
		if (later) {
			await page.click('.bk-day[data-date="' + later + '"]');
			await page.waitForSelector(".bk-slot");
			return;
		}
		const first = await page.locator(".bk-day").first().getAttribute("data-date");
		await page.click(next);
		await page.waitForFunction((f) => document.querySelector(".bk-day")?.getAttribute("data-date") !== f, first);
	}
	throw new Error("no free day from " + earliest);
}
