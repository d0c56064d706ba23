// Repeat.tsx - a recurring series on the booking page: the "repeat" choice after a time is
// held (every N weeks, a number of times or until a date, what to do with a week that is
// not free), its preview (each date free or not, with the reason in words), and the list
// of dates booked. Also the series on a booking's own page, with "cancel the rest".
import { useEffect, useState } from "preact/hooks";
import { type ApiError, type ManageAuth, call, client, manageCall } from "../shared/api";
import type { components } from "../shared/api-types";
import { locale, t, tOr } from "../shared/i18n";
import { addDays, civilOf, formatWhen } from "../shared/time";
import { Loading, Notice } from "../shared/ui";

export type Series = components["schemas"]["Series"];
export type Occurrence = components["schemas"]["SeriesOccurrence"];
export type Policy = "fail" | "skip" | "shift";
/** The catalogue's words for an engine reason code: REASON + code (REASON + "other"). */
const REASON = "repeat.reason.";

/** What the customer chose. */
export type RepeatChoice = { on: boolean; every: number; bound: "count" | "until"; count: number; until: string; policy: Policy };

export function repeatOff(start: string, zone: string): RepeatChoice {
	return { on: false, every: 1, bound: "count", count: 4, until: addDays(civilOf(start, zone), 7 * 7), policy: "skip" };
}

/** The series fields of a request body for the choice. */
export function repeatFields(r: RepeatChoice): Record<string, unknown> {
	const repeat: Record<string, unknown> = { every_weeks: r.every };
	if (r.bound === "count") repeat.count = r.count;
	else repeat.until = r.until;
	const f: Record<string, unknown> = { repeat, policy: r.policy };
	if (r.policy === "shift") f.shift_limit_minutes = 60;
	return f;
}

/** The occurrences of a series or its preview, each with what became (or would become) of it. */
export function OccurrenceList({ series, zone, booked }: { series: Series; zone: string; booked?: boolean }) {
	const loc = locale();
	return (
		<ol class="bk-occurrences" data-occurrences>
			{(series.occurrences || []).map((o: Occurrence) => {
				const cancelled = o.status === "cancelled";
				const state = !o.free ? "busy" : cancelled ? "cancelled" : o.shifted ? "shifted" : "free";
				return (
					<li key={o.seq} class={"bk-occ bk-occ-" + state} data-state={state} data-reason={o.reason}>
						<time dateTime={o.start || o.wanted_start}>{formatWhen(o.start || o.wanted_start, zone, loc)}</time>
						<span class="bk-occ-what">
							{!o.free
								? t("repeat.not_free", { why: tOr(REASON + o.reason, REASON + "other") })
								: cancelled
									? t("repeat.cancelled")
									: o.shifted
										? t("repeat.shifted", { when: formatWhen(o.wanted_start, zone, loc) })
										: booked
											? t("repeat.booked")
											: t("repeat.free")}
							{o.reference ? " · " + o.reference : ""}
						</span>
					</li>
				);
			})}
		</ol>
	);
}

/** The choice and its preview, under the held time's summary. `request` is the booking's own
 * fields (service, start, provider, seats, hold); the preview asks the server with them. */
