// CalendarView.tsx - the staff calendar with EventCalendar: a day with one column per
// provider and resource (resource time grid), a week of one provider, or an agenda list (the
// only view on a phone). Hours, breaks, time off and closures are shaded from GET
// …/calendar (the slot engine's open time); dragging a booking (or resizing a rental) asks
// first whether to tell the customer (ChangeDialog.tsx), then moves it through the same
// engine (POST …/reschedule); a refusal says why, and admins may override it with a reason.
// Times are the business's; the customer's own shows in a booking's tooltip where it
// differs. The staff events stream keeps it current.
// The widget is compiled Svelte; the Svelte runtime in the lock (5.59) sets up its DOM
// helpers from this module, which components compiled by newer Svelte import themselves and
// the widget's build (compiled before it existed) does not.
import "svelte/internal/init-operations";
import { Interaction, List, ResourceTimeGrid, TimeGrid, createCalendar, destroyCalendar } from "@event-calendar/core";
import "@event-calendar/core/index.css";
import { useEffect, useRef, useState } from "preact/hooks";
import { locale, t, tOr } from "../shared/i18n";
import { Notice } from "../shared/ui";
import { BookingDetail } from "./BookingDetail";
import { ChangeDialog, type PendingChange } from "./ChangeDialog";
import { NewBooking } from "./NewBooking";
import { ApiError, type BookingItem, type Calendar, type Session, call, staff } from "./staffApi";
import { closedSpans, customerTime, instantOf, mondayOf, plusDays, todayIn, wall } from "./zone";

type Mode = "day" | "week" | "agenda";
type EC = ReturnType<typeof createCalendar>;
type EventInput = NonNullable<Parameters<EC["addEvent"]>[0]>;

const PHONE = "(max-width: 700px)";

/** The words for one of the engine's reason codes (reason.* in the catalogues; a code the
 * catalogue does not know yet reads "not available"). */
export function reasonWords(reason: string | undefined): string {
	return tOr("reason." + (reason || "other"), "reason.other");
}

/** Mends the widget's markup where it fails WCAG checks: its empty toolbar <nav> inside the
 * role="table" (aria-required-children), <article role="button"> events (an article may not
 * be a button: the role goes, the element stays focusable and clickable) and <h4> day
 * headings that skip levels under the page's <h1>. Idempotent; run on every change. */
function accessible(root: HTMLElement | null) {
	if (!root) return;
	root.querySelectorAll("nav.ec-toolbar:not([role])").forEach((n) => n.setAttribute("role", "presentation"));
	root.querySelectorAll('article.ec-event[role="button"]').forEach((n) => n.removeAttribute("role"));
	root.querySelectorAll("h4:not([aria-level])").forEach((n) => n.setAttribute("aria-level", "2"));
}

