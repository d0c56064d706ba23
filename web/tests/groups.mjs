// groups.mjs - group bookings in the browser: "how many people" and the participant list on
// the booking page (phone), the confirmations and the organiser's summary in the SMTP sink,
// the organiser's page from the summary's link (add, remove, cancel the group); and on the
// dashboard (desktop and phone) the companies list and editor, a customer's company, a
// booking's group on its detail, and the rules of the class in the service and session
// editors.
import { CLOCK, DESKTOP, PHONE, assert, mails, newPage, showMonthOf, step, test, waitFor } from "./lib.mjs";
import { emptySessions } from "./sessions.mjs";
import { signInOwner } from "./staff.mjs";

const civil = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The owner's session on the staff API, any method (staff.mjs's ownerApi has no PUT). */
async function owner(server) {
	const login = await fetch(server.base + "/api/v1/auth/login", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ business: "demo", email: "owner@demo.test", password: server.owner_password }),
	});
	assert(login.status === 200, "owner login");
	const cookie = login.headers.get("set-cookie").split(";")[0];
	const { csrf_token } = await login.json();
	return async (method, path, body) => {
		const r = await fetch(server.base + "/api/v1/businesses/demo" + path, {
			method,
			headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf_token },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await r.text();
		return { status: r.status, json: text ? JSON.parse(text) : undefined };
	};
}


test("groups: book a group on the booking page, manage it from the summary's link", async ({ browser, base, server }, t) => {
	const staff = await owner(server);
	const rules = await staff("PUT", "/services/yoga/group-rules", { group_min: 2, group_max: 6 });
	assert(rules.status === 200, "groups enabled on yoga: " + JSON.stringify(rules.json));
	const sessions = await emptySessions(base);
	const session = sessions[Math.max(0, sessions.length - 3)]; // not the last: the waiting list test fills it
	assert(session, "an empty yoga session");
	const stamp = Date.now();
	const page = await newPage(browser, t, { viewport: PHONE });
	await page.goto(base + "/book/demo/yoga");
	await page.waitForSelector("#bk-group-size");
	await page.selectOption("#bk-group-size", "3");
	const date = civil(Date.parse(session.start));
	await showMonthOf(page, date);
	await page.click('.bk-day[data-date="' + date + '"]');
	await page.waitForSelector(".bk-slot");
	await step(page, t, "1-how-many");
	await page.locator(".bk-slot").first().click();
	await page.waitForSelector(".bk-group [data-participants]");
	const org = "org." + stamp + "@example.com";
	await page.fill("#bk-org-name", "Olga Organiser");
	await page.fill("#bk-org-email", org);
	await page.fill("#bk-company", "Initech " + stamp);
	for (let i = 0; i < 3; i++) {
		await page.fill("#bk-p" + i + "-name", "Pat " + i);
		await page.fill("#bk-p" + i + "-email", "pat" + i + "." + stamp + "@example.com");
	}
	await step(page, t, "2-participants");
	await page.click(".bk-group button[type=submit]");
	await page.waitForSelector(".bk-group-done [data-group-reference]");
	const reference = await page.textContent("[data-group-reference]");
	await step(page, t, "3-booked");
	for (let i = 0; i < 3; i++) {
		const to = "pat" + i + "." + stamp + "@example.com";
		await waitFor(() => mails(server).find((m) => m.to.includes(to) && /Booked/.test(m.subject)), 15000, "the confirmation of participant " + i);
	}
	const summary = await waitFor(() => mails(server).find((m) => m.to.includes(org) && m.subject.includes(reference)), 15000, "the organiser's summary");
	const link = summary.text.match(/https?:\/\/[^\s/]+(\/g\/[A-Za-z0-9_]+\?t=[A-Za-z0-9_-]+)/);
	assert(link, "the summary links to the group's page: " + summary.text);

	// The organiser's page: add a fourth, remove the first, then cancel the whole group.
	await page.goto(base + link[1]);
	await page.waitForSelector('[data-group-status="active"]');
	await step(page, t, "4-organiser");
	const added = "pat-new." + stamp + "@example.com";
	await page.fill("#bk-add-name", "Pat New");
	await page.fill("#bk-add-email", added);
	await page.click(".bk-group-add button[type=submit]");
	await page.waitForSelector('[data-person="' + added + '"][data-status="confirmed"]');
	await waitFor(() => mails(server).find((m) => m.to.includes(added) && /Booked/.test(m.subject)), 15000, "the new participant's confirmation");
	const first = "pat0." + stamp + "@example.com";
	await page.click('[data-person="' + first + '"] button');
	await page.waitForSelector('[data-person="' + first + '"][data-status="cancelled"]');
	await step(page, t, "5-changed");
	await page.click("text=Cancel the whole group");
	await page.click("[data-confirm-cancel]");
	await page.waitForSelector('[data-group-status="cancelled"]');
	await step(page, t, "6-cancelled");
	await waitFor(() => mails(server).find((m) => m.to.includes(added) && /Cancelled/.test(m.subject)), 15000, "the cancellation email");
});