export function RepeatPicker({ slug, value, onChange, request, zone, problem }: { slug: string; value: RepeatChoice; onChange: (r: RepeatChoice) => void; request: Record<string, unknown>; zone: string; problem?: Series }) {
	const [preview, setPreview] = useState<Series | undefined>();
	const [loading, setLoading] = useState(false);
	const [error, setError] = useState("");
	const set = (patch: Partial<RepeatChoice>) => {
		setPreview(undefined);
		setError("");
		onChange({ ...value, ...patch });
	};
	async function check() {
		setLoading(true);
		setError("");
		try {
			setPreview(await call(client.POST("/api/v1/public/{business}/series/preview", { params: { path: { business: slug }, query: { tz: zone } as never }, body: { ...request, ...repeatFields(value) } as never })));
		} catch (e) {
			const err = e as ApiError;
			const body = err.problem as unknown as Series;
			if (err.status === 409 && body.occurrences) setPreview(body);
			else setError(err.problem.errors?.[0]?.detail || err.message || t("error.generic"));
		} finally {
			setLoading(false);
		}
	}
	const shown = problem || preview;
	return (
		<fieldset class="bk-repeat">
			<legend class="bk-repeat-legend">{t("repeat.title")}</legend>
			<div class="bk-check">
				<input id="bk-repeat" type="checkbox" checked={value.on} onChange={(e) => set({ on: (e.target as HTMLInputElement).checked })} />
				<label for="bk-repeat">{t("repeat.toggle")}</label>
			</div>
			{value.on ? (
				<div class="bk-repeat-body">
					<div class="bk-field bk-field-inline">
						<label for="bk-every">{t("repeat.every")}</label>
						<select id="bk-every" value={String(value.every)} onChange={(e) => set({ every: Number((e.target as HTMLSelectElement).value) })}>
							{[1, 2, 3, 4].map((n) => (
								<option key={n} value={String(n)}>
									{n === 1 ? t("repeat.weekly") : t("repeat.every_n", { n })}
								</option>
							))}
						</select>
					</div>
					<div class="bk-field bk-field-inline">
						<label for="bk-bound">{t("repeat.bound")}</label>
						<select id="bk-bound" value={value.bound} onChange={(e) => set({ bound: (e.target as HTMLSelectElement).value as "count" | "until" })}>
							<option value="count">{t("repeat.bound_count")}</option>
							<option value="until">{t("repeat.bound_until")}</option>
						</select>
						{value.bound === "count" ? (
							<input id="bk-count" aria-label={t("repeat.count")} type="number" min={2} max={52} value={String(value.count)} onInput={(e) => set({ count: Math.max(1, Math.min(52, Number((e.target as HTMLInputElement).value) || 1)) })} />
						) : (
							<input id="bk-until" aria-label={t("repeat.until")} type="date" value={value.until} onInput={(e) => set({ until: (e.target as HTMLInputElement).value })} />
						)}
					</div>
					<div class="bk-field">
						<label for="bk-policy">{t("repeat.policy")}</label>
						<select id="bk-policy" value={value.policy} onChange={(e) => set({ policy: (e.target as HTMLSelectElement).value as Policy })}>
							<option value="skip">{t("repeat.policy_skip")}</option>
							<option value="shift">{t("repeat.policy_shift")}</option>
							<option value="fail">{t("repeat.policy_fail")}</option>
						</select>
					</div>
					<button type="button" class="bk-btn" data-preview onClick={check} disabled={loading}>
						{t("repeat.preview")}
					</button>
					{loading ? <Loading /> : null}
					{error ? <Notice kind="error">{error}</Notice> : null}
					{shown ? (
						<>
							<p class="bk-sub" data-preview-summary>
								{t("repeat.summary", { free: shown.booked, all: (shown.occurrences || []).length })}
							</p>
							<OccurrenceList series={shown} zone={zone} />
						</>
					) : null}
				</div>
			) : null}
		</fieldset>
	);
}

/** A booking's series on its own page: every date, and cancelling this one and the rest. */
export function ManageSeries({ reference, auth, zone, onChanged }: { reference: string; auth: ManageAuth; zone: string; onChanged: () => void }) {
	const [series, setSeries] = useState<Series | undefined | null>();
	const [busy, setBusy] = useState(false);
	const [asking, setAsking] = useState(false);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | undefined>();
	async function load() {
		try {
			setSeries(await manageCall<Series>(reference, "series", auth, { tz: zone }));
		} catch {
			setSeries(null); // not part of a series
		}
	}
	useEffect(() => {
		load();
	}, [reference, zone]);
	if (!series) return null; // loading, or not part of a series
	const mine = (series.occurrences || []).find((o) => o.reference === reference);
	const rest = (series.occurrences || []).filter((o) => o.reference && o.seq >= (mine?.seq || 0) && (o.status === "confirmed" || o.status === "pending")).length;
	async function cancelRest() {
		setBusy(true);
		setMsg(undefined);
		try {
			const s = await manageCall<Series>(reference, "series/cancel", auth, { tz: zone, body: {} });
			setSeries(s);
			setAsking(false);
			setMsg({ kind: "ok", text: t("repeat.rest_cancelled", { n: s.cancelled || 0 }) });
			onChanged();
		} catch (e) {
			setMsg({ kind: "error", text: (e as ApiError).message || t("error.generic") });
		} finally {
			setBusy(false);
		}
	}
	return (
		<section class="bk-series" data-series>
			<h2 class="bk-h2">{t("repeat.series_title")}</h2>
			<OccurrenceList series={series} zone={zone} booked />
			{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
			{rest > 0 && !asking ? (
				<div class="bk-actions">
					<button type="button" class="bk-btn bk-btn-danger" data-cancel-rest onClick={() => setAsking(true)}>
						{t("repeat.cancel_rest", { n: rest })}
					</button>
				</div>
			) : null}
			{asking ? (
				<div class="bk-actions">
					<button type="button" class="bk-btn" onClick={() => setAsking(false)}>
						{t("manage.keep")}
					</button>
					<button type="button" class="bk-btn bk-btn-danger" data-confirm-rest disabled={busy} onClick={cancelRest}>
						{t("repeat.cancel_rest_confirm", { n: rest })}
					</button>
				</div>
			) : null}
		</section>
	);
}
