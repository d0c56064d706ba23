// admin_assign.mjs - Setup → Business: who takes an "any provider" booking. The owner picks
// the priority order and gives chloe the first place; an "any provider" massage at a time
// both therapists are free then goes to chloe, and the booking's history says why. At phone
// and desktop sizes; the policy is put back to "first" for the other suites.
import { DESKTOP, PHONE, assert, newPage, step, test } from "./lib.mjs";
import { ownerApi, signInOwner } from "./staff.mjs";

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

async function free(base, provider, from, to) {
	const q = new URLSearchParams({ service: "massage", from, to, tz: "Europe/London", provider });
	const r = await fetch(base + "/api/v1/public/demo/availability?" + q);
	return new Set((await r.json()).days.flatMap((d) => d.slots.map((s) => s.start)));
}

test("assignment: the owner sets priority order in Setup; an any-provider booking follows it and says so", async ({ base, server, browser }, t) => {
	const api = await ownerApi(base, server.owner_password);
	t.cleanup.push(() => api.patch("/assignment", { policy: "first", priorities: [{ provider_id: "ben", priority: 0 }, { provider_id: "chloe", priority: 0 }] }));
	for (const vp of [DESKTOP, PHONE]) {
		const page = await newPage(browser, t, { viewport: vp });
		await signInOwner(page, base, server.owner_password, "/admin/business", ".ad-subnav");
		await page.waitForSelector('form[aria-labelledby="biz-assign"] select[name="policy"]');
		await page.selectOption('form[aria-labelledby="biz-assign"] select[name="policy"]', "priority");
		await page.fill('input[name="priority-ben"]', "5");
		await page.fill('input[name="priority-chloe"]', vp === DESKTOP ? "1" : "2");
		await page.click('form[aria-labelledby="biz-assign"] button[type="submit"]');
		await page.locator('form[aria-labelledby="biz-assign"] .bk-notice-ok').waitFor();
		await page.locator('form[aria-labelledby="biz-assign"]').scrollIntoViewIfNeeded();
		await step(page, t, "assignment");
		const got = await api.get("/assignment");
		assert(got.policy === "priority", "the policy was saved: " + JSON.stringify(got));
		const pr = Object.fromEntries(got.priorities.map((p) => [p.provider_id, p.priority]));
		assert(pr.ben === 5 && pr.chloe === (vp === DESKTOP ? 1 : 2), "the priorities were saved: " + JSON.stringify(pr));
		const wide = await page.evaluate(() => document.documentElement.scrollWidth);
		assert(wide <= vp.width, "fits the screen's width: " + wide);
	}
	// A time both are free, weeks ahead of the other suites' bookings.
	const [a, b] = [await free(base, "ben", day(40), day(46)), await free(base, "chloe", day(40), day(46))];
	const both = [...a].filter((s) => b.has(s)).sort();
	assert(both.length > 0, "a time both therapists are free");
	const r = await fetch(base + "/api/v1/public/demo/bookings", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ service: "massage", start: both[0], customer: { name: "Any Annie", email: "any.annie." + Date.now() + "@example.com" } }),
	});
	assert(r.status === 201, "booked: " + r.status);
	const bk = await r.json();
	assert(bk.provider === "chloe", "chloe comes first: " + bk.provider);
	const detail = await api.get("/bookings/" + bk.reference);
	const note = detail.history.find((h) => h.kind === "created").changes.assignment;
	assert(note && note.policy === "priority" && note.chosen === "chloe" && note.candidates.length === 2, "the history says why: " + JSON.stringify(note));
	await api.post("/bookings/" + bk.reference + "/cancel", { reason: "test" });
});
