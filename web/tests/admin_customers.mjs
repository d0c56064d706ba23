// admin_customers.mjs - the dashboard's customers and a booking's detail, at desktop and
// phone sizes: search a customer, open the profile, edit the phone while the booking keeps
// the one it was made with, download the CSV export and parse it; resend a confirmation and
// find the second email in the SMTP sink, reschedule from the detail; a staff login that
// cannot browse the customers it never served.
import { readFileSync } from "node:fs";
import { DESKTOP, PHONE, assert, mails, newPage, step, test, waitFor } from "./lib.mjs";
import { parseCsv, publicBooking, signIn } from "./staff.mjs";

let seq = 0;

const book = (base, customer, o) => publicBooking(base, { customer, ...o });

async function manage(base, b) {
	return (await fetch(base + "/api/v1/public/bookings/" + b.reference, { headers: { Authorization: "Bearer " + b.manage_token } })).json();
}

test("customers: search, the profile, a new phone while the booking keeps its own, the CSV export", async ({ base, server, browser }, t) => {
	for (const vp of [DESKTOP, PHONE]) {
		const n = ++seq;
		const cust = { name: "Cara Custer " + n, email: "cara" + n + "@example.com", phone: "+44 7700 90000" + n };
		const b = await book(base, cust, { days: 2 + n });
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, "owner@demo.test", server.owner_password, "/admin/customers");
		await page.waitForSelector(".ad-customers, .ad-main p");
		await step(page, t, n + "-1-list");
		await page.fill('form[role="search"] input[name="q"]', "custer " + n);
		await page.click('form[role="search"] button[type="submit"]');
		const row = page.locator(".ad-customers tbody tr");
		await waitFor(async () => (await row.count()) === 1 && (await row.innerText()).includes(cust.email), 5000, "one customer found");
		await step(page, t, n + "-2-found");
		await page.click(".ad-customers button.ad-link");
		await page.waitForSelector(".ad-stats");
		assert((await page.locator("h1").innerText()) === cust.name, "the profile's name");
		const stats = await page.locator(".ad-stats").innerText();
		assert(/Bookings\s*1/.test(stats) && /Visits\s*0/.test(stats), "figures: " + stats);
		assert((await page.locator(".ad-history-table").innerText()).includes(b.reference), "the booking in the history");
		await step(page, t, n + "-3-profile");
		// A new phone: the profile changes, the booking keeps the one it was made with.
		const phone = "+44 7700 99999" + n;
		await page.fill('.ad-contact input[name="phone"]', phone);
		await page.fill('.ad-contact textarea[name="notes"]', "Prefers the window seat\nno perfume");
		await page.click('.ad-contact button[type="submit"]');
		await page.waitForSelector(".bk-notice-ok");
		assert((await page.inputValue('.ad-contact input[name="phone"]')) === phone, "the new phone shown");
		const hist = await page.locator(".ad-history-table tbody tr").first().innerText();
		assert(hist.includes(cust.phone) && !hist.includes(phone) && hist.includes("differs"), "the booking keeps its phone: " + hist);
		await step(page, t, n + "-4-saved");
		const kept = await manage(base, b);
		assert(kept.customer.phone === cust.phone, "the booking's own phone is unchanged: " + kept.customer.phone);
		// A bad email is refused with the field named, nothing saved.
		await page.fill('.ad-contact input[name="email"]', "not an address");
		await page.click('.ad-contact button[type="submit"]');
		await page.waitForSelector(".ad-field-error");
		assert((await page.getAttribute('.ad-contact input[name="email"]', "aria-invalid")) === "true", "the email field is marked");
		await step(page, t, n + "-5-refused");
		// The booking opens from the history.
		await page.click(".ad-history-table button.ad-link");
		await page.waitForSelector("dialog.ad-dialog[open] .ad-dl");
		await step(page, t, n + "-6-detail");
		await page.click('dialog.ad-dialog button:has-text("Close")');
		await page.click("text=All customers");
		await page.waitForSelector('form[role="search"]');
		if (vp !== DESKTOP) continue;
		// The CSV export of what the search found, downloaded and parsed.
		await page.fill('form[role="search"] input[name="q"]', "custer " + n);
		await page.click('form[role="search"] button[type="submit"]');
		await waitFor(async () => (await row.count()) === 1, 5000, "the search again");
		const [dl] = await Promise.all([page.waitForEvent("download"), page.click("text=Export CSV")]);
		assert(dl.suggestedFilename() === "customers.csv", "file name " + dl.suggestedFilename());
		const csv = readFileSync(await dl.path(), "utf8");
		assert(csv.endsWith("\r\n"), "the file ends with CRLF");
		const rows = parseCsv(csv);
		assert(rows[0].join(",") === "name,email,phone,notes,bookings,visits,no_shows,cancellations,spend_minor,currency,last_booking,created_at", "header: " + rows[0]);
		assert(rows.length === 2, "one customer: " + rows.length);
		const r = Object.fromEntries(rows[0].map((h, i) => [h, rows[1][i]]));
		assert(r.name === cust.name && r.email === cust.email, "the customer: " + JSON.stringify(r));
		assert(r.phone === "'" + phone, "the profile's phone, guarded against formulas: " + r.phone);
		assert(r.notes === "Prefers the window seat\nno perfume", "notes with their line break: " + JSON.stringify(r.notes));
		assert(r.bookings === "1" && r.visits === "0" && r.currency === "GBP", "figures: " + JSON.stringify(r));
		assert(Date.parse(r.last_booking) === Date.parse(b.start), "the last booking's start: " + r.last_booking);
	}
});

