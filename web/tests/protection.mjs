// protection.mjs - the booking page under the public API's protection: the session's
// `client` token, a limit's 429 said where it happened (with when to try again), and a
// booking that waits for the customer's emailed confirmation.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assert, mails, newPage, patchBusiness, startServer, step, test, waitFor } from "./lib.mjs";

const TOKEN = /^[A-Za-z0-9_-]{32}$/;
let seq = 0;
const email = (who) => who + ".p" + ++seq + "." + Date.now() + "@example.com";

/** A bookd of this test's own with the request and protection limits on (the shared one runs
 * with --rate-limits off, which turns the business's limits off too). */
async function limitedServer(t) {
	const work = mkdtempSync(join(tmpdir(), "bookd-web-limits-"));
	const server = await startServer(work, ["--rate-limits", "on"]);
	t.cleanup.push(async () => {
		await server.stop();
		rmSync(work, { recursive: true, force: true });
	});
	return server;
}

/** The bodies of the page's POSTs to …/holds and …/bookings, in order. */
function recordPosts(page) {
	const posts = [];
	page.on("request", (r) => {
		if (r.method() === "POST" && /\/api\/v1\/public\/demo\/(holds|bookings)$/.test(r.url())) posts.push({ what: r.url().split("/").pop(), body: JSON.parse(r.postData() || "{}") });
	});
	return posts;
}

/** Massage with anyone: the first day with free times from `minDays` on; its times. */
async function massageTimes(page, base, minDays = 1) {
	await page.goto(base + "/book/demo/massage");
	await page.click('[data-provider=""]');
	const earliest = new Date(Date.now() + minDays * 86400000).toISOString().slice(0, 10);
	let date;
	for (let months = 0; months < 3 && !date; months++) {
		await page.waitForSelector(".bk-day-free");
		date = (await page.locator(".bk-day-free").evaluateAll((els) => els.map((e) => e.getAttribute("data-date")))).find((d) => d >= earliest);
		if (!date) {
			await page.click('[aria-label="Next month"]');
			await page.waitForTimeout(300);
		}
	}
	assert(date, "a free day");
	await page.click('.bk-day[data-date="' + date + '"]');
	await page.waitForSelector(".bk-slot");
	return page.locator(".bk-slot").evaluateAll((els) => els.map((e) => e.getAttribute("data-start")));
}

