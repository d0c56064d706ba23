// NewBooking.tsx - a booking made by hand from the calendar (a click on empty time): the
// service, the customer, how they came (phone or walk-in) and whether to email them,
// through POST …/bookings, the same engine as every booking; a refusal shows its reason,
// and an admin or owner may then book anyway on that provider, giving a reason (audited).
// It may repeat weekly (a series: SeriesPanel.tsx's fields, POST …/series) and draw on one
// of the customer's packages (found by the email typed).
import { useEffect, useRef, useState } from "preact/hooks";
import { client } from "../shared/api";
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { reasonWords } from "./CalendarView";
import { mayOverride } from "./ChangeDialog";
import { NO_REPEAT, type Repeat, RepeatFields, type Series, SeriesDates, repeatBody } from "./SeriesPanel";
import { ApiError, type Session, call, staff } from "./staffApi";

type Service = { id?: string; name?: string; kind?: string };

export function NewBooking({ session, start, provider, onClose, onDone }: { session: Session; start: string; provider?: string; onClose: () => void; onDone: () => void }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [services, setServices] = useState<Service[]>([]);
	const [f, setF] = useState({ service: "", name: "", email: "", phone: "", source: "walk_in", notify: true, why: "" });
	const [error, setError] = useState("");
	const [refusedReason, setRefusedReason] = useState("");
	const [repeat, setRepeat] = useState<Repeat>(NO_REPEAT);
	const [series, setSeries] = useState<Series | null>(null);
	const [packages, setPackages] = useState<{ id: string; name: string; remaining: number; service: string }[]>([]);
	const [pkg, setPkg] = useState("");
	const dialog = useRef<HTMLDialogElement>(null);
	useEffect(() => {
		dialog.current?.showModal?.();
		call(client.GET("/api/v1/public/{business}/services", { params: { path: { business: slug } } })).then((r) => {
			const list = (r.services || []).filter((s) => s.kind === "appointment" && (!provider || (s.providers || []).some((p) => p.id === provider)));
			setServices(list);
			if (list[0]) setF((x) => ({ ...x, service: list[0].id || "" }));
		}, () => setError(t("error.load")));
	}, []);
	const set = (k: string) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
	// the packages of the customer with this email that still have sessions
	const findPackages = async () => {
		setPackages([]);
		setPkg("");
		const email = f.email.trim().toLowerCase();
		if (!email.includes("@")) return;
		try {
			const found = (await call(staff.GET("/api/v1/businesses/{business}/customers", { params: { path: { business: slug }, query: { q: email } } } as never))) as { customers?: { id: string; email?: string }[] };
			const who = (found.customers || []).find((c) => (c.email || "").toLowerCase() === email);
			if (!who) return;
			const r = (await call(staff.GET("/api/v1/businesses/{business}/customers/{customer}/packages", { params: { path: { business: slug, customer: who.id } } }))) as { packages?: { id: string; name: string; remaining: number; service: string }[] };
			setPackages((r.packages || []).filter((x) => x.remaining > 0));
		} catch {
			/* no packages offered */
		}
	};
	const submit = async (e: Event, override = false) => {
		e.preventDefault();
		setError("");
		try {
			const body = { service: f.service, start, provider, source: f.source, notify: f.notify, customer: { name: f.name, email: f.email, phone: f.phone || undefined }, ...(pkg ? { package: pkg } : {}), ...(override ? { override: true, override_reason: f.why } : {}) };
			setSeries(null);
			if (repeat.on && !override) {
				// a series: every date through the same engine; the dates not booked are listed
				// the dates stay on screen (some may not be booked); closing reloads the calendar
				setSeries((await call(staff.POST("/api/v1/businesses/{business}/series", { params: { path: { business: slug } }, body: { ...body, ...repeatBody(repeat) } } as never))) as Series);
				return;
			}
			await call(staff.POST("/api/v1/businesses/{business}/bookings", { params: { path: { business: slug } }, body } as never));
			dialog.current?.close?.();
			onDone();
		} catch (err) {
			const p = err instanceof ApiError ? (err.problem as { reason?: string; detail?: string; errors?: { field?: string; detail?: string }[]; occurrences?: unknown }) : {};
			if (p.occurrences) {
				setSeries(p as unknown as Series);
				setError(p.detail || t("error.generic"));
				return;
			}
			setRefusedReason(p.reason || "");
			setError(p.reason ? t("new.refused", { detail: reasonWords(p.reason), reason: p.reason }) : p.errors?.map((x) => x.field + ": " + x.detail).join("; ") || p.detail || t("error.generic"));
		}
	};
	return (
		<dialog class="ad-dialog" ref={dialog} aria-labelledby="new-title" onClose={series?.id ? onDone : onClose}>
			<form onSubmit={submit}>
				<h2 id="new-title" class="ad-h2">{t("new.title", { when: formatWhen(start, zone, locale()) })}</h2>
				{error ? <Notice kind="error">{error}</Notice> : null}
				<label class="ad-field"><span>{t("new.service")}</span>
					<select name="service" value={f.service} onChange={set("service")}>{services.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select>
				</label>
				<label class="ad-field"><span>{t("new.source")}</span>
					<select name="source" value={f.source} onChange={set("source")}>
						<option value="walk_in">{t("new.walk_in")}</option>
						<option value="phone">{t("new.phone_call")}</option>
					</select>
				</label>
				<label class="ad-field"><span>{t("new.name")}</span><input name="name" required value={f.name} onInput={set("name")} /></label>
				<label class="ad-field"><span>{t("new.email")}</span><input name="email" type="email" required value={f.email} onInput={set("email")} onBlur={findPackages} /></label>
				<label class="ad-field"><span>{t("new.phone")}</span><input name="phone" type="tel" value={f.phone} onInput={set("phone")} /></label>
				{packages.filter((x) => x.service === f.service).length ? (
					<label class="ad-field"><span>{t("new.package")}</span>
						<select name="package" value={pkg} onChange={(e) => setPkg((e.target as HTMLSelectElement).value)}>
							<option value="">{t("new.package_none")}</option>
							{packages.filter((x) => x.service === f.service).map((x) => <option key={x.id} value={x.id}>{t("new.package_left", { name: x.name, left: x.remaining })}</option>)}
						</select>
					</label>
				) : null}
				<RepeatFields value={repeat} onChange={setRepeat} />
				{series ? (
					<div data-series-result>
						<p>{t("series.result", { booked: series.booked, all: (series.occurrences || []).length })}</p>
						<SeriesDates series={series} zone={zone} />
					</div>
				) : null}
				<label class="ad-check"><input type="checkbox" name="notify" checked={f.notify} onChange={(e) => setF({ ...f, notify: (e.target as HTMLInputElement).checked })} /> {t("new.notify")}</label>
				{refusedReason && provider && mayOverride(session) ? (
					<div class="ad-override">
						<p>{t("new.override_intro")}</p>
						<label class="ad-field"><span>{t("change.override_reason")}</span><input name="override_reason" maxLength={500} value={f.why} onInput={set("why")} /></label>
						<button class="ad-btn ad-btn-danger" type="button" disabled={!f.why.trim()} onClick={(e) => submit(e, true)}>{t("new.override")}</button>
					</div>
				) : null}
				<div class="ad-actions">
					{series && series.id ? null : <button class="ad-btn ad-btn-primary" type="submit">{repeat.on ? t("new.book_series") : t("new.book")}</button>}
					<button class="ad-btn" type="button" onClick={() => { dialog.current?.close?.(); if (series?.id) onDone(); else onClose(); }}>{t("detail.close")}</button>
				</div>
			</form>
		</dialog>
	);
}
