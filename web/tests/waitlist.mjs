// waitlist.mjs - a full class: joining its waiting list on the booking page, the place on
// the list, and the offer email's link that books the freed place in one step.
import { PHONE, assert, mails, newPage, showMonthOf, step, test, waitFor } from "./lib.mjs";
import { emptySessions } from "./sessions.mjs";

const civil = (ms) => new Date(ms).toISOString().slice(0, 10);

async function api(base, path, body, headers = {}) {
	const r = await fetch(base + path, {
		method: body === undefined ? "GET" : "POST",
		headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await r.text();
	return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

test("waiting list: join a full class, get the offer email, book from its link", async ({ browser, base, server }, t) => {
	// The last yoga session of the demo (no other test books it), filled up through the API.
	const session = (await emptySessions(base)).pop();
	assert(session, "an empty yoga session");
	const stamp = Date.now();
	const taken = [];
	for (const seats of [6, 6]) {
		const r = await api(base, "/api/v1/public/demo/bookings", { service: "yoga", start: session.start, seats, customer: { name: "Group " + seats, email: "group" + taken.length + "." + stamp + "@example.com" } });
		assert(r.status === 201, "a group booked: " + r.status + " " + JSON.stringify(r.json));
		taken.push(r.json);
	}
	const page = await newPage(browser, t, { viewport: PHONE });
	await page.goto(base + "/book/demo/yoga");
	const date = civil(Date.parse(session.start)); // London evening: the same UTC date
	await showMonthOf(page, date);
	await page.waitForSelector('.bk-day-wait[data-date="' + date + '"]').catch(async (e) => {
		throw new Error(e.message + "\nthe day: " + (await page.getAttribute('.bk-day[data-date="' + date + '"]', "aria-label")) + " " + (await page.getAttribute('.bk-day[data-date="' + date + '"]', "class")));
	});
	await page.click('.bk-day[data-date="' + date + '"]');
	await page.waitForSelector('.bk-full[data-session="' + session.id + '"]');
	assert(/Full/.test(await page.textContent('.bk-full[data-session="' + session.id + '"]')), "the session says full");
	await step(page, t, "1-full");
	await page.click('.bk-full[data-session="' + session.id + '"] button');
	const address = "waiter." + stamp + "@example.com";
	await page.fill("#bk-name", "Wanda Waite");
	await page.fill("#bk-email", address);
	await step(page, t, "2-join");
	await page.click("button[type=submit]");
	await page.waitForSelector(".bk-waitlist-joined");
	assert((await page.getAttribute("[data-position]", "data-position")) === "1", "first on the list");
	await step(page, t, "3-joined");
	await page.click("[data-entry-link]");
	await page.waitForSelector("[data-waitlist-waiting]");
	assert(/number 1/.test(await page.textContent("[data-waitlist-waiting]")), "the entry's page shows the place");
	await step(page, t, "4-waiting");

	// A group cancels: the freed place is offered to Wanda by email.
	const c = await api(base, "/api/v1/public/bookings/" + taken[0].reference + "/cancel", {}, { Authorization: "Bearer " + taken[0].manage_token });
	assert(c.status === 200, "the group cancelled");
	const mail = await waitFor(() => mails(server).find((m) => m.to.includes(address) && /seat is free/.test(m.subject)), 15000, "the offer email");
	const link = mail.text.match(/https?:\/\/[^\s/]+(\/w\/[A-Za-z0-9_]+\?t=[A-Za-z0-9_-]+)/);
	assert(link, "the offer email links to the entry's page: " + mail.text);
	await page.goto(base + link[1]);
	await page.waitForSelector("[data-waitlist-offer]");
	await step(page, t, "5-offer");
	await page.click("text=Book this place");
	await page.waitForSelector("[data-waitlist-booked] .bk-reference");
	const reference = await page.getAttribute(".bk-reference", "data-reference");
	await step(page, t, "6-booked");
	await waitFor(() => mails(server).find((m) => m.to.includes(address) && m.text.includes(reference)), 15000, "the confirmation email");
	// The page again: booked.
	await page.goto(base + link[1]);
	await page.waitForSelector('[data-waitlist-status="booked"]');
});
