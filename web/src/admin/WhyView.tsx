// WhyView.tsx - "Why no slot?": a service, a provider (or anyone), a date and a time in the
// business's zone; the slot engine's verdict for that start (GET …/availability/explain)
// with its reason code in words. The staff role asks about its own provider only (the
// server narrows it), so it gets no provider to pick.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { reasonWords } from "./CalendarView";
import { type Session, call, staff } from "./staffApi";
import { instantOf, todayIn } from "./zone";

type Service = { id?: string; name?: string; kind?: string; providers?: string[]; resources?: string[] };
type Named = { id?: string; name?: string };
type Verdict = { offered?: boolean; reason?: string; providers?: string[] };

export function WhyView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const P = { params: { path: { business: slug } } };
	const [services, setServices] = useState<Service[]>([]);
	const [people, setPeople] = useState<Named[]>([]);
	const [service, setService] = useState("");
	const [provider, setProvider] = useState("");
	const [date, setDate] = useState(todayIn(zone));
	const [time, setTime] = useState("12:30");
	const [asked, setAsked] = useState<{ verdict: Verdict; start: string } | null>(null);
	const [error, setError] = useState("");

	useEffect(() => {
		(async () => {
			try {
				const [s, p, r] = await Promise.all([
					call(staff.GET("/api/v1/businesses/{business}/services", P)),
					call(staff.GET("/api/v1/businesses/{business}/providers", P)),
					call(staff.GET("/api/v1/businesses/{business}/resources", P)),
				]);
				const list = ((s as { services?: Service[] }).services || []).filter((x) => x.kind !== "class");
				setServices(list);
				setPeople([...((p as { providers?: Named[] }).providers || []), ...((r as { resources?: Named[] }).resources || [])]);
				if (list[0]) setService(list[0].id || "");
			} catch {
				setError(t("error.load"));
			}
		})();
	}, []);

	const svc = services.find((s) => s.id === service);
	const eligible = people.filter((p) => svc && [...(svc.providers || []), ...(svc.resources || [])].includes(p.id || ""));
	const nameOf = (id: string) => people.find((p) => p.id === id)?.name || id;

	const ask = async (e: Event) => {
		e.preventDefault();
		setError("");
		setAsked(null);
		const start = instantOf(new Date(date + "T" + time + ":00Z"), zone);
		try {
			const v = await call(staff.GET("/api/v1/businesses/{business}/availability/explain", {
				params: { path: { business: slug }, query: { service, start, provider: provider || undefined } },
			}));
			setAsked({ verdict: v as Verdict, start });
		} catch {
			setError(t("error.load"));
		}
	};

	return (
		<section aria-labelledby="why-title">
			<h1 id="why-title" class="ad-title">{t("why.title")}</h1>
			<p class="ad-muted">{t("why.intro", { zone })}</p>
			<form class="ad-toolbar ad-why" onSubmit={ask}>
				<label class="ad-field-inline">
					<span>{t("why.service")}</span>
					<select name="service" value={service} onChange={(e) => { setService((e.target as HTMLSelectElement).value); setProvider(""); setAsked(null); }}>
						{services.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
					</select>
				</label>
				{session.user.role === "staff" ? null : <label class="ad-field-inline">
					<span>{t("why.provider")}</span>
					<select name="provider" value={provider} onChange={(e) => { setProvider((e.target as HTMLSelectElement).value); setAsked(null); }}>
						<option value="">{t("why.anyone")}</option>
						{eligible.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
					</select>
				</label>}
				<label class="ad-field-inline"><span>{t("why.date")}</span><input name="date" type="date" required value={date} onChange={(e) => { setDate((e.target as HTMLInputElement).value); setAsked(null); }} /></label>
				<label class="ad-field-inline"><span>{t("why.time")}</span><input name="time" type="time" required value={time} onChange={(e) => { setTime((e.target as HTMLInputElement).value); setAsked(null); }} /></label>
				<button class="ad-btn ad-btn-primary" type="submit" disabled={!service}>{t("why.ask")}</button>
			</form>
			<div aria-live="polite">
				{error ? <Notice kind="error">{error}</Notice> : null}
				{asked ? (
					<div class="ad-verdict" data-reason={asked.verdict.reason}>
						<p class="ad-h3">{formatWhen(asked.start, zone, locale())}</p>
						{asked.verdict.offered ? (
							<p>{t("why.offered", { who: (asked.verdict.providers || []).map(nameOf).join(", ") })}</p>
						) : (
							<p>{t("why.refused", { reason: reasonWords(asked.verdict.reason) })} <code>{asked.verdict.reason}</code></p>
						)}
						<p class="ad-muted">{t(`why.explain.${asked.verdict.reason && WHY_CODES.includes(asked.verdict.reason) ? asked.verdict.reason : "other"}`)}</p>
					</div>
				) : null}
			</div>
		</section>
	);
}

/** The engine's reason codes this page has a longer explanation for (docs/openapi.json). */
export const WHY_CODES = ["offered", "min_notice", "beyond_window", "off_grid", "length", "no_session", "outside_hours", "break", "business_hours", "closure", "time_off", "calendar_stale", "busy", "external_busy", "buffer", "full", "no_resource"];
