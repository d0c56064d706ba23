// admin_group_staff.mjs - the staff role on a group booking of its own provider: the detail
// shows the group (organiser, participants) to read, without the admin's changes.
import { DESKTOP, PHONE, assert, newPage, step, test } from "./lib.mjs";
import { offeredSessions } from "./sessions.mjs";
import { ownerApi, signIn } from "./staff.mjs";

test("staff role: a booking's group is shown to read, without changes", async ({ browser, base, server }, t) => {
	const api = await ownerApi(base, server.owner_password);
	const H = { "Content-Type": "application/json" };
	const login = await fetch(base + "/api/v1/auth/login", { method: "POST", headers: H, body: JSON.stringify({ business: "demo", email: "owner@demo.test", password: server.owner_password }) });
	const cookie = login.headers.get("set-cookie").split(";")[0];
	const { csrf_token } = await login.json();
	const put = (p, body) => fetch(base + "/api/v1/businesses/demo" + p, { method: "PUT", headers: { ...H, Cookie: cookie, "X-CSRF-Token": csrf_token }, body: JSON.stringify(body) });
	assert((await put("/services/yoga/group-rules", { group_min: 2, group_max: 6 })).status === 200, "groups on");
	try {
		const open = (await offeredSessions(base, Date.now() + 86400000)).filter((s) => s.seats_left >= 3);
		const session = open[Math.floor(open.length / 2)];
		assert(session, "a yoga session with seats");
		const stamp = Date.now();
		const g = await fetch(base + "/api/v1/public/demo/groups", { method: "POST", headers: H, body: JSON.stringify({ service: "yoga", start: session.start, organiser: { name: "Orla Org", email: "orla." + stamp + "@example.com" }, participants: [{ name: "Pia P", email: "pia." + stamp + "@example.com" }, { name: "Quin Q", email: "quin." + stamp + "@example.com" }] }) });
		assert(g.status === 201, "a group booked: " + g.status);
		const group = await g.json();
		// Chloe (the yoga teacher) signs in as the staff role.
		const u = await api.post("/users", { email: "sky.grp@demo.test", name: "Sky", role: "staff", password: "sky's password" });
		assert(u.status === 201, "staff user made: " + u.status);
		assert((await api.patch("/providers/chloe", { user_id: (await u.json()).id })).status === 200, "linked to Chloe");
		for (const [viewport, tag] of [[PHONE, "phone"], [DESKTOP, "desktop"]]) {
			const page = await newPage(browser, t, { viewport });
			await signIn(page, base, "sky.grp@demo.test", "sky's password");
			await page.goto(base + "/admin/bookings?open=" + group.participants[0].reference);
			await page.waitForSelector(".ad-group [data-people]");
			assert((await page.locator(".ad-group [data-person]").count()) === 2, "both participants shown");
			assert(/Orla Org/.test(await page.textContent(".ad-group")), "the organiser shown");
			assert((await page.locator('.ad-group input[name="group_add_name"], .ad-group .ad-btn-danger, .ad-group button.ad-link').count()) === 0, "no changes offered to the staff role");
			await page.locator(".ad-group").scrollIntoViewIfNeeded();
			await step(page, t, tag + "-group");
		}
	} finally {
		await put("/services/yoga/group-rules", { group_min: 2, group_max: 0 });
	}
});
