// run.mjs - the browser suite (`make test` runs it as "web"): real bookd, real chromium.
// BOOKD_WEB_ONLY=substring runs the matching tests only.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { WEB, launchBrowser, runAll, startServer } from "./lib.mjs";
import "./flows.mjs";
import "./admin.mjs";
import "./access.mjs";
import "./admin_setup.mjs";
import "./admin_customers.mjs";
import "./admin_insight.mjs";
import "./protection.mjs";
import "./waitlist.mjs";
import "./waitlist_window.mjs";
import "./series.mjs";
import "./groups.mjs";
import "./calendar_attention.mjs";
import "./payments.mjs";
import "./calendars.mjs";
import "./admin_assign.mjs";
import "./webhooks.mjs";
import "./guard.mjs";
import "./admin_waitlist.mjs";
import "./admin_group_staff.mjs";
import "./rentals.mjs";
import "./loyalty.mjs";
import "./payment_element.mjs";
import "./waitlist_paid.mjs";
import "./pricing.mjs";

runAll(async (work) => {
	if (!existsSync(join(WEB, "dist", "index.html"))) throw new Error("web/dist is not built (make web; npm ci needs the npm registry)");
	const server = await startServer(work);
	const page = await fetch(server.base + "/book/demo");
	const html = page.ok ? await page.text() : "";
	if (!html.includes('id="app"')) throw new Error("bookd does not serve the booking page at /book/demo (" + page.status + ")");
	const browser = await launchBrowser();
	return {
		server,
		browser,
		base: server.base,
		teardown: async () => {
			await browser.close();
			await server.stop();
		},
	};
});
