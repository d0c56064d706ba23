// pricing.mjs - dynamic pricing in the browser: the owner writes a rule (daytime +20%) and an
// add-on (a hot towel, £5, 30 minutes) in the service editor and a rental's hourly and daily
// rates; a customer sees each time's price, then before booking the quote line by line,
// chooses the add-on and books at exactly the total shown; the rental span states the
// server's total; staff find the frozen breakdown on the booking. The rules are removed at
// the end so the other suites keep the demo's list prices.
import { DESKTOP, PHONE, assert, newPage, openFreeDay, step, test, waitFor } from "./lib.mjs";
import { ownerApi, signInOwner } from "./staff.mjs";

const firstSlot = (page) => openFreeDay(page, 2);

test("pricing: rules in the service editor, slot prices, the quote with an add-on before booking, the frozen breakdown (phone and desktop)", async ({ base, server, browser }, t) => {
	const api = await ownerApi(base, server.owner_password);
	t.cleanup.push(async () => {
		await api.put("/services/colour/pricing", {});
		await api.put("/services/bike/pricing", {});
	});
	// The owner: daytime costs 20% more, and a hot towel can be added.
	const admin = await newPage(browser, t, { viewport: DESKTOP });
	await signInOwner(admin, base, server.owner_password, "/admin/services", ".ad-subnav");
	await admin.click('.ad-services tr[data-service="colour"] button');
	await admin.waitForSelector("form.ad-pricing");
	const form = admin.locator("form.ad-pricing");
	await form.locator("button", { hasText: "Add a rule" }).click();
	await form.locator('input[name="rule_name"]').fill("Daytime");
	await form.locator('input[name="rule_value"]').fill("20");
	await form.locator('input[name="rule_time_from"]').fill("06:00");
	await form.locator('input[name="rule_time_to"]').fill("22:00");
	await form.locator("button", { hasText: "Add an add-on" }).click();
	await form.locator('input[name="addon_id"]').fill("towel");
	await form.locator('input[name="addon_name"]').fill("Hot towel");
	await form.locator('input[name="addon_price"]').fill("5");
	await form.locator('input[name="addon_minutes"]').fill("30");
	await form.locator('button[type="submit"]').click();
	await admin.waitForSelector("text=Pricing rules saved.");
	await form.scrollIntoViewIfNeeded();
	await step(admin, t, "1-pricing-rules-desktop");
	const saved = await api.get("/services/colour/pricing");
	assert(saved.rules[0].multiplier_bp === 12000 && saved.rules[0].time.from === "06:00" && saved.rules[0].time.to === "22:00", "the rule: " + JSON.stringify(saved));
	assert(saved.addons[0].price_minor === 500 && saved.addons[0].duration_s === 1800, "the add-on: " + JSON.stringify(saved));
	// A refusal shows at its field.
	await form.locator('input[name="rule_name"]').fill("");
	await form.locator('input[name="rule_name"]').evaluate((e) => e.removeAttribute("required"));
	await form.locator('button[type="submit"]').click();
	await admin.waitForSelector("form.ad-pricing .ad-field-error");
	await form.locator('input[name="rule_name"]').fill("Daytime");
	const phoneAdmin = await newPage(browser, t, { viewport: PHONE });
	await signInOwner(phoneAdmin, base, server.owner_password, "/admin/services", ".ad-subnav");
	await phoneAdmin.click('.ad-services tr[data-service="colour"] button');
	await phoneAdmin.waitForSelector('form.ad-pricing input[name="rule_name"]');
	await phoneAdmin.locator("form.ad-pricing").scrollIntoViewIfNeeded();
	await step(phoneAdmin, t, "2-pricing-rules-phone");

	let reference;
	for (const [size, vp] of [["phone", PHONE], ["desktop", DESKTOP]]) {
		const page = await newPage(browser, t, { viewport: vp });
		await page.goto(base + "/book/demo/colour");
		await page.click('[data-provider=""]');
		await firstSlot(page);
		const prices = await page.locator(".bk-slot .bk-slot-price").allTextContents();
		assert(prices.length > 0 && prices.some((p) => p.includes("114.00")), "each time says its price: " + (await page.locator(".bk-slot").allTextContents()).join(" / "));
		await step(page, t, "3-slot-prices-" + size);
		await page.locator(".bk-slot", { hasText: "114.00" }).first().click();
		await page.waitForSelector(".price-lines");
		assert((await page.textContent(".price-lines")).includes("Daytime (+20%)"), "the rule is a line: " + (await page.textContent(".price-lines")));
		assert((await page.getAttribute(".price-lines [data-total]", "data-total")) === "11400", "the total before the add-on");
		await page.check('input[name="addon_towel"]');
		await waitFor(async () => (await page.getAttribute(".price-lines [data-total]", "data-total")) === "11900", 10000, "the total with the towel");
		assert((await page.textContent(".price-lines")).includes("Hot towel"), "the add-on is a line");
		await step(page, t, "4-quote-with-addon-" + size);
		await page.fill("#bk-name", "Pia Price");
		await page.fill("#bk-email", "pia." + size + "@example.com");
		await page.click("button[type=submit]");
		await page.waitForSelector(".bk-reference");
		assert((await page.textContent("main")).includes("119.00"), "booked at the total shown");
		reference = await page.getAttribute(".bk-reference", "data-reference");
		await step(page, t, "5-booked-" + size);
	}

	// Staff see how the price was made, frozen on the booking.
	await admin.goto(base + "/admin/bookings?open=" + encodeURIComponent(reference));
	await admin.waitForSelector(".price-lines");
	const lines = await admin.textContent(".price-lines");
	assert(lines.includes("Daytime") && lines.includes("Hot towel") && lines.includes("119.00"), "the breakdown: " + lines);
	await step(admin, t, "6-booking-breakdown");

	// A location-based rate: the booking page's ?location= is priced and booked with.
	const withPlace = { ...saved, rules: [...saved.rules, { name: "Harbour", location: "harbour", adjust_minor: 1000 }] };
	assert((await api.put("/services/colour/pricing", withPlace)).status === 200, "a location rule");
	const placed = await newPage(browser, t, { viewport: PHONE });
	await placed.goto(base + "/book/demo/colour?location=harbour");
	await placed.click('[data-provider=""]');
	await firstSlot(placed);
	await placed.locator(".bk-slot").first().click();
	await placed.waitForSelector(".price-lines");
	assert((await placed.textContent(".price-lines")).includes("Harbour"), "the location's line: " + (await placed.textContent(".price-lines")));
	assert((await placed.getAttribute(".price-lines [data-total]", "data-total")) === "12400", "95 + 20% + 10");
	await placed.fill("#bk-name", "Lou Place");
	await placed.fill("#bk-email", "lou@example.com");
	await placed.click("button[type=submit]");
	await placed.waitForSelector(".bk-reference");
	assert((await placed.textContent("main")).includes("124.00"), "booked at the location's price");

	// A rental's rates: £6 an hour, £30 a day; the span states the server's total.
	await admin.goto(base + "/admin/services");
	await admin.click('.ad-services tr[data-service="bike"] button');
	await admin.waitForSelector('form.ad-pricing input[name="rate_hour"]');
	await admin.fill('form.ad-pricing input[name="rate_hour"]', "6");
	await admin.fill('form.ad-pricing input[name="rate_day"]', "30");
	await admin.click('form.ad-pricing button[type="submit"]');
	await admin.waitForSelector("text=Pricing rules saved.");
	const page = await newPage(browser, t, { viewport: PHONE });
	await page.goto(base + "/book/demo/bike");
	await firstSlot(page);
	await page.locator(".bk-slot").first().click();
	await page.waitForSelector("#bk-rental-end");
	await page.selectOption("#bk-rental-end", { index: 2 });
	await page.waitForSelector(".bk-rental-price[data-quoted]");
	await waitFor(async () => (await page.textContent(".bk-rental-price")).includes("18.00"), 10000, "three hours at £6 an hour");
	await step(page, t, "7-rental-span-quoted");
	await page.click("text=Continue");
	await page.waitForSelector(".price-lines");
	assert((await page.getAttribute(".price-lines [data-total]", "data-total")) === "1800", "the same total before booking");
	await page.fill("#bk-name", "Rita Rider");
	await page.fill("#bk-email", "rita@example.com");
	await page.click("button[type=submit]");
	await page.waitForSelector(".bk-reference");
	assert((await page.textContent("main")).includes("18.00"), "booked at the quoted total");
});
