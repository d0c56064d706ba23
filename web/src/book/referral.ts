// referral.ts - where the customer came from: the booking page's ?ref= or, without it,
// utm_source[/utm_medium]/utm_campaign, as one short tag the booking carries (its
// `referral`). Read once when the page opens and kept for the browser tab, so it survives
// moving through the steps (and a reload) even if the address loses its query.

const KEY = "bookd.referral";
const MAX = 80;

/** One part of the tag: lower-cased, anything but letters, digits and . _ ~ + @ : - made
 * into "-", runs of "-" folded, and "-" trimmed from the ends. */
function part(v: string | null): string {
	return (v || "").trim().toLowerCase().replace(/[^a-z0-9._~+@:-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
}

/** The tag of a query string ("?ref=…&utm_source=…"), or "" when it has none. Pure. */
export function referralOf(search: string): string {
	const q = new URLSearchParams(search);
	const ref = (q.get("ref") || "").split("/").map(part).filter(Boolean).join("/");
	let out = ref;
	if (!out) {
		const src = part(q.get("utm_source")), med = part(q.get("utm_medium")), camp = part(q.get("utm_campaign"));
		if (src || camp) out = [src, ...(med ? [med] : []), camp].join("/").replace(/\/+$/, "");
	}
	return out.slice(0, MAX).replace(/[-/]+$/, "");
}

let kept: string | undefined;

/** The tag of this visit: the address's own when it has one (kept for the tab), else the one
 * kept earlier in this tab, else "". */
export function referral(): string {
	if (kept !== undefined) return kept;
	const now = referralOf(location.search);
	try {
		if (now) sessionStorage.setItem(KEY, now);
		kept = now || sessionStorage.getItem(KEY) || "";
	} catch {
		kept = now; // storage blocked: as long as the page lives
	}
	return kept;
}
