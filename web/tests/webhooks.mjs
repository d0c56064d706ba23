// webhooks.mjs - Setup → Webhooks: the owner adds an endpoint (a receiver on loopback, this
// test's own; the server runs with --webhooks-allow-private on), copies the secret shown once,
// sends a test, sees a booking's event arrive signed, reads the delivery log with each
// attempt, replays a delivery, rotates the secret (both signatures during the overlap) and
// disables the endpoint. At desktop and phone sizes.
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DESKTOP, PHONE, assert, newPage, startServer, step, test, waitFor } from "./lib.mjs";
import { publicBooking, signInOwner } from "./staff.mjs";

/** A receiver on loopback that keeps every request: {headers, body (text), json}. */
async function receiver() {
	const got = [];
	const srv = createServer((req, res) => {
		let body = "";
		req.on("data", (c) => (body += c));
		req.on("end", () => {
			got.push({ headers: req.headers, body, json: JSON.parse(body) });
			res.writeHead(200, { "Content-Type": "application/json" });
			res.end('{"ok":true}');
		});
	});
	await new Promise((r) => srv.listen(0, "127.0.0.1", r));
	return { got, url: "http://127.0.0.1:" + srv.address().port + "/hooks", stop: () => new Promise((r) => srv.close(r)) };
}

/** The secrets (of those given) whose signature the request carries. */
function signers(req, secrets) {
	const parts = req.headers["bookd-signature"].split(",").map((p) => p.split("="));
	const ts = parts.find(([k]) => k === "t")[1];
	const v1 = parts.filter(([k]) => k === "v1").map(([, v]) => Buffer.from(v, "hex"));
	return secrets.filter((s) => {
		const want = createHmac("sha256", s).update(ts + "." + req.body).digest();
		return v1.some((v) => v.length === want.length && timingSafeEqual(v, want));
	});
}

test("webhooks: the owner adds an endpoint, sees signed events arrive, reads the log, replays, rotates and disables (desktop and phone)", async ({ browser }, t) => {
	const rx = await receiver();
	t.cleanup.push(() => rx.stop());
	const server = await startServer(mkdtempSync(join(tmpdir(), "bookd-web-hooks-")), ["--webhooks-allow-private", "on"]);
	t.cleanup.push(() => server.stop());
	const base = server.base;
	const page = await newPage(browser, t, { viewport: DESKTOP });
	await signInOwner(page, base, server.owner_password, "/admin/webhooks", ".ad-webhooks");
	await page.waitForSelector('.ad-wh-new input[name="events"]');
	await step(page, t, "1-empty");

	// A URL that is not http(s) is refused with the field named.
	await page.fill('.ad-wh-new input[name="url"]', "ftp://files.example.test/in");
	await page.check('.ad-wh-new input[value="booking.created"]');
	await page.click('.ad-wh-new button[type="submit"]');
	await page.waitForSelector("#wh-url-err");
	assert((await page.textContent("#wh-url-err")).includes("http"), "the URL error: " + (await page.textContent("#wh-url-err")));

	await page.fill('.ad-wh-new input[name="url"]', rx.url);
	await page.fill('.ad-wh-new input[name="description"]', "Front desk system");
	await page.check('.ad-wh-new input[value="customer.created"]');
	await page.click('.ad-wh-new button[type="submit"]');
	await page.waitForSelector('input[name="webhook_secret"]');
	const secret = await page.inputValue('input[name="webhook_secret"]');
	assert(/^whsec_[A-Za-z0-9_-]{40,}$/.test(secret), "a secret shown once: " + secret);
	await step(page, t, "2-created-secret-shown");
	const row = page.locator("tr[data-webhook]").first();
	const id = await row.getAttribute("data-webhook");

	// A test event, then a booking's: both arrive signed with the secret.
	await row.getByRole("button", { name: "Send a test" }).click();
	await waitFor(() => rx.got.find((r) => r.json.type === "webhook.test"), 10000, "the test event");
	await publicBooking(base, { who: "Hook Hana" });
	const created = await waitFor(() => rx.got.find((r) => r.json.type === "booking.created"), 10000, "booking.created");
	assert(signers(created, [secret]).length === 1, "booking.created is signed with the secret");
	assert(created.json.data.object.customer.name.startsWith("Hook Hana"), "the booking is the event's object");
	assert(created.headers["bookd-event-id"] === created.json.id, "the event id header");
	await waitFor(() => rx.got.find((r) => r.json.type === "customer.created"), 10000, "customer.created");

	// The delivery log: each delivery with its attempt (code, latency); one replayed.
	const logButton = row.getByRole("button", { name: "Delivery log" });
	assert((await logButton.getAttribute("aria-expanded")) === "true", "the new endpoint's log is open");
	await page.waitForSelector('.ad-wh-log tr[data-delivery][data-status="succeeded"]');
	await waitFor(async () => (await page.locator('.ad-wh-log tr[data-delivery][data-status="succeeded"]').count()) >= 3, 10000, "three deliveries logged");
	const bookingRow = page.locator(".ad-wh-log tr[data-delivery]", { hasText: "booking.created" }).first();
	await bookingRow.locator("summary").click();
	assert((await bookingRow.locator("li[data-code='200']").count()) === 1, "the attempt's HTTP 200 shown");
	await step(page, t, "3-delivery-log");
	const before = rx.got.filter((r) => r.json.id === created.json.id).length;
	await bookingRow.getByRole("button", { name: "Replay" }).click();
	await waitFor(() => rx.got.filter((r) => r.json.id === created.json.id).length > before, 10000, "the replay");

	// Rotation: a new secret; during the overlap both sign.
	await row.getByRole("button", { name: "Rotate secret" }).click();
	await waitFor(async () => (await page.inputValue('input[name="webhook_secret"]')) !== secret, 10000, "the new secret");
	const fresh = await page.inputValue('input[name="webhook_secret"]');
	const n = rx.got.length;
	await row.getByRole("button", { name: "Send a test" }).click();
	const after = await waitFor(() => rx.got.slice(n).find((r) => r.json.type === "webhook.test"), 10000, "the test after rotating");
	assert(signers(after, [fresh, secret]).length === 2, "both the new and the previous secret sign during the overlap");
	await page.waitForSelector("text=The previous secret also signs until");

	// Disabled: the row says so.
	await row.getByRole("button", { name: "Disable" }).click();
	await page.waitForSelector(`tr[data-webhook="${id}"][data-enabled="false"]`);
	await step(page, t, "4-rotated-disabled");

	const phone = await newPage(browser, t, { viewport: PHONE });
	await signInOwner(phone, base, server.owner_password, "/admin/webhooks", ".ad-webhooks");
	await phone.waitForSelector(`tr[data-webhook="${id}"]`);
	await phone.locator(`tr[data-webhook="${id}"]`).getByRole("button", { name: "Delivery log" }).click();
	await phone.waitForSelector(".ad-wh-log tr[data-delivery]");
	await step(phone, t, "5-phone-log");
	assert(rx.got.every((r) => signers(r, [secret, fresh]).length >= 1), "every request was signed");
});