test("booking detail: resend the confirmation (a second email in the sink), messages with delivery, reschedule", async ({ base, server, browser }, t) => {
	for (const vp of [DESKTOP, PHONE]) {
		const n = ++seq;
		const cust = { name: "Rita Resend " + n, email: "rita" + n + "@example.com" };
		const b = await book(base, cust, { days: 3 + n });
		const first = await waitFor(() => mails(server).filter((m) => m.to.includes(cust.email)).length === 1 && mails(server).find((m) => m.to.includes(cust.email)), 8000, "the first confirmation");
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, "owner@demo.test", server.owner_password, "/admin/bookings?open=" + b.reference);
		await page.waitForSelector("dialog.ad-dialog[open] .ad-dl");
		await page.waitForSelector("dialog .ad-messages");
		const msgs = await page.locator("dialog .ad-messages").innerText();
		assert(msgs.includes("Confirmation") && msgs.includes(cust.email), "the confirmation listed: " + msgs);
		const terms = await page.locator("dialog .ad-cancel").innerText();
		assert(/refunds .* in full/.test(terms), "the cancel terms shown: " + terms);
		await step(page, t, n + "-1-detail");
		await page.click('dialog button:has-text("Resend confirmation")');
		await page.waitForSelector("dialog .bk-notice-ok");
		const got = await waitFor(() => { const m = mails(server).filter((x) => x.to.includes(cust.email)); return m.length === 2 && m; }, 8000, "a second email in the sink");
		assert(got[1].subject === first.subject && got[1].text.includes(b.reference), "the same confirmation again: " + got[1].subject);
		await page.waitForFunction(() => (document.querySelector("dialog .ad-history")?.textContent || "").includes("resend"));
		await step(page, t, n + "-2-resent");
		// At once again: refused with when to try.
		await page.click('dialog button:has-text("Resend confirmation")');
		await page.waitForSelector("dialog .bk-notice-error");
		assert(/Try again in \d+ s/.test(await page.locator("dialog .bk-notice-error").innerText()), "the wait is said");
		await step(page, t, n + "-3-limited");
		if (vp !== DESKTOP) continue;
		// Reschedule from the detail to a time the engine offers the same provider.
		const date = b.start.slice(0, 10);
		const av = await (await fetch(base + "/api/v1/public/demo/availability?service=haircut&tz=Europe/London&provider=" + b.provider + "&from=" + date + "&to=" + date)).json();
		const free = av.days[0].slots.find((s) => Date.parse(s.start) > Date.parse(b.start) + 3600000);
		assert(free, "a later free time");
		await page.fill('dialog input[name="move_to"]', free.start.slice(0, 16));
		await page.click('dialog button:has-text("Reschedule")');
		await waitFor(async () => /Moved to/.test(await page.locator("dialog .bk-notice-ok").innerText().catch(() => "")), 5000, "moved");
		const after = await manage(base, b);
		assert(Date.parse(after.start) === Date.parse(free.start), "moved to " + free.start + ": " + after.start);
		await step(page, t, n + "-4-moved");
		// The customer's name leads to their profile, which lists the booking.
		await page.click('dialog .ad-dl a[href^="/admin/customers?customer="]');
		await page.waitForSelector(".ad-stats");
		assert((await page.locator("h1").innerText()) === cust.name, "the customer's profile");
		assert((await page.locator(".ad-history-table").innerText()).includes(b.reference), "with the booking");
	}
});

