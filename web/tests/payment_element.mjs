// payment_element.mjs - paying inside the booking page with Stripe's Payment Element, at
// phone and desktop sizes: the page asks the server for the PaymentIntent, loads Stripe.js
// from the address the server names (here the stand-in's /v3/, so nothing comes from the
// network; the page's Content-Security-Policy must let it in), mounts the element, confirms,
// and comes back to the booking's page, which shows it confirmed only once the signed
// webhook has arrived.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DESKTOP, PHONE, assert, newPage, openFreeDay, startServer, step, test, waitFor } from "./lib.mjs";
import { ownerApi } from "./staff.mjs";

const firstSlot = (page) => openFreeDay(page, 3);

test("payment element: paid inside the booking page, confirmed by the webhook (phone and desktop)", async ({ browser }, t) => {
	const server = await startServer(mkdtempSync(join(tmpdir(), "bookd-web-element-")), ["--paystand", "--paystand-element"]);
	t.cleanup.push(() => server.stop());
	const base = server.base;
	const api = await ownerApi(base, server.owner_password);
	const r = await api.put("/services/massage/payment", { mode: "full" });
	assert(r.status === 200, "full prepayment set: " + r.status);
	const csp = (await fetch(base + "/book/demo")).headers.get("content-security-policy");
	assert(csp.includes("script-src 'self' " + server.paystand + ";"), "the CSP lets Stripe.js (the stand-in) in: " + csp);

	for (const [size, vp] of [["phone", PHONE], ["desktop", DESKTOP]]) {
		const page = await newPage(browser, t, { viewport: vp });
		await page.goto(base + "/book/demo/massage");
		await page.click('[data-provider=""]');
		await firstSlot(page);
		await page.locator(".bk-slot").first().click();
		await page.waitForSelector("#bk-name");
		await page.fill("#bk-name", "Ella Element");
		await page.fill("#bk-email", "ella." + size + "@example.com");
		await page.click("button[type=submit]");
		await page.waitForSelector('[data-payment-state="awaiting"]');
		await page.click('[data-pay-method="stripe_element"]');
		await page.waitForSelector("[data-standin-element=payment]");
		assert(!(await page.isHidden("[data-pay-element]")), "the element is shown in the page");
		await step(page, t, "1-element-" + size);
		await page.click("[data-pay-confirm]");
		await page.waitForURL(/\/b\/[A-Z0-9-]+\?t=.*paid=1.*payment_intent=pi_/);
		await waitFor(async () => (await page.locator('[data-status="confirmed"]').count()) > 0, 15000, "the page to show the booking confirmed");
		await page.waitForSelector('[data-payment-state="paid"]');
		assert((await page.textContent("[data-pay-done]")).includes("£60.00"), "the page says what was paid");
		await step(page, t, "2-returned-confirmed-" + size);
	}
});
