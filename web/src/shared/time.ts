// time.ts - dates and times for people, through Intl only: an instant shown in a zone, a
// civil date ("YYYY-MM-DD") and its month grid. The client never computes availability.

/** The viewer's IANA zone, from the browser. */
export function viewerZone(): string {
	try {
		return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
	} catch {
		return "UTC";
	}
}

/** Every zone the browser knows (for the zone picker), with `must` included. */
export function allZones(must: string[]): string[] {
	let z: string[] = [];
	try {
		z = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
	} catch {
		z = [];
	}
	const set = new Set(z);
	for (const m of must) set.add(m);
	return Array.from(set).sort();
}

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const k = locale + JSON.stringify(opts);
	let f = cache.get(k);
	if (!f) {
		f = new Intl.DateTimeFormat(locale, opts);
		cache.set(k, f);
	}
	return f;
}

/** "14:30" or "2:30 PM" by the locale, in `zone`. */
export function formatTime(instant: string | number, zone: string, locale: string): string {
	return fmt(locale, { hour: "numeric", minute: "2-digit", timeZone: zone }).format(new Date(instant));
}

/** The zone's short name at that instant ("GMT", "CET", "GMT+1"). */
export function zoneAbbrev(instant: string | number, zone: string, locale: string): string {
	const p = fmt(locale, { timeZone: zone, timeZoneName: "short", hour: "numeric" }).formatToParts(new Date(instant));
	return p.find((x) => x.type === "timeZoneName")?.value || zone;
}

/** "Monday 7 December 2026" in `zone`. */
export function formatLongDate(instant: string | number, zone: string, locale: string): string {
	return fmt(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: zone }).format(new Date(instant));
}

/** A date with its time and the zone's name: "Monday 7 December 2026, 14:30 GMT". */
export function formatWhen(instant: string | number, zone: string, locale: string): string {
	return formatLongDate(instant, zone, locale) + ", " + formatTime(instant, zone, locale) + " " + zoneAbbrev(instant, zone, locale);
}

/** A civil date ("2026-12-07") for people: "Monday 7 December 2026". */
export function formatCivil(date: string, locale: string, opts: Intl.DateTimeFormatOptions = { weekday: "long", day: "numeric", month: "long", year: "numeric" }): string {
	return fmt(locale, { ...opts, timeZone: "UTC" }).format(civilToUtc(date));
}

/** "December 2026". */
export function formatMonth(year: number, month: number, locale: string): string {
	return fmt(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(year, month - 1, 1));
}

/** Short weekday names, Monday first ("Mon", "Tue", ...). */
export function weekdayNames(locale: string, style: "short" | "long" = "short"): string[] {
	const f = fmt(locale, { weekday: style, timeZone: "UTC" });
	// 2024-01-01 was a Monday
	return [0, 1, 2, 3, 4, 5, 6].map((i) => f.format(Date.UTC(2024, 0, 1 + i)));
}

/** The civil date on which `instant` falls in `zone`. */
export function civilOf(instant: string | number, zone: string): string {
	const p = fmt("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: zone }).formatToParts(new Date(instant));
	const g = (t: string) => p.find((x) => x.type === t)?.value || "";
	return g("year") + "-" + g("month") + "-" + g("day");
}

export function civilToUtc(date: string): number {
	const [y, m, d] = date.split("-").map(Number);
	return Date.UTC(y, m - 1, d);
}

export function civilFromUtc(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
	return civilFromUtc(civilToUtc(date) + n * 86400000);
}

/** The same day `n` months on (clamped to the month's last day). */
export function addMonths(date: string, n: number): string {
	const [y, m, d] = date.split("-").map(Number);
	const first = new Date(Date.UTC(y, m - 1 + n, 1));
	const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
	return civilFromUtc(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last)));
}

export function monthStart(date: string): string {
	return date.slice(0, 8) + "01";
}

export function monthEnd(date: string): string {
	return addDays(addMonths(monthStart(date), 1), -1);
}

/** 0 = Monday ... 6 = Sunday. */
export function weekdayIndex(date: string): number {
	return (new Date(civilToUtc(date)).getUTCDay() + 6) % 7;
}

/** A length for people: "45 min", "2 h", "1 h 30 min", "2 days". */
export function formatDuration(seconds: number, locale: string): string {
	const nf = (n: number, unit: string) => new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" }).format(n);
	if (seconds % 86400 === 0 && seconds >= 86400) return nf(seconds / 86400, "day");
	const h = Math.floor(seconds / 3600), m = Math.round((seconds % 3600) / 60);
	if (h && m) return nf(h, "hour") + " " + nf(m, "minute");
	if (h) return nf(h, "hour");
	return nf(m, "minute");
}

export function formatMoney(m: { amount_minor?: number; currency?: string } | undefined, locale: string): string {
	if (!m || m.amount_minor === undefined || !m.currency) return "";
	const f = new Intl.NumberFormat(locale, { style: "currency", currency: m.currency });
	const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
	return f.format(m.amount_minor / Math.pow(10, digits));
}

/** Compact UTC stamp for calendar links: 20261207T143000Z. */
export function utcStamp(instant: string | number): string {
	return new Date(instant).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}
