// TimePicker.tsx - month calendar, the chosen day's free times and the zone they are shown
// in. The booking flow and the manage page's reschedule both use it. Free times come only
// from the availability API, refreshed live.
import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { type Business, type Day, type Service, type Slot, call, client } from "../shared/api";
import type { components } from "../shared/api-types";
import { useLiveRefresh } from "../shared/live";
import { locale, t, tn } from "../shared/i18n";
import { addMonths, allZones, civilOf, formatCivil, formatMoney, formatTime, formatWhen, monthEnd, monthStart, zoneAbbrev } from "../shared/time";
import { Notice } from "../shared/ui";
import { MonthCalendar } from "./MonthCalendar";
import { RentalSpan } from "./RentalSpan";

export type Pick = { slot: Slot; start: string; end?: string };
/** A class session with no place left, which one can wait for. */
export type FullSession = NonNullable<components["schemas"]["WaitlistSessions"]["sessions"]>[number];

type Props = {
	business: Business;
	service: Service;
	provider?: string;
	zone: string;
	onZone: (z: string) => void;
	seats?: number;
	current?: string; // an instant shown as "now booked" (reschedule)
	initial?: string; // an instant whose day opens first
	busy?: boolean;
	notice?: preact.ComponentChildren;
	onPick: (p: Pick) => void;
	reload?: number; // bump to refetch
	onWaitlist?: (s: FullSession) => void; // classes: full sessions are listed, to wait for
};

