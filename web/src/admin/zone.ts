// zone.ts - wall-clock times of the business's zone for the calendar widget, which draws
// "floating" times (its timeZone is UTC, so no browser zone or DST shifts them): an API
// instant becomes its business-zone wall time, and a dropped wall time becomes an instant
// with the zone's offset again.
import { formatShortWhen } from "../shared/time";

/** "2026-06-16T09:00:00+01:00" (already in the business zone) -> "2026-06-16T09:00:00". */
export function wall(instant: string): string {
	return instant.slice(0, 19);
}

/** The zone's offset from UTC, in minutes, at the instant ms. */
function offsetAt(ms: number, zone: string): number {
	const parts = new Intl.DateTimeFormat("en-US", {
		timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
		hour: "2-digit", minute: "2-digit", second: "2-digit",
	}).formatToParts(ms);
	const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
	const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
	return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** A floating Date of the widget (its UTC fields are the wall time) -> RFC 3339 in zone. */
export function instantOf(floating: Date, zone: string): string {
	const w = floating.getTime();
	let off = offsetAt(w, zone);
	off = offsetAt(w - off * 60000, zone);
	const sign = off < 0 ? "-" : "+";
	const a = Math.abs(off);
	const hh = String(Math.floor(a / 60)).padStart(2, "0"), mm = String(a % 60).padStart(2, "0");
	return floating.toISOString().slice(0, 19) + sign + hh + ":" + mm;
}

/** Today's date in zone ("YYYY-MM-DD"). */
export function todayIn(zone: string): string {
	return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(Date.now());
}

/** The Monday of date's week. */
export function mondayOf(date: string): string {
	const d = new Date(date + "T00:00:00Z");
	const back = (d.getUTCDay() + 6) % 7;
	return new Date(d.getTime() - back * 86400000).toISOString().slice(0, 10);
}

export function plusDays(date: string, n: number): string {
	return new Date(Date.parse(date + "T00:00:00Z") + n * 86400000).toISOString().slice(0, 10);
}

/** The closed stretches of the dates [from, to] (both included): each day minus the open
 * intervals the engine answered (wall times; the complement only, nothing recomputed). */
export function closedSpans(open: { start?: string; end?: string }[], from: string, to: string): { start: string; end: string }[] {
	const out: { start: string; end: string }[] = [];
	const ranges = open.map((o) => [wall(o.start || ""), wall(o.end || "")]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
	for (let d = from; d <= to; d = plusDays(d, 1)) {
		let at = d + "T00:00:00";
		const end = plusDays(d, 1) + "T00:00:00";
		for (const [s, e] of ranges) {
			if (e <= at || s >= end) continue;
			if (s > at) out.push({ start: at, end: s });
			if (e > at) at = e;
		}
		if (at < end) out.push({ start: at, end });
	}
	return out;
}

/** The customer's own wall time of an instant when their zone shows it differently from the
 * business's ("Fri 4 Dec, 05:00 America/New_York"), else "" (no zone given, or the same
 * clock time there). */
export function customerTime(instant: string, customerZone: string | null | undefined, businessZone: string, locale: string): string {
	if (!customerZone || customerZone === businessZone) return "";
	try {
		const theirs = formatShortWhen(instant, customerZone, locale);
		return theirs === formatShortWhen(instant, businessZone, locale) ? "" : theirs + " " + customerZone;
	} catch {
		return ""; // a zone this browser does not know
	}
}
