// SessionsView.tsx - class sessions (admin): the coming occurrences of a class service with
// their seats, a new one (its start in the business's zone, who leads it, where, how many
// seats), and deleting one nobody has booked (the API refuses one with bookings).
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../../shared/i18n";
import { formatSpan } from "../../shared/time";
import type { Session } from "../staffApi";
import { instantOf, plusDays, todayIn } from "../zone";
import { bookables, cat, type Named } from "./catalog";
import { type Row, binder, useWrite } from "./kit";
import { SessionMinimum } from "../Groups";

export function SessionsView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const today = todayIn(zone);
	const [classes, setClasses] = useState<Row[]>([]);
	const [people, setPeople] = useState<{ providers: Named[]; resources: Named[] }>({ providers: [], resources: [] });
	const [service, setService] = useState("");
	const [rows, setRows] = useState<Row[]>([]);
	const [doc, setDoc] = useState<Row>({ start: plusDays(today, 1) + "T18:00", provider: "", resource: "" });
	const w = useWrite(zone);
	const f = binder(doc, setDoc, w.errors);
	useEffect(() => {
		cat<{ services?: Row[] }>("GET", slug, "/services").then((r) => {
			const list = (r.services || []).filter((s) => s.kind === "class");
			setClasses(list);
			if (list[0]) setService(String(list[0].id));
		}, () => {});
		bookables(slug).then(setPeople, () => {});
	}, []);
	const svc = classes.find((s) => s.id === service);
	const load = async () => { if (service) setRows((await cat<{ sessions?: Row[] }>("GET", slug, "/sessions", { query: { service, from: today } })).sessions || []); };
	useEffect(() => { load(); setDoc((d) => ({ ...d, capacity: svc ? svc.capacity : undefined })); }, [service]);
	const add = (e: Event) => {
		e.preventDefault();
		const body: Row = { service, start: instantOf(new Date(String(doc.start) + ":00Z"), zone), capacity: doc.capacity };
		if (doc.provider) body.provider = doc.provider;
		if (doc.resource) body.resource = doc.resource;
		w.write("", () => cat("POST", slug, "/sessions", { body }), false, () => { load(); return t("sessions.added"); });
	};
	const remove = (r: Row) => w.write("", () => cat("DELETE", slug, "/sessions/{session}", { params: { session: String(r.id) } }), false, () => { load(); return t("sessions.deleted"); });
	const none = [{ value: "", label: t("sessions.nobody") }];
	const forSvc = (ids: unknown, list: Named[]) => list.filter((x) => !Array.isArray(ids) || ids.length === 0 || (ids as string[]).includes(x.id || ""));
	return (
		<section aria-labelledby="ses-title">
			<h1 id="ses-title" class="ad-title">{t("sessions.title")}</h1>
			{classes.length === 0 ? <p>{t("sessions.no_classes")}</p> : (
				<>
					<label class="ad-field-inline"><span>{t("policy.service")}</span>
						<select name="service" value={service} onChange={(e) => { setService((e.target as HTMLSelectElement).value); w.reset(); }}>
							{classes.map((s) => <option key={String(s.id)} value={String(s.id)}>{String(s.name)}</option>)}
						</select>
					</label>
					<h2 class="ad-h2">{t("sessions.coming")}</h2>
					{rows.length === 0 ? <p>{t("sessions.none")}</p> : (
						<ul class="ad-list">
							{rows.map((r) => {
								const span = formatSpan(String(r.start), String(r.end), zone, locale());
								return <li key={String(r.id)}>{span} · {t("sessions.seats", { taken: Number(r.seats_taken || 0), capacity: Number(r.capacity || 0) })}{" "}
									<button class="ad-link" type="button" onClick={() => remove(r)}>{t("hours.delete")}<span class="ad-sr"> {span}</span></button>{" "}
									<SessionMinimum slug={slug} sessionId={String(r.id)} /></li>;
							})}
						</ul>
					)}
					<h2 class="ad-h2">{t("sessions.add")}</h2>
					<form class="ad-form" onSubmit={add}>
						<div class="ad-grid">
							{f.text("start", t("sessions.start"), { type: "datetime-local", required: true, hint: t("cal.zone", { zone }) })}
							{f.int("capacity", t("services.capacity"), { min: 1 })}
							{f.select("provider", t("sessions.provider"), [...none, ...forSvc(svc?.providers, people.providers).map((p) => ({ value: p.id || "", label: p.name || "" }))])}
							{f.select("resource", t("sessions.resource"), [...none, ...forSvc(svc?.resources, people.resources).map((p) => ({ value: p.id || "", label: p.name || "" }))])}
						</div>
						<button class="ad-btn ad-btn-primary" type="submit">{t("sessions.create")}</button>
					</form>
					{w.panel}
				</>
			)}
		</section>
	);
}
