// NotifySettings.tsx - the business's notification settings (GET/PATCH
// …/notification-settings): reminder offsets before the start, quiet hours in the business's
// zone (reminders due inside them go out before they begin), and which staff addresses hear
// of new and of changed bookings.
import { useEffect, useState } from "preact/hooks";
import { t } from "../shared/i18n";
import { Notice } from "../shared/ui";
import { ApiError, type Session, call, staff } from "./staffApi";

type Unit = "minutes" | "hours" | "days";
const UNIT_S: Record<Unit, number> = { minutes: 60, hours: 3600, days: 86400 };
type Offset = { n: number; unit: Unit };
type Alert = { email: string; events: ("new" | "changed")[] };

function offsetOf(s: number): Offset {
	if (s % 86400 === 0) return { n: s / 86400, unit: "days" };
	if (s % 3600 === 0) return { n: s / 3600, unit: "hours" };
	return { n: Math.round(s / 60), unit: "minutes" };
}
const hhmm = (min: number) => String(Math.floor(min / 60)).padStart(2, "0") + ":" + String(min % 60).padStart(2, "0");
const minutesOf = (s: string) => { const [h, m] = s.split(":").map(Number); return (h || 0) * 60 + (m || 0); };

export function NotifySettings({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const P = { params: { path: { business: slug } } };
	const [offsets, setOffsets] = useState<Offset[]>([]);
	const [quiet, setQuiet] = useState(false);
	const [qStart, setQStart] = useState("21:00");
	const [qEnd, setQEnd] = useState("08:00");
	const [alerts, setAlerts] = useState<Alert[]>([]);
	const [loaded, setLoaded] = useState(false);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

	const show = (s: { reminder_offsets_s?: number[]; quiet_start_min?: number; quiet_end_min?: number; staff_alerts?: { email: string; events?: ("new" | "changed")[] }[] }) => {
		setOffsets((s.reminder_offsets_s || []).map(offsetOf));
		const qs = s.quiet_start_min || 0, qe = s.quiet_end_min || 0;
		setQuiet(qs !== qe);
		if (qs !== qe) {
			setQStart(hhmm(qs));
			setQEnd(hhmm(qe));
		}
		setAlerts((s.staff_alerts || []).map((a) => ({ email: a.email, events: a.events || ["new", "changed"] })));
		setLoaded(true);
	};
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/notification-settings", P)).then(show, () => setMsg({ kind: "error", text: t("error.load") }));
	}, []);

	const save = async (e: Event) => {
		e.preventDefault();
		setMsg(null);
		const body = {
			reminder_offsets_s: offsets.map((o) => Math.round(o.n * UNIT_S[o.unit])),
			quiet_start_min: quiet ? minutesOf(qStart) : 0,
			quiet_end_min: quiet ? minutesOf(qEnd) : 0,
			staff_alerts: alerts.filter((a) => a.email.trim()).map((a) => ({ email: a.email.trim(), events: a.events })),
		};
		try {
			show((await call(staff.PATCH("/api/v1/businesses/{business}/notification-settings", { ...P, body }))));
			setMsg({ kind: "ok", text: t("notify.settings_saved") });
		} catch (err) {
			setMsg({ kind: "error", text: err instanceof ApiError ? (err.problem.errors?.map((x) => t(`notify.field.${x.field}`) + ": " + x.detail).join("; ") || err.problem.detail || err.message) : t("error.generic") });
		}
	};
	if (!loaded) return msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null;
	const setOffset = (i: number, o: Partial<Offset>) => setOffsets(offsets.map((x, k) => (k === i ? { ...x, ...o } : x)));
	const setAlert = (i: number, a: Partial<Alert>) => setAlerts(alerts.map((x, k) => (k === i ? { ...x, ...a } : x)));
	const toggle = (i: number, ev: "new" | "changed", on: boolean) => {
		const cur = alerts[i].events.filter((x) => x !== ev);
		setAlert(i, { events: on ? [...cur, ev] : cur });
	};
	return (
		<form class="ad-settings" onSubmit={save}>
			<fieldset class="ad-fieldset">
				<legend>{t("notify.field.reminder_offsets_s")}</legend>
				<p class="ad-muted">{t("notify.reminders_help")}</p>
				<ul class="ad-rows">
					{offsets.map((o, i) => (
						<li key={i} class="ad-rule">
							<label class="ad-field-inline">
								<span>{t("notify.reminder_n", { n: i + 1 })}</span>
								<input name={"offset-" + i} type="number" min="1" step="1" value={o.n} onInput={(e) => setOffset(i, { n: Number((e.target as HTMLInputElement).value) })} />
							</label>
							<label class="ad-field-inline">
								<span>{t("notify.unit")}</span>
								<select name={"unit-" + i} value={o.unit} onChange={(e) => setOffset(i, { unit: (e.target as HTMLSelectElement).value as Unit })}>
									{(Object.keys(UNIT_S) as Unit[]).map((u) => <option key={u} value={u}>{t(`notify.unit.${u}`)}</option>)}
								</select>
							</label>
							<button type="button" class="ad-btn ad-btn-danger" onClick={() => setOffsets(offsets.filter((_, k) => k !== i))}>{t("notify.remove_reminder", { n: i + 1 })}</button>
						</li>
					))}
				</ul>
				<button type="button" class="ad-btn" onClick={() => setOffsets([...offsets, { n: 1, unit: "hours" }])} disabled={offsets.length >= 8}>{t("notify.add_reminder")}</button>
			</fieldset>
			<fieldset class="ad-fieldset">
				<legend>{t("notify.quiet")}</legend>
				<label class="ad-check"><input name="quiet" type="checkbox" checked={quiet} onChange={(e) => setQuiet((e.target as HTMLInputElement).checked)} /> {t("notify.quiet_on")}</label>
				{quiet ? (
					<div class="ad-toolbar">
						<label class="ad-field-inline"><span>{t("notify.quiet_from")}</span><input name="quiet_start" type="time" value={qStart} onChange={(e) => setQStart((e.target as HTMLInputElement).value)} /></label>
						<label class="ad-field-inline"><span>{t("notify.quiet_to")}</span><input name="quiet_end" type="time" value={qEnd} onChange={(e) => setQEnd((e.target as HTMLInputElement).value)} /></label>
					</div>
				) : null}
				<p class="ad-muted">{t("notify.quiet_help", { zone: session.business.timezone || "UTC" })}</p>
			</fieldset>
			<fieldset class="ad-fieldset">
				<legend>{t("notify.field.staff_alerts")}</legend>
				<ul class="ad-rows">
					{alerts.map((a, i) => (
						<li key={i} class="ad-rule">
							<label class="ad-field-inline"><span>{t("notify.alert_email", { n: i + 1 })}</span><input name={"alert-" + i} type="email" value={a.email} onInput={(e) => setAlert(i, { email: (e.target as HTMLInputElement).value })} /></label>
							<label class="ad-check"><input type="checkbox" checked={a.events.includes("new")} onChange={(e) => toggle(i, "new", (e.target as HTMLInputElement).checked)} /> {t("notify.alert_new")}</label>
							<label class="ad-check"><input type="checkbox" checked={a.events.includes("changed")} onChange={(e) => toggle(i, "changed", (e.target as HTMLInputElement).checked)} /> {t("notify.alert_changed")}</label>
							<button type="button" class="ad-btn ad-btn-danger" onClick={() => setAlerts(alerts.filter((_, k) => k !== i))}>{t("notify.remove_alert", { n: i + 1 })}</button>
						</li>
					))}
				</ul>
				<button type="button" class="ad-btn" onClick={() => setAlerts([...alerts, { email: "", events: ["new", "changed"] }])}>{t("notify.add_alert")}</button>
			</fieldset>
			<div class="ad-actions"><button class="ad-btn ad-btn-primary" type="submit">{t("notify.save_settings")}</button></div>
			<div aria-live="polite">{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}</div>
		</form>
	);
}