async function holdFromApi(server, body) {
	const r = await fetch(server.base + "/api/v1/public/demo/holds", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
	return { status: r.status, retry: r.headers.get("retry-after"), json: await r.json() };
}

test("limits: the session's client token counts; a hold's and a booking's 429 say why and when, and another time can still be chosen", async ({ browser }, t) => {
	const server = await limitedServer(t);
	// one live hold per booking-page session, none per address (so only the token can refuse),
	// one booking an hour per email
	await patchBusiness(server, { holds_per_client: 1, holds_per_address: 0, hold_day_share: 0, bookings_per_email_hour: 1 }, "/protection");
	const page = await newPage(browser, t);
	const posts = recordPosts(page);
	const times = await massageTimes(page, server.base);
	assert(times.length >= 4, "enough free times: " + times.length);
	await page.click('.bk-slot[data-start="' + times[0] + '"]');
	await page.waitForSelector(".bk-countdown");
	const client = posts[0]?.body.client;
	assert(TOKEN.test(client || ""), "the hold carries a 32-character client token: " + JSON.stringify(posts[0]));
	assert(client === (await page.evaluate(() => sessionStorage.getItem("bookd.client"))), "the token is kept in sessionStorage");
	// the server counts this browser's token: a second hold under it is refused
	const second = await holdFromApi(server, { service: "massage", start: times[2], client });
	assert(second.status === 429 && second.json.limit === "holds_per_client", "a second hold under the page's token is refused: " + JSON.stringify(second));
	// Back lets the page's hold go; then the token's one hold is taken elsewhere (another
	// tab of the same session, say) and the page's next choice is refused
	await page.click("text=Back");
	await page.waitForSelector(".bk-slot");
	const other = await holdFromApi(server, { service: "massage", start: times[3], client });
	assert(other.status === 201, "the token's hold elsewhere: " + JSON.stringify(other));
	await page.click('.bk-slot[data-start="' + times[1] + '"]');
	await page.waitForSelector('[data-limit="holds_per_client"]');
	const notice = await page.textContent(".bk-notice-error");
	assert(/already holding as many times as allowed/.test(notice), "the hold limit in words: " + notice);
	const minutes = Number(await page.getAttribute("[data-retry-minutes]", "data-retry-minutes"));
	assert(minutes >= 1 && minutes <= 10 && notice.includes("try again in " + minutes + " minute"), "when to try again, from Retry-After: " + notice);
	assert(posts.at(-1).body.client === client, "the same token on every hold of the session");
	assert(await page.isVisible(".bk-slot"), "the times are still there to choose from");
	await step(page, t, "hold-limit");
	// once the other hold goes, a time can be chosen again from the same page
	assert((await fetch(server.base + "/api/v1/public/demo/holds/" + other.json.id, { method: "DELETE" })).status === 204, "the other hold let go");
	await page.click('.bk-slot[data-start="' + times[1] + '"]');
	await page.waitForSelector(".bk-countdown");
	assert(!(await page.isVisible(".bk-notice-error")), "the refusal is gone with a fresh hold");
	const address = email("rosa");
	await page.fill("#bk-name", "Rosa Lind");
	await page.fill("#bk-email", address);
	await page.click("text=Confirm booking");
	await page.waitForSelector(".bk-reference");
	const booking = posts.find((p) => p.what === "bookings");
	assert(booking && booking.body.client === client, "the booking carries the token too: " + JSON.stringify(booking));
	// a second booking under the same email within the hour: refused at the details form
	await massageTimes(page, server.base, 2);
	await page.locator(".bk-slot").first().click();
	await page.waitForSelector(".bk-countdown");
	await page.fill("#bk-name", "Rosa Lind");
	await page.fill("#bk-email", address);
	await page.click("text=Confirm booking");
	await page.waitForSelector('[data-limit="bookings_per_email_hour"]');
	const said = await page.textContent(".bk-notice-error");
	assert(/Too many bookings have been made with this email address in the last hour/.test(said) && /try again in \d+ minutes?/.test(said), "the booking limit in words, with when: " + said);
	assert(!(await page.isVisible(".bk-reference")), "not shown as booked");
	await step(page, t, "booking-limit");
	// Back still leads to the times (and lets the hold go)
	await page.click("text=Back");
	await page.waitForSelector(".bk-slot");
	assert(!(await page.isVisible("[data-limit]")), "the refusal stays with the form it answered");
	// in French: the same refusal in the page's language (another tab: a session of its own)
	const fr = await newPage(browser, t, { locale: "fr-FR" });
	await massageTimes(fr, server.base, 3);
	await fr.locator(".bk-slot").first().click();
	await fr.waitForSelector(".bk-countdown");
	await fr.fill("#bk-name", "Rosa Lind");
	await fr.fill("#bk-email", address);
	await fr.click("button[type=submit]");
	await fr.waitForSelector('[data-limit="bookings_per_email_hour"]');
	const dit = await fr.textContent(".bk-notice-error");
	assert(/Trop de réservations ont été faites avec cette adresse e-mail/.test(dit) && /réessayer dans \d+ minutes?/.test(dit), "the refusal in French: " + dit);
	await step(fr, t, "booking-limit-fr");
});

test("confirm by email: the page says the booking is not final until the email's link is followed; the link confirms it", async ({ browser, server, base }, t) => {
	await patchBusiness(server, { confirm_by_email: true }, "/protection");
	t.cleanup.push(() => patchBusiness(server, { confirm_by_email: false }, "/protection"));
	const page = await newPage(browser, t);
	const times = await massageTimes(page, base, 4);
	await page.click('.bk-slot[data-start="' + times.at(-1) + '"]');
	await page.waitForSelector(".bk-countdown");
	const address = email("noor");
	await page.fill("#bk-name", "Noor Haddad");
	await page.fill("#bk-email", address);
	await page.click("text=Confirm booking");
	await page.waitForSelector("[data-awaiting]");
	const text = await page.textContent("[data-awaiting]");
	assert(!/You are booked/.test(text), "not shown as booked: " + text);
	assert(/Confirm your booking by email/.test(await page.textContent("[data-awaiting] :is(h1, h2)")), "the heading asks for the email's confirmation");
	assert(/not final yet/.test(text) && text.includes(address) && /Click the link in it before [^;]*\d:\d\d/.test(text), "what to do, and by when: " + text);
	assert((await page.textContent("[data-status]")).includes("not yet confirmed"), "the summary's status says so");
	assert(!(await page.isVisible("[data-manage]")) && !(await page.isVisible(".bk-cal-links")), "no calendar or manage links for a booking that is not one yet");
	const reference = await page.getAttribute(".bk-reference", "data-reference");
	await step(page, t, "awaiting");
	// the email's link: the server's page, whose button makes it final
	const mail = await waitFor(() => mails(server).find((m) => m.to.includes(address)), 15000, "the confirmation request email");
	const link = /\/b\/[A-Z0-9-]+\/confirm\?t=[A-Za-z0-9_-]+/.exec(mail.text);
	assert(link && link[0].includes(reference), "the email links to the confirmation of " + reference + ": " + mail.text);
	// before it is followed, the booking's own page says it is not confirmed yet, not "held"
	await page.goto(base + "/b/" + reference + "?t=" + link[0].split("?t=")[1]);
	await page.waitForSelector(".bk-reference");
	assert((await page.textContent("[data-status]")).includes("not yet confirmed"), "the booking's own page says it waits for the email's confirmation");
	await page.goto(base + link[0]);
	await page.click("button[type=submit]");
	await page.waitForSelector("text=your booking is confirmed");
	// the booking's own page, with the link's token
	await page.goto(base + "/b/" + reference + "?t=" + link[0].split("?t=")[1]);
	await page.waitForSelector(".bk-reference");
	assert((await page.textContent("[data-status]")).includes("confirmed") && !(await page.textContent("[data-status]")).includes("not yet"), "the booking is confirmed");
	await step(page, t, "confirmed");
});
