// main.tsx - the one entry of the web app: picks the page from the path, the language by
// ?lang= → browser → business locale, and registers the service worker (the offline shell).
import { render } from "preact";
import { BookApp } from "./book/BookApp";
import { Compare } from "./book/Compare";
import { BusinessList } from "./book/BusinessList";
import { ManageApp } from "./book/ManageApp";
import { WaitlistApp } from "./book/Waitlist";
import { GroupApp } from "./book/Group";
import { type Business, call, client } from "./shared/api";
import { chooseLanguage, setLanguage, t } from "./shared/i18n";
import { Frame, Notice, StepHeading } from "./shared/ui";
import "./shared/app.css";

const root = document.getElementById("app")!;
const browserLangs = navigator.languages?.length ? navigator.languages : [navigator.language || "en"];

async function business(slug: string): Promise<Business> {
	const b = (await call(client.GET("/api/v1/public/{business}", { params: { path: { business: slug } } }))) as Business;
	setLanguage(chooseLanguage(location.search, browserLangs, b.locale || ""));
	return b;
}

function notFound() {
	render(
		<Frame>
			<StepHeading focus={false}>{t("error.not_found")}</StepHeading>
			<p>
				<a href="/">{t("home.title")}</a>
			</p>
		</Frame>,
		root,
	);
}

async function start() {
	setLanguage(chooseLanguage(location.search, browserLangs, ""));
	const parts = location.pathname.split("/").filter(Boolean).map(decodeURIComponent);
	if (parts[0] === "book" && parts[1]) {
		// the catalogue is asked for at once, beside the business, not after it
		const services = call(client.GET("/api/v1/public/{business}/services", { params: { path: { business: parts[1] } } }));
		services.catch(() => {});
		try {
			const b = await business(parts[1]);
			const q = new URLSearchParams(location.search);
			if (!parts[2] && q.has("compare"))
				render(<Compare slug={parts[1]} business={b} services={services} ids={(q.get("compare") || "").split(",").filter(Boolean)} date={q.get("date") || undefined} />, root);
			else render(<BookApp slug={parts[1]} serviceId={parts[2]} business={b} services={services} />, root);
		} catch (e) {
			if ((e as { status?: number }).status === 404) notFound();
			else render(<Frame><StepHeading focus={false}>{t("app.title")}</StepHeading><Notice kind="error">{(e as { status?: number }).status === 0 || !navigator.onLine ? t("error.offline") : t("error.load")}</Notice></Frame>, root);
		}
	} else if (parts[0] === "admin") {
		// The staff dashboard: its own chunk (calendar widget included), loaded only here.
		const { AdminApp } = await import("./admin/AdminApp");
		render(<AdminApp />, root);
	} else if (parts[0] === "b" && parts[1]) {
		render(<ManageApp reference={parts[1]} resolveBusiness={business} />, root);
	} else if (parts[0] === "w" && parts[1]) {
		render(<WaitlistApp entryId={parts[1]} resolveBusiness={business} />, root);
	} else if (parts[0] === "g" && parts[1]) {
		render(<GroupApp groupId={parts[1]} resolveBusiness={business} />, root);
	} else if (parts.length === 0) {
		render(<BusinessList />, root);
	} else {
		notFound();
	}
	if ("serviceWorker" in navigator && location.protocol !== "file:" && !import.meta.env.DEV) {
		navigator.serviceWorker.register("/sw.js").catch(() => {});
	}
	if (window.parent !== window) startEmbedded();
}

/** Inside the embed's iframe: tell the parent page our height whenever it changes. */
function startEmbedded() {
	document.documentElement.setAttribute("data-bookd-embedded", "");
	let last = 0;
	const send = () => {
		const h = Math.ceil(root.getBoundingClientRect().height); // the content, not the frame's own height
		if (h !== last) {
			last = h;
			window.parent.postMessage({ type: "bookd:height", height: h }, "*");
		}
	};
	new ResizeObserver(send).observe(root);
	send();
}

start();
