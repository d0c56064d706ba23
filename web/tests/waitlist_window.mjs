// waitlist_window.mjs - an appointment service's waiting list on the booking page: the window
// form under the times, its place, the entry's page (leaving), and a freed time offered by
// email and booked in one step from the link.
import { DESKTOP, PHONE, assert, mails, newPage, step, test, waitFor } from "./lib.mjs";
import { publicBooking } from "./staff.mjs";

async function post(base, path, body, headers = {}) {
	const r = await fetch(base + path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
	const text = await r.text();
	return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

// the local date and HH:MM of an instant in London (the demo's zone)
const londonDate = (iso) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));
const londonTime = (iso, addMin = 0) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(Date.parse(iso) + addMin * 60000));

test("appointment waiting list: join from the times, see the place, leave; a freed time is offered and booked from the email", async ({ browser, base, server }, t) => {
	// A massage with Ben far out, the time the waiting customer wants.
	const taken = await publicBooking(base, { service: "massage", days: 24, provider: "ben", who: "Early Ed" });
	const day = londonDate(taken.start);
	const stamp = Date.now();

	// Phone: the link under the times, the form, a bad range refused at its field.
	const page = await newPage(browser, t, { viewport: PHONE });
	await page.goto(base + "/book/demo/massage");
	await page.click('.bk-card[data-provider="ben"]');
	await page.waitForSelector("[data-waitwin-open]");
	await step(page, t, "1-times-link");
	await page.click("[data-waitwin-open]");
	await page.waitForSelector(".bk-waitwin form");
	assert((await page.inputValue("#bk-wl-provider")) === "ben", "the provider chosen is kept");
	await page.fill("#bk-wl-from", day);
	await page.fill("#bk-wl-to", day);
	await page.fill("#bk-wl-time_from", "17:00");
	await page.fill("#bk-wl-time_to", "09:00");
	await page.fill("#bk-wl-name", "Winnie Window");
	const address = "window." + stamp + "@example.com";
	await page.fill("#bk-wl-email", address);
	await page.check("#bk-wl-sms");
	await page.click(".bk-waitwin button[type=submit]");
	await page.waitForSelector("#bk-wl-time_to-error");
	assert((await page.getAttribute("#bk-wl-time_to", "aria-invalid")) === "true", "the bad range is named at its field");
	await step(page, t, "2-bad-range");
	// a range of start times that takes the booked one
	await page.fill("#bk-wl-time_from", londonTime(taken.start, -30));
	await page.fill("#bk-wl-time_to", londonTime(taken.start, 30));
	await step(page, t, "3-form");
	await page.click(".bk-waitwin button[type=submit]");
	await page.waitForSelector(".bk-waitlist-joined");
	assert((await page.getAttribute("[data-position]", "data-position")) === "1", "first on this list");
	await step(page, t, "4-joined");
	await page.click("[data-entry-link]");
	await page.waitForSelector("[data-waitlist-waiting]");
	assert(/number 1/.test(await page.textContent("[data-waitlist-waiting]")), "the entry's page shows the place");
	assert(/Massage/.test(await page.textContent(".bk-window")), "and what it waits for");
	const entryUrl = page.url();
	await step(page, t, "5-entry");

	// Desktop: a second customer joins the same window for any provider, then leaves.
	const desk = await newPage(browser, t, { viewport: DESKTOP });
	await desk.goto(base + "/book/demo/massage");
	await desk.click('.bk-card[data-provider=""]');
	await desk.click("[data-waitwin-open]");
	await desk.waitForSelector(".bk-waitwin form");
	assert((await desk.inputValue("#bk-wl-provider")) === "", "anyone, as chosen");
	await desk.fill("#bk-wl-from", day);
	await desk.fill("#bk-wl-to", day);
	await desk.fill("#bk-wl-name", "Lou Leaver");
	await desk.fill("#bk-wl-email", "leaver." + stamp + "@example.com");
	await step(desk, t, "6-form-desktop");
	await desk.click(".bk-waitwin button[type=submit]");
	await desk.waitForSelector(".bk-waitlist-joined");
	assert((await desk.getAttribute("[data-position]", "data-position")) === "2", "second on the list");
	await desk.click("[data-entry-link]");
	await desk.waitForSelector("[data-waitlist-waiting]");
	await step(desk, t, "7-entry-desktop");
	await desk.click("text=Leave the waiting list");
	await desk.waitForSelector('[data-waitlist-status="left"]');

	// The massage is cancelled: its time goes to Winnie, by email, and books in one step.
	const c = await post(base, "/api/v1/public/bookings/" + taken.reference + "/cancel", {}, { Authorization: "Bearer " + taken.manage_token });
	assert(c.status === 200, "the massage cancelled: " + c.status);
	const mail = await waitFor(() => mails(server).find((m) => m.to.includes(address)), 15000, "the offer email");
	const link = mail.text.match(/https?:\/\/[^\s/]+(\/w\/[A-Za-z0-9_]+\?t=[A-Za-z0-9_-]+)/);
	assert(link && entryUrl.endsWith(link[1]), "the offer email links to the entry's page: " + mail.text);
	await page.goto(base + link[1]);
	await page.waitForSelector("[data-waitlist-offer]");
	await step(page, t, "8-offer");
	await page.click("text=Book this place");
	await page.waitForSelector("[data-waitlist-booked] .bk-reference");
	const reference = await page.getAttribute(".bk-reference", "data-reference");
	await step(page, t, "9-booked");
	const booked = await (await fetch(base + "/api/v1/public/demo/availability?service=massage&provider=ben&from=" + day + "&to=" + day)).json();
	assert(!booked.days.flatMap((d) => d.slots).some((s) => Date.parse(s.start) === Date.parse(taken.start)), "the time is taken again: " + reference);
});
