// loyalty.mjs - the loyalty programme in the dashboard, at desktop and phone sizes: the
// owner sets it up (a refused tier shows its field's error), a customer's cash payment earns
// points and reaches a tier, the tier's discount lowers their next booking's price, and the
// customer's page shows points, tier and history, where staff adjust points with a reason.
import { DESKTOP, PHONE, assert, newPage, step, test, waitFor } from "./lib.mjs";
import { ownerApi, publicBooking, signIn } from "./staff.mjs";

let seq = 0;

async function setProgramme(page, t, n) {
	await page.waitForSelector(".ad-loyalty form");
	if (!(await page.isChecked("[data-loyalty-enabled]"))) await page.check("[data-loyalty-enabled]");
	await page.fill("[data-loyalty-rate]", "2");
	await page.selectOption("[data-loyalty-basis]", "value");
	while ((await page.locator("[data-loyalty-tier-row]").count()) > 0) await page.locator("[data-loyalty-tier-row] button").first().click();
	for (const [name, from] of [["Silver", "30"], ["Gold", "30"]]) {
		await page.click("[data-loyalty-add-tier]");
		const row = page.locator("[data-loyalty-tier-row]").last();
		await row.locator("[data-tier-name]").fill(name);
		await row.locator("[data-tier-threshold]").fill(from);
		await row.locator("[data-tier-multiplier]").fill("1.5");
		await row.locator("[data-tier-discount]").fill("10");
	}
	// Gold's threshold is not above Silver's: refused at that field, nothing saved.
	await page.click("[data-loyalty-save]");
	await page.waitForSelector(".ad-loyalty .ad-field-error");
	assert((await page.getAttribute('[data-loyalty-tier-row="1"] [data-tier-threshold]', "aria-invalid")) === "true", "Gold's threshold is marked");
	await step(page, t, n + "-1-refused");
	await page.locator('[data-loyalty-tier-row="1"] button').click();
	await page.click("[data-loyalty-save]");
	await page.waitForSelector(".ad-loyalty .bk-notice-ok");
	await step(page, t, n + "-2-saved");
}

test("loyalty: the programme set up, points from a payment, the tier's discount, the customer's page and an adjustment", async ({ base, server, browser }, t) => {
	const api = await ownerApi(base, server.owner_password);
	try {
		for (const vp of [DESKTOP, PHONE]) {
			const n = ++seq;
			const page = await newPage(browser, t, { viewport: vp });
			await signIn(page, base, "owner@demo.test", server.owner_password, "/admin/loyalty");
			await setProgramme(page, t, n);
			const saved = await api.get("/loyalty");
			assert(saved.enabled && saved.tiers.length === 1 && saved.tiers[0].threshold === 3000 && saved.tiers[0].multiplier_bp === 15000 && saved.tiers[0].discount_bp === 1000, "the programme saved: " + JSON.stringify(saved));
			// 35.00 GBP in cash: 70 points, Silver reached.
			const cust = { name: "Loyal Lou " + n, email: "lou" + n + "@example.com" };
			const b1 = await publicBooking(base, { service: "haircut", customer: cust, days: 3 + n });
			assert(b1.price.amount_minor === 3500, "the list price first: " + b1.price.amount_minor);
			const r = await api.post("/bookings/" + b1.reference + "/payments", { method: "cash", amount_minor: 3500 });
			assert(r.status === 201, "cash recorded: " + r.status);
			// The next booking is 10% less.
			const b2 = await publicBooking(base, { service: "haircut", customer: cust, days: 10 + n });
			assert(b2.price.amount_minor === 3150, "Silver's discount: " + b2.price.amount_minor);
			// The customer's page.
			await page.goto(base + "/admin/customers");
			await page.fill('form[role="search"] input[name="q"]', cust.email);
			await page.click('form[role="search"] button[type="submit"]');
			const row = page.locator(".ad-customers tbody tr");
			await waitFor(async () => (await row.count()) === 1, 5000, "the customer found");
			await page.click(".ad-customers button.ad-link");
			await page.waitForSelector(".ad-customer-loyalty");
			assert((await page.locator("[data-loyalty-balance]").innerText()) === "70", "70 points shown");
			assert((await page.locator("[data-loyalty-tier]").innerText()) === "Silver", "Silver shown");
			assert((await page.locator('[data-loyalty-history] tr[data-loyalty-kind="earned"]').count()) === 1, "one earning in the history");
			await page.locator(".ad-customer-loyalty").scrollIntoViewIfNeeded();
			await step(page, t, n + "-3-customer");
			// An adjustment needs its reason; then it shows on top of the history.
			await page.fill("[data-loyalty-adjust-points]", "30");
			await page.click(".ad-loyalty-adjust button[type=submit]");
			await page.waitForSelector(".ad-loyalty-adjust .ad-field-error");
			assert((await page.getAttribute("[data-loyalty-adjust-reason]", "aria-invalid")) === "true", "the reason is marked");
			await page.fill("[data-loyalty-adjust-reason]", "welcome gift");
			await page.click(".ad-loyalty-adjust button[type=submit]");
			await waitFor(async () => (await page.locator("[data-loyalty-balance]").innerText()) === "100", 5000, "100 points");
			const top = await page.locator("[data-loyalty-history] tbody tr").first().innerText();
			assert(top.includes("welcome gift") && top.includes("+30"), "the adjustment on top: " + top);
			await step(page, t, n + "-4-adjusted");
		}
	} finally {
		// Other tests' customers pay list prices.
		await api.put("/loyalty", { enabled: false });
	}
});