export function TimePicker(p: Props) {
	const today = civilOf(Date.now(), p.zone);
	const start0 = p.initial || p.current;
	const [month, setMonth] = useState(monthStart(start0 ? civilOf(start0, p.zone) : today));
	const [focusDate, setFocusDate] = useState(start0 ? civilOf(start0, p.zone) : today);
	const [selected, setSelected] = useState<string | undefined>(start0 ? civilOf(start0, p.zone) : undefined);
	const [days, setDays] = useState<Map<string, Slot[]>>(new Map());
	const [full, setFull] = useState<Map<string, FullSession[]>>(new Map());
	const [loading, setLoading] = useState(true);
	const [error, setError] = useState("");
	const [rental, setRental] = useState<Slot | undefined>();
	const kept = useRef<string | undefined>(start0); // the instant a zone change keeps
	const autoAdvance = useRef(start0 ? 0 : 2);
	const seq = useRef(0);
	const slotHeading = useRef<HTMLHeadingElement>(null);
	const focusSlots = useRef(false);

	async function load() {
		const my = ++seq.current;
		setLoading(true);
		// classes: the month's full sessions too (availability lists only those with places)
		const sessions = p.onWaitlist && p.service.kind === "class"
			? call(client.GET("/api/v1/public/{business}/sessions", { params: { path: { business: p.business.slug! }, query: { service: p.service.id!, from: month < today && monthEnd(month) >= today ? today : month, to: monthEnd(month), tz: p.zone } } })).catch(() => undefined)
			: Promise.resolve(undefined);
		try {
			const a = await call(
				client.GET("/api/v1/public/{business}/availability", {
					params: {
						path: { business: p.business.slug! },
						query: { service: p.service.id!, from: month < today && monthEnd(month) >= today ? today : month, to: monthEnd(month), tz: p.zone, provider: p.provider, seats: p.seats } as never,
					},
				}),
			);
			if (my !== seq.current) return;
			const m = new Map<string, Slot[]>();
			for (const d of (a.days || []) as Day[]) m.set(d.date!, d.slots || []);
			const f = new Map<string, FullSession[]>();
			for (const x of (await sessions)?.sessions || []) {
				if (!x.waitlist || (p.seats || 1) > x.capacity) continue;
				const d = civilOf(x.start, p.zone);
				f.set(d, [...(f.get(d) || []), x]);
			}
			if (my !== seq.current) return;
			setDays(m);
			setFull(f);
			setError("");
			const anyFree = Array.from(m.values()).some((s) => s.length) || f.size > 0;
			if (!anyFree && autoAdvance.current > 0) {
				autoAdvance.current--;
				const n = addMonths(month, 1);
				setMonth(n);
				setFocusDate(n);
				return;
			}
			autoAdvance.current = 0;
		} catch (e) {
			if (my === seq.current) setError((e as Error).message);
		} finally {
			if (my === seq.current) setLoading(false);
		}
	}

	// a layout effect: the request leaves before the first paint, not after it
	useLayoutEffect(() => {
		if (month < monthStart(today)) {
			setMonth(monthStart(today));
			return;
		}
		load();
	}, [month, p.zone, p.provider, p.service.id, p.seats, p.reload]);
	useLiveRefresh(p.business.slug!, p.service.id, load);

	useLayoutEffect(() => {
		if (focusSlots.current) {
			focusSlots.current = false;
			slotHeading.current?.focus();
		}
	});

	function changeZone(z: string) {
		const keep = kept.current;
		if (keep) {
			const d = civilOf(keep, z);
			setSelected(d);
			setFocusDate(d);
			setMonth(monthStart(d));
		} else if (selected) {
			// no instant chosen yet: keep the day
		}
		p.onZone(z);
	}

	// the browser's ~400 zones are listed once the picker is first used, not on first paint
	const [allListed, setAllListed] = useState(false);
	const zones = useMemo(() => (allListed ? allZones([p.zone, p.business.timezone!]) : Array.from(new Set([p.zone, p.business.timezone!])).sort()), [allListed, p.zone, p.business.timezone]);
	const free = new Map<string, number>();
	days.forEach((s, d) => free.set(d, s.length));
	const slots = selected ? days.get(selected) || [] : [];
	const waitable = new Map<string, number>();
	full.forEach((s, d) => waitable.set(d, s.length));
	const fullHere = selected ? full.get(selected) || [] : [];
	const otherZone = p.zone !== p.business.timezone;
	const loc = locale();
	const time = (i: string) => formatTime(i, p.zone, loc) + (otherZone ? " " + zoneAbbrev(i, p.zone, loc) : "");
	const kind = p.service.kind;

	return (
		<div class="bk-picker">
			{p.current ? (
				<p class="bk-current">
					{t("manage.current")} <strong>{formatWhen(p.current, p.zone, loc)}</strong>
				</p>
			) : null}
			<div class="bk-picker-cols">
				<MonthCalendar
					month={month}
					free={free}
					waitable={waitable}
					loading={loading}
					selected={selected}
					focusDate={focusDate}
					today={today}
					onFocusDate={(d) => {
						setFocusDate(d);
						if (monthStart(d) !== month) setMonth(monthStart(d));
					}}
					onSelect={(d) => {
						setSelected(d);
						setFocusDate(d);
						setRental(undefined);
						focusSlots.current = true;
					}}
					onMonth={(m) => {
						autoAdvance.current = 0;
						setMonth(m);
						setFocusDate(m < today ? today : m);
					}}
				/>
				<section class="bk-slots" aria-labelledby="bk-slots-title">
					<div class="bk-zone">
						<label for="bk-zone-select">{t("zone.label")}</label>
						<select id="bk-zone-select" value={p.zone} onFocus={() => setAllListed(true)} onMouseDown={() => setAllListed(true)} onChange={(e) => changeZone((e.target as HTMLSelectElement).value)}>
							{zones.map((z) => (
								<option key={z} value={z}>
									{z.replace(/_/g, " ")}
								</option>
							))}
						</select>
						{otherZone ? <p class="bk-zone-note">{t("zone.differs", { zone: p.business.timezone!.replace(/_/g, " ") })}</p> : null}
					</div>
					<h2 id="bk-slots-title" class="bk-slots-title" tabIndex={-1} ref={slotHeading}>
						{selected ? t("slots.title", { date: formatCivil(selected, loc) }) : t("slots.pick_day")}
					</h2>
					<p class="bk-slots-zone">{t("slots.zone", { zone: p.zone.replace(/_/g, " ") })}</p>
					{p.notice}
					{error ? <Notice kind="error">{t("error.load")}</Notice> : null}
					{selected && !loading && !slots.length ? <p>{t("slots.none")}</p> : null}
					{fullHere.length && !rental ? (
						<ul class="bk-slot-list bk-full-list">
							{fullHere.map((x) => (
								<li key={x.id}>
									<div class="bk-full" data-session={x.id}>
										<span class="bk-slot-time">{time(x.start)}</span>
										<span class="bk-slot-seats">{x.waiting ? tn("waitlist.full_waiting", x.waiting) : t("waitlist.full")}</span>
										<button type="button" class="bk-btn" disabled={p.busy} onClick={() => p.onWaitlist!(x)}>
											{t("waitlist.join")}
										</button>
									</div>
								</li>
							))}
						</ul>
					) : null}
					{rental ? (
						<RentalSpan slug={p.business.slug} slot={rental} service={p.service} zone={p.zone} busy={!!p.busy} onBack={() => setRental(undefined)} onPick={(s, e) => {
							kept.current = s;
							p.onPick({ slot: rental, start: s, end: e });
						}} />
					) : (
						<ul class="bk-slot-list">
							{slots.map((s) => {
								const isCurrent = p.current && Date.parse(p.current) === Date.parse(s.start);
								const label =
									kind === "rental"
										? t("slots.range", { from: time(s.start), to: time(s.end) })
										: time(s.start);
								return (
									<li key={s.start + (s.session || "")}>
										<button
											type="button"
											class="bk-slot"
											disabled={p.busy}
											data-start={s.start}
											onClick={() => {
												if (kind === "rental") {
													setRental(s);
													return;
												}
												kept.current = s.start;
												p.onPick({ slot: s, start: s.start });
											}}
										>
											<span class="bk-slot-time">{label}</span>
											{kind === "class" ? <span class="bk-slot-seats">{tn("slots.seats_left", s.seats_left)}</span> : null}
											{s.price ? <span class="bk-slot-price">{formatMoney(s.price, loc)}</span> : null}
											{isCurrent ? <span class="bk-slot-seats">{t("slots.current")}</span> : null}
										</button>
									</li>
								);
							})}
						</ul>
					)}
				</section>
			</div>
		</div>
	);
}