test("customers: a staff login browses only the customers it served", async ({ base, server, browser }, t) => {
	const login = await fetch(base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ business: "demo", email: "owner@demo.test", password: server.owner_password }) });
	const cookie = login.headers.get("set-cookie").split(";")[0];
	const { csrf_token } = await login.json();
	const H = { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf_token };
	const u = await fetch(base + "/api/v1/businesses/demo/users", { method: "POST", headers: H, body: JSON.stringify({ email: "cora@demo.test", name: "Cora", role: "staff", password: "cora's password" }) });
	assert(u.status === 201, "user made: " + u.status);
	const user = await u.json();
	const provs = (await (await fetch(base + "/api/v1/businesses/demo/providers", { headers: H })).json()).providers;
	const alice = provs.find((p) => /Alice/.test(p.name));
	const chloe = provs.find((p) => /Chlo/.test(p.name));
	const l = await fetch(base + "/api/v1/businesses/demo/providers/" + alice.id, { method: "PATCH", headers: H, body: JSON.stringify({ user_id: user.id }) });
	assert(l.status === 200, "linked: " + l.status);
	await book(base, { name: "Served Sue", email: "sue@example.com" }, { days: 2, provider: alice.id });
	await book(base, { name: "Unserved Uma", email: "uma@example.com", phone: "+44 7700 123456" }, { days: 2, provider: chloe.id });
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signIn(page, base, "cora@demo.test", "cora's password", "/admin/customers");
		await page.waitForSelector(".ad-customers");
		const list = await page.locator(".ad-customers").innerText();
		assert(list.includes("Served Sue") && !list.includes("Unserved Uma"), "only customers she served: " + list.slice(0, 300));
		assert(!(await page.locator("text=Export CSV").count()), "no export for the staff role");
		assert((await page.locator(".ad-main").innerText()).includes("exact email or phone"), "the page says how to find others");
		await step(page, t, "staff-1-list-" + vp.width);
		await page.fill('form[role="search"] input[name="q"]', "Uma");
		await page.click('form[role="search"] button[type="submit"]');
		await page.waitForSelector("text=No customer matches");
		// The exact email finds her (to book her), but her profile stays closed.
		await page.fill('form[role="search"] input[name="q"]', "UMA@example.com");
		await page.click('form[role="search"] button[type="submit"]');
		await page.waitForSelector(".ad-customers >> text=Unserved Uma");
		await page.click('.ad-customers button:has-text("Unserved Uma")');
		await page.waitForSelector(".bk-notice-error");
		assert((await page.locator(".bk-notice-error").innerText()).includes("not available to you"), "no profile");
		await step(page, t, "staff-2-refused-" + vp.width);
	}
});
