// NewBooking.tsx - a booking made by hand from the calendar (a click on empty time): the
// service, the customer, how they came (phone or walk-in) and whether to email them,
// through POST …/bookings, the same engine as every booking; a refusal shows its reason,
// and an admin or owner may then book anyway on that provider, giving a reason (audited).
import { useEffect, useRef, useState } from "preact/hooks";
import { client } from "../shared/api";
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { reasonWords } from "./CalendarView";
import { mayOverride } from "./ChangeDialog";
import { ApiError, type Session, call, staff } from "./staffApi";

type Service = { id?: string; name?: string; kind?: string };

export function NewBooking({ session, start, provider, onClose, onDone }: { session: Session; start: string; provider?: string; onClose: () => void; onDone: () => void }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [services, setServices] = useState<Service[]>([]);
	const [f, setF] = useState({ service: "", name: "", email: "", phone: "", source: "walk_in", notify: true, why: "" });
	const [error, setError] = useState("");
	const [refusedReason, setRefusedReason] = useState("");
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
	const submit = async (e: Event, override = false) => {
		e.preventDefault();
		setError("");
		try {
			const body = { service: f.service, start, provider, source: f.source, notify: f.notify, customer: { name: f.name, email: f.email, phone: f.phone || undefined }, ...(override ? { override: true, override_reason: f.why } : {}) };
			await call(staff.POST("/api/v1/businesses/{business}/bookings", { params: { path: { business: slug } }, body } as never));
			dialog.current?.close?.();
			onDone();
		} catch (err) {
			const p = err instanceof ApiError ? (err.problem as { reason?: string; detail?: string; errors?: { field?: string; detail?: string }[] }) : {};
			setRefusedReason(p.reason || "");
			setError(p.reason ? t("new.refused", { detail: reasonWords(p.reason), reason: p.reason }) : p.errors?.map((x) => x.field + ": " + x.detail).join("; ") || p.detail || t("error.generic"));
		}
	};
	return (
		<dialog class="ad-dialog" ref={dialog} aria-labelledby="new-title" onClose={onClose}>
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
				<label class="ad-field"><span>{t("new.email")}</span><input name="email" type="email" required value={f.email} onInput={set("email")} /></label>
				<label class="ad-field"><span>{t("new.phone")}</span><input name="phone" type="tel" value={f.phone} onInput={set("phone")} /></label>
				<label class="ad-check"><input type="checkbox" name="notify" checked={f.notify} onChange={(e) => setF({ ...f, notify: (e.target as HTMLInputElement).checked })} /> {t("new.notify")}</label>
				{refusedReason && provider && mayOverride(session) ? (
					<div class="ad-override">
						<p>{t("new.override_intro")}</p>
						<label class="ad-field"><span>{t("change.override_reason")}</span><input name="override_reason" maxLength={500} value={f.why} onInput={set("why")} /></label>
						<button class="ad-btn ad-btn-danger" type="button" disabled={!f.why.trim()} onClick={(e) => submit(e, true)}>{t("new.override")}</button>
					</div>
				) : null}
				<div class="ad-actions">
					<button class="ad-btn ad-btn-primary" type="submit">{t("new.book")}</button>
					<button class="ad-btn" type="button" onClick={() => { dialog.current?.close?.(); onClose(); }}>{t("detail.close")}</button>
				</div>
			</form>
		</dialog>
	);
}