test("groups: the dashboard's companies, a customer's company, a booking's group and the class rules", async ({ browser, base, server }, t) => {
	const staff = await owner(server);
	assert((await staff("PUT", "/services/yoga/group-rules", { group_min: 2, group_max: 6, min_attendance: 3, decide_before_s: 7200 })).status === 200, "rules set");
	const sessions = await emptySessions(base);
	const session = sessions[Math.max(0, sessions.length - 4)];
	const stamp = Date.now();
	const g = await fetch(base + "/api/v1/public/demo/groups", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ service: "yoga", start: session.start, company: "Umbrella " + stamp, organiser: { name: "Una Org", email: "una." + stamp + "@example.com" }, participants: [{ name: "Ann A", email: "ann." + stamp + "@example.com" }, { name: "Bob B", email: "bob." + stamp + "@example.com" }] }),
	});
	assert(g.status === 201, "a group booked: " + g.status);
	const group = await g.json();
	for (const [viewport, tag] of [[DESKTOP, "desktop"], [PHONE, "phone"]]) {
		const page = await newPage(browser, t, { viewport });
		await signInOwner(page, base, server.owner_password, "/admin/companies");
		await page.waitForSelector('[data-company="Umbrella ' + stamp + '"]');
		await step(page, t, tag + "-1-companies");
		if (tag === "desktop") {
			await page.click("text=New company");
			await page.fill('.ad-company-form input[name="name"]', "Hooli " + stamp);
			await page.fill('.ad-company-form input[name="billing_email"]', "ap@hooli.example");
			await page.fill('.ad-company-form textarea[name="notes"]', "Invoice monthly");
			await step(page, t, tag + "-2-company-editor");
			await page.click('.ad-company-form button[type="submit"]');
			await page.waitForSelector('[data-company="Hooli ' + stamp + '"]');
		}
		// The organiser's profile names the company; move them to Hooli (desktop).
		const org = await staff("GET", "/customers?q=una." + stamp + "@example.com");
		await page.goto(base + "/admin/customers?customer=" + encodeURIComponent(org.json.customers[0].id));
		await page.waitForSelector("[data-company-name]");
		await waitFor(async () => /Umbrella|Hooli/.test(await page.textContent("[data-company-name]")), 5000, "the company on the profile");
		if (tag === "desktop") {
			const hooli = (await staff("GET", "/companies")).json.companies.find((k) => k.name === "Hooli " + stamp);
			await page.selectOption('.ad-customer-company select[name="company"]', hooli.id);
			await page.click('.ad-customer-company button[type="submit"]');
			await waitFor(async () => (await page.textContent("[data-company-name]")).includes("Hooli"), 5000, "the company changed");
		}
		await step(page, t, tag + "-3-customer");
		// A participant's booking: its group on the detail; add a third participant (desktop).
		await page.goto(base + "/admin/bookings?open=" + group.participants[0].reference);
		await page.waitForSelector(".ad-group [data-people]");
		if (tag === "desktop") {
			await page.fill('input[name="group_add_name"]', "Cy C");
			await page.fill('input[name="group_add_email"]', "cy." + stamp + "@example.com");
			await page.click(".ad-group form button[type=submit]");
			await page.waitForSelector('.ad-group [data-person="cy.' + stamp + '@example.com"]');
		}
		await step(page, t, tag + "-4-booking-group");
		// The class's rules in the service editor, and a session's own minimum.
		await page.goto(base + "/admin/services");
		await page.click('[data-service="yoga"] button');
		await page.waitForSelector(".ad-group-rules");
		assert((await page.inputValue('.ad-group-rules input[name="min_attendance"]')) === "3", "the minimum shown");
		await page.locator(".ad-group-rules").scrollIntoViewIfNeeded();
		await step(page, t, tag + "-5-service-rules");
		await page.goto(base + "/admin/sessions");
		await page.waitForSelector('.ad-inline-form input[name="min_' + session.id + '"]');
		if (tag === "desktop") {
			await page.fill('input[name="min_' + session.id + '"]', "2");
			await page.locator('input[name="min_' + session.id + '"]').press("Enter");
			await waitFor(async () => (await staff("GET", "/sessions/" + session.id + "/rules")).json.own_minimum === true, 5000, "the session's own minimum saved");
		}
		await step(page, t, tag + "-6-session-minimum");
		await page.close();
	}
	assert((await staff("GET", "/sessions/" + session.id + "/rules")).json.min_attendance === 2, "the session's minimum is 2");
	// The demo's class as it was: no groups, no minimum (the tests after this one book it alone).
	assert((await staff("PUT", "/services/yoga/group-rules", { group_max: 0, group_min: 2, min_attendance: 0, decide_before_s: 0 })).status === 200, "rules back");
});

test("groups: join a class session under way from the booking page", async ({ browser, base, server }, t) => {
	const staff = await owner(server);
	// A yoga session that began ten minutes ago, and the class open to late joiners for half an hour.
	const start = new Date(Date.parse(CLOCK) - 10 * 60000).toISOString().replace(/\.\d+Z$/, "Z");
	const made = await staff("POST", "/sessions", { service: "yoga", start, capacity: 4 });
	assert(made.status === 201, "a session under way: " + made.status + " " + JSON.stringify(made.json));
	assert((await staff("PUT", "/services/yoga/group-rules", { late_join_s: 1800 })).status === 200, "late joining on");
	try {
		const page = await newPage(browser, t, { viewport: PHONE });
		await page.goto(base + "/book/demo/yoga");
		await page.waitForSelector('[data-under-way="' + made.json.id + '"]');
		await step(page, t, "1-under-way");
		await page.click('[data-under-way="' + made.json.id + '"] button');
		const address = "late." + Date.now() + "@example.com";
		await page.fill("#bk-late-name", "Lou Late");
		await page.fill("#bk-late-email", address);
		await page.click(".bk-late button[type=submit]");
		await page.waitForSelector("[data-late-joined]");
		await step(page, t, "2-joined");
		await waitFor(() => mails(server).find((m) => m.to.includes(address) && /Joined late/.test(m.subject)), 15000, "the late join notice");
	} finally {
		await staff("PUT", "/services/yoga/group-rules", { late_join_s: 0 });
	}
});
