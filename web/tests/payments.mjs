// payments.mjs - a service that asks for a deposit: the owner sets it in the service editor,
// a customer books, sees what is due now and why, goes to the provider's page (the loopback
// stand-in, tests/tools/paystand.py), comes back to a page that reads the booking's real
// state until the signed webhook has confirmed it; staff then see the payment in the booking's
// detail, record a cash payment, and find both on the customer's profile.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DESKTOP, PHONE, assert, newPage, openFreeDay, startServer, step, test, waitFor } from "./lib.mjs";

async function signIn(page, base, password, path) {
	await page.goto(base + path);
	await page.waitForSelector("form.ad-login");
	await page.fill('input[name="business"]', "demo");
	await page.fill('input[name="email"]', "owner@demo.test");
	await page.fill('input[name="password"]', password);
	await page.click('form.ad-login button[type="submit"]');
	await page.waitForSelector(".ad-nav");
}

const firstSlot = (page) => openFreeDay(page, 3);

test("payments: deposit set by the owner, paid through the provider, confirmed by its webhook (phone and desktop)", async ({ browser }, t) => {
	const server = await startServer(mkdtempSync(join(tmpdir(), "bookd-web-pay-")), ["--paystand"]);
	t.cleanup.push(() => server.stop());
	assert(server.paystand, "the stand-in runs");
	const base = server.base;

	// The owner asks a 25% deposit for massages, in the service editor.
	const admin = await newPage(browser, t, { viewport: DESKTOP });
	await signIn(admin, base, server.owner_password, "/admin/services");
	await admin.click('.ad-services tr[data-service="massage"] button');
	await admin.waitForSelector("form.ad-pay-settings");
	await admin.check('form.ad-pay-settings input[name="pay_mode"][value="deposit"]');
	await admin.fill('form.ad-pay-settings input[name="deposit_percent"]', "25");
	await admin.fill('form.ad-pay-settings input[name="no_show_fee"]', "10");
	await admin.click('form.ad-pay-settings button[type="submit"]');
	await admin.waitForSelector("text=Payment settings saved.");
	await admin.locator("form.ad-pay-settings").scrollIntoViewIfNeeded();
	await step(admin, t, "1-service-payment-settings");
	const cfg = await (await admin.request.get(base + "/api/v1/businesses/demo/services/massage/payment")).json();
	assert(cfg.mode === "deposit" && cfg.deposit_percent === 25 && cfg.no_show_fee_minor === 1000, "saved: " + JSON.stringify(cfg));

	for (const [size, vp] of [["phone", PHONE], ["desktop", DESKTOP]]) {
		const page = await newPage(browser, t, { viewport: vp });
		await page.goto(base + "/book/demo/massage");
		await page.click('[data-provider=""]');
		await firstSlot(page);
		await page.locator(".bk-slot").first().click();
		await page.waitForSelector("#bk-name");
		await page.fill("#bk-name", "Pat Payer");
		await page.fill("#bk-email", "pat." + size + "@example.com");
		await page.fill("#bk-phone", "+44 7700 900124");
		await page.click("button[type=submit]");
		await page.waitForSelector('[data-payment-state="awaiting"]');
		assert((await page.textContent("[data-pay-due]")).includes("£15.00"), "the deposit due: " + (await page.textContent("[data-pay-due]")));
		assert((await page.textContent(".bk-pay")).includes("£45.00"), "the rest is explained");
		assert((await page.getAttribute("[data-status]", "data-status")) === "awaiting_payment", "not called confirmed before it is paid");
		await step(page, t, "2-payment-due-" + size);
		const reference = await page.getAttribute(".bk-reference", "data-reference");
		await page.click('[data-pay-method="stripe"]');
		await page.waitForURL(server.paystand + "/pay/stripe/**");
		assert((await page.textContent("#amount")).trim() === "1500", "the provider is asked for the deposit in pence");
		await page.click("#pay"); // the stand-in sends the signed webhook, then sends the customer back
		await page.waitForURL(/\/b\/[A-Z0-9-]+\?t=.*paid=1/);
		await waitFor(async () => (await page.locator('[data-status="confirmed"]').count()) > 0, 15000, "the page to show the booking confirmed");
		await page.waitForSelector('[data-payment-state="paid"]');
		assert((await page.textContent("[data-pay-done]")).includes("£15.00"), "the page says what was paid");
		await step(page, t, "3-returned-confirmed-" + size);

		// Staff: the booking's detail shows the deposit; a cash payment of the rest is recorded.
		await admin.goto(base + "/admin/bookings?open=" + encodeURIComponent(reference));
		await admin.waitForSelector('.ad-payments[data-payment-state="paid"]');
		assert((await admin.textContent("[data-pay-paid]")).includes("£15.00"), "the detail shows the deposit paid");
		await admin.selectOption('.ad-record-payment select[name="method"]', "cash");
		await admin.fill('.ad-record-payment input[name="amount"]', "45");
		await admin.click('.ad-record-payment button[type="submit"]');
		await admin.waitForSelector("text=Payment of £45.00 recorded.");
		assert((await admin.textContent("[data-pay-paid]")).includes("£60.00"), "paid in all");
		await step(admin, t, "4-booking-payments-after-" + size + "-booking");
		await admin.click('dialog button:has-text("Close")');
	}
	// The analytics page: the money received by method, and the reconciliation CSV.
	await admin.goto(base + "/admin/analytics");
	await admin.waitForSelector("[data-revenue-received]");
	assert((await admin.textContent("[data-revenue-received]")).includes("£120.00"), "two deposits and two cash payments received: " + (await admin.textContent("[data-revenue-received]")));
	const href = await admin.getAttribute("[data-reconciliation]", "href");
	const csv = await (await admin.request.get(base + href)).text();
	assert(csv.split("\r\n").filter((l) => /,stripe,succeeded,1500,15\.00,GBP,cs_test_/.test(l)).length === 2, "the CSV lists both Stripe deposits with their sessions");
	await admin.locator(".ad-revenue").scrollIntoViewIfNeeded();
	await step(admin, t, "5-revenue");
	// The customer's profile lists both payments of the last customer.
	const customers = await (await admin.request.get(base + "/api/v1/businesses/demo/customers?q=pat.desktop")).json();
	const id = (customers.customers || customers.items || [])[0]?.id;
	assert(id, "the customer exists: " + JSON.stringify(customers).slice(0, 200));
	await admin.goto(base + "/admin/customers?customer=" + encodeURIComponent(id));
	await admin.waitForSelector("[data-customer-paid]");
	assert((await admin.textContent("[data-customer-paid]")).includes("£60.00"), "the profile totals the payments");
	await step(admin, t, "6-customer-payments");
	const phone = await newPage(browser, t, { viewport: PHONE });
	await signIn(phone, base, server.owner_password, "/admin/customers?customer=" + encodeURIComponent(id));
	await phone.waitForSelector("[data-customer-paid]");
	await step(phone, t, "6-customer-payments-phone");
});
