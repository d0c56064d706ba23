// SeriesPanel.tsx - recurring series in the dashboard: the series of a booking on its
// detail (every date with its status, cancel this one and the rest: POST
// …/bookings/{booking}/series/cancel, with the notify choice), and the repeat fields of a
// new booking (NewBooking.tsx books a series through POST …/series, the same engine and
// booking path as one booking; the dates not booked are listed with the engine's reason).
import { useEffect, useState } from "preact/hooks";
import type { components } from "../shared/api-types";
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { reasonWords } from "./CalendarView";
import { ApiError, call, staff } from "./staffApi";

export type Series = components["schemas"]["Series"];

/** The repeat choice of a new booking. */
export type Repeat = { on: boolean; every: number; count: number; policy: "fail" | "skip" | "shift" };
export const NO_REPEAT: Repeat = { on: false, every: 1, count: 4, policy: "skip" };

export function repeatBody(r: Repeat): Record<string, unknown> {
	return { repeat: { every_weeks: r.every, count: r.count }, policy: r.policy, ...(r.policy === "shift" ? { shift_limit_minutes: 60 } : {}) };
}

export function RepeatFields({ value, onChange }: { value: Repeat; onChange: (r: Repeat) => void }) {
	const set = (p: Partial<Repeat>) => onChange({ ...value, ...p });
	return (
		<fieldset class="ad-repeat">
			<legend>{t("series.repeat")}</legend>
			<label class="ad-check"><input type="checkbox" name="repeat" checked={value.on} onChange={(e) => set({ on: (e.target as HTMLInputElement).checked })} /> {t("series.repeat_on")}</label>
			{value.on ? (
				<div class="ad-grid">
					<label class="ad-field"><span>{t("series.every")}</span>
						<select name="every" value={String(value.every)} onChange={(e) => set({ every: Number((e.target as HTMLSelectElement).value) })}>
							{[1, 2, 3, 4].map((n) => <option key={n} value={String(n)}>{n === 1 ? t("series.weekly") : t("series.every_n", { n })}</option>)}
						</select>
					</label>
					<label class="ad-field"><span>{t("series.count")}</span>
						<input name="count" type="number" min={2} max={52} value={String(value.count)} onInput={(e) => set({ count: Math.max(1, Math.min(52, Number((e.target as HTMLInputElement).value) || 1)) })} />
					</label>
					<label class="ad-field"><span>{t("series.policy")}</span>
						<select name="policy" value={value.policy} onChange={(e) => set({ policy: (e.target as HTMLSelectElement).value as Repeat["policy"] })}>
							<option value="skip">{t("series.policy.skip")}</option>
							<option value="shift">{t("series.policy.shift")}</option>
							<option value="fail">{t("series.policy.fail")}</option>
						</select>
					</label>
				</div>
			) : null}
		</fieldset>
	);
}

/** A series' dates, each with what became of it. */
export function SeriesDates({ series, zone }: { series: Series; zone: string }) {
	return (
		<ol class="ad-series" data-series-dates>
			{(series.occurrences || []).map((o) => (
				<li key={o.seq} data-state={!o.free ? "busy" : o.status || "free"}>
					{formatWhen(o.start || o.wanted_start, zone, locale())}
					{" · "}
					{!o.free ? t("series.not_booked", { why: reasonWords(o.reason) }) : o.status ? t("status." + o.status) : t("series.free")}
					{o.shifted ? " · " + t("series.shifted", { when: formatWhen(o.wanted_start, zone, locale()) }) : ""}
					{o.reference ? " · " + o.reference : ""}
				</li>
			))}
		</ol>
	);
}

/** The series of the booking open in the detail (nothing when it has none). */
export function SeriesPanel({ slug, zone, reference, onChanged }: { slug: string; zone: string; reference: string; onChanged: () => void }) {
	const [s, setS] = useState<Series | null>(null);
	const [notify, setNotify] = useState(true);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const path = { business: slug, booking: reference };
	const load = () => call(staff.GET("/api/v1/businesses/{business}/bookings/{booking}/series", { params: { path } })).then(setS, () => setS(null));
	useEffect(() => { load(); }, [reference]);
	if (!s) return null;
	const mine = (s.occurrences || []).find((o) => o.reference === reference);
	const rest = (s.occurrences || []).filter((o) => o.reference && o.seq >= (mine?.seq || 0) && (o.status === "confirmed" || o.status === "pending")).length;
	const cancel = async () => {
		setMsg(null);
		try {
			const r = (await call(staff.POST("/api/v1/businesses/{business}/bookings/{booking}/series/cancel", { params: { path }, body: { notify } } as never))) as Series;
			setS(r);
			setMsg({ kind: "ok", text: t("series.cancelled", { n: r.cancelled || 0 }) });
			onChanged();
		} catch (e) {
			setMsg({ kind: "error", text: e instanceof ApiError ? e.problem.detail || e.message : t("error.generic") });
		}
	};
	return (
		<section class="ad-series-panel" aria-labelledby="series-title" data-series>
			<h3 id="series-title" class="ad-h3">{t("series.title", { booked: s.booked, all: (s.occurrences || []).length })}</h3>
			<SeriesDates series={s} zone={zone} />
			{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
			{rest > 0 ? (
				<div class="ad-actions">
					<label class="ad-check"><input type="checkbox" checked={notify} onChange={(e) => setNotify((e.target as HTMLInputElement).checked)} /> {t("series.notify")}</label>
					<button type="button" class="ad-btn ad-btn-danger" data-cancel-rest onClick={cancel}>{t("series.cancel_rest", { n: rest })}</button>
				</div>
			) : null}
		</section>
	);
}