export function CalendarView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const phone = window.matchMedia(PHONE).matches;
	const [mode, setMode] = useState<Mode>(phone ? "agenda" : "day");
	const [date, setDate] = useState(todayIn(zone));
	const [provider, setProvider] = useState(session.user.provider_id || "");
	const [data, setData] = useState<Calendar | null>(null);
	const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const [open, setOpen] = useState("");
	const [create, setCreate] = useState<{ start: string; provider?: string } | null>(null);
	const [change, setChange] = useState<PendingChange | null>(null);
	const revert = useRef<() => void>(() => {});
	const dataRef = useRef<Calendar | null>(null);
	dataRef.current = data;
	const el = useRef<HTMLDivElement>(null);
	const ec = useRef<EC | null>(null);
	const range = () => (mode === "day" ? [date, date] : [mondayOf(date), plusDays(mondayOf(date), 6)]);
	const load = useRef<() => void>(() => {});
	const providerRef = useRef(provider);
	providerRef.current = provider;

	load.current = async () => {
		const [from, to] = range();
		try {
			const cal = await call(staff.GET("/api/v1/businesses/{business}/calendar", {
				params: { path: { business: slug }, query: { from, to, provider: mode === "week" && provider ? provider : undefined } },
			}));
			setData(cal);
			if (mode === "week" && !provider && cal.bookables?.length) setProvider(cal.bookables[0].id || "");
		} catch (e) {
			if (!(e instanceof ApiError && e.status === 401)) setNotice({ kind: "error", text: t("error.load") });
		}
	};
	useEffect(() => { load.current(); }, [mode, date, provider]);

	// Live: a booking made or changed anywhere reloads the range shown.
	useEffect(() => {
		if (typeof EventSource === "undefined") return;
		let timer = 0;
		const es = new EventSource("/api/v1/businesses/" + encodeURIComponent(slug) + "/events");
		es.addEventListener("booking", () => {
			clearTimeout(timer);
			timer = window.setTimeout(() => load.current(), 100);
		});
		return () => { clearTimeout(timer); es.close(); };
	}, [slug]);

	// The widget: created once, its options set from the data.
	useEffect(() => {
		if (!el.current) return;
		ec.current = createCalendar(el.current, [ResourceTimeGrid, TimeGrid, List, Interaction], {
			timeZone: "UTC",
			locale: locale(),
			headerToolbar: { start: "", center: "", end: "" },
			allDaySlot: false,
			height: "auto",
			slotMinTime: "07:00",
			slotMaxTime: "21:00",
			slotDuration: "00:30",
			snapDuration: "00:15",
			eventDurationEditable: false,
			editable: session.user.role !== "staff" || !!session.user.provider_id,
			eventTimeFormat: { hour: "2-digit", minute: "2-digit" },
			slotLabelFormat: { hour: "2-digit", minute: "2-digit" },
			eventClick: (info) => {
				const b = info.event.extendedProps.booking as { reference?: string } | undefined;
				if (b?.reference) setOpen(b.reference);
			},
			eventDrop: (info) => ask("move", info),
			eventResize: (info) => ask("resize", info),
			dateClick: (info) => {
				const v = info.view.type;
				if (v.startsWith("list")) return;
				setCreate({ start: instantOf(info.date, zone), provider: info.resource?.id || (v === "timeGridWeek" ? providerRef.current : undefined) || undefined });
			},
			// Our own content: the title as text, not a heading (the widget's <h4> breaks the
			// page's heading order), with the booking's words for screen readers.
			eventContent: (info) => {
				if (info.event.display === "background") return { domNodes: [] };
				const span = document.createElement("span");
				span.className = "ad-ev";
				span.textContent = (info.timeText ? info.timeText + " " : "") + String(info.event.title || "");
				// The customer's own time, when their zone shows it differently.
				const b = info.event.extendedProps.booking as BookingItem | undefined;
				const theirs = b ? customerTime(b.start, b.customer?.timezone, zone, locale()) : "";
				if (theirs) span.title = t("cal.customer_time", { when: theirs });
				return { domNodes: [span] };
			},
		});
		const fix = new MutationObserver(() => accessible(el.current));
		fix.observe(el.current, { childList: true, subtree: true });
		accessible(el.current);
		return () => { fix.disconnect(); if (ec.current) destroyCalendar(ec.current); ec.current = null; };
	}, []);

	/** A drop or resize: nothing is sent until the dialog asks whether to tell the customer. */
	const ask = (kind: "move" | "resize", info: { event: { start: Date; end: Date; extendedProps: Record<string, unknown> }; newResource?: { id: string | number } | null; revert: () => void }) => {
		const b = info.event.extendedProps.booking as BookingItem;
		const to = info.newResource?.id ? String(info.newResource.id) : b.provider?.id || b.resource?.id || undefined;
		revert.current = info.revert;
		setNotice(null);
		setChange({
			kind, booking: b, provider: to,
			providerName: dataRef.current?.bookables?.find((x) => x.id === to)?.name || undefined,
			start: instantOf(info.event.start, zone), end: instantOf(info.event.end, zone),
		});
	};

	// Data and mode into the widget's options.
	useEffect(() => {
		const cal = ec.current;
		if (!cal || !data) return;
		const [from, to] = range();
		const bookables = data.bookables || [];
		const events: EventInput[] = [];
		for (const bk of bookables) {
			const rid = mode === "day" ? { resourceIds: [bk.id || ""] } : {};
			for (const c of closedSpans(bk.open || [], from, to)) events.push({ ...rid, start: c.start, end: c.end, display: "background", classNames: ["ad-closed"] });
			for (const o of bk.time_off || []) events.push({ ...rid, start: wall(o.start || ""), end: wall(o.end || ""), display: "background", classNames: ["ad-timeoff"] });
		}
		for (const b of data.bookings || []) {
			const rid = b.provider?.id || b.resource?.id;
			events.push({
				id: b.id, start: wall(b.start), end: wall(b.end),
				title: (b.customer?.name || "") + " · " + (b.service?.name || b.service?.id || ""),
				resourceIds: mode === "day" && rid ? [rid] : undefined,
				classNames: ["ad-booking", "ad-status-" + b.status],
				editable: b.status === "confirmed" || b.status === "pending",
				// Only a rental's length is the customer's choice: those may be resized.
				durationEditable: (b.status === "confirmed" || b.status === "pending") && b.service?.kind === "rental",
				extendedProps: { booking: b },
			});
		}
		cal.setOption("view", mode === "day" ? "resourceTimeGridDay" : mode === "week" ? "timeGridWeek" : "listWeek");
		cal.setOption("date", from);
		if (mode === "day") cal.setOption("resources", bookables.map((b) => ({ id: b.id || "", title: b.name || b.id || "" })));
		cal.setOption("events", events);
	}, [data, mode]);

	const providers = data?.bookables?.filter((b) => b.kind === "provider") || [];
	const step = mode === "day" ? 1 : 7;
	return (
		<section class="ad-cal" aria-labelledby="cal-title">
			<h1 id="cal-title" class="ad-title">{t("cal.title")}</h1>
			<div class="ad-toolbar">
				<label class="ad-field-inline">
					<span>{t("cal.view")}</span>
					<select value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value as Mode)}>
						{!phone ? <option value="day">{t("cal.view.day")}</option> : null}
						{!phone ? <option value="week">{t("cal.view.week")}</option> : null}
						<option value="agenda">{t("cal.view.agenda")}</option>
					</select>
				</label>
				{mode === "week" ? (
					<label class="ad-field-inline">
						<span>{t("cal.provider")}</span>
						<select value={provider} onChange={(e) => setProvider((e.target as HTMLSelectElement).value)}>
							{providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
						</select>
					</label>
				) : null}
				<button type="button" class="ad-btn" onClick={() => setDate(plusDays(date, -step))}>{t("cal.prev_day")}</button>
				<label class="ad-field-inline">
					<span>{t("cal.date")}</span>
					<input type="date" value={date} onChange={(e) => { const v = (e.target as HTMLInputElement).value; if (v) setDate(v); }} />
				</label>
				<button type="button" class="ad-btn" onClick={() => setDate(plusDays(date, step))}>{t("cal.next_day")}</button>
				<button type="button" class="ad-btn" onClick={() => setDate(todayIn(zone))}>{t("cal.today")}</button>
			</div>
			<p class="ad-muted">{t("cal.zone", { zone })} · {t("cal.live")} {mode !== "agenda" ? t("cal.drag_hint") + " " + t("cal.resize_hint") + " " + t("cal.click_hint") : ""}</p>
			<p class="ad-legend"><span class="ad-swatch ad-closed-swatch" /> {t("cal.closed")} <span class="ad-swatch ad-timeoff-swatch" /> {t("cal.time_off")}</p>
			{data?.closures?.map((c) => <Notice key={c.date} kind="info">{c.date}: {t("cal.closure", { name: c.name || "" })}</Notice>)}
			<div aria-live="polite">{notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}</div>
			<div class="ad-ec" ref={el} />
			{create ? <NewBooking session={session} start={create.start} provider={create.provider} onClose={() => setCreate(null)} onDone={() => { setCreate(null); setNotice({ kind: "ok", text: t("new.done") }); load.current(); }} /> : null}
			{change ? (
				<ChangeDialog session={session} change={change}
					onDone={(text) => { setChange(null); setNotice({ kind: "ok", text }); load.current(); }}
					onCancel={() => { setChange(null); revert.current(); load.current(); }} />
			) : null}
			{open ? <BookingDetail slug={slug} zone={zone} reference={open} onClose={() => setOpen("")} onChanged={() => load.current()} /> : null}
		</section>
	);
}
