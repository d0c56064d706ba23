// TimeOffView.tsx - time off (admin): a provider's (or resource's) absences from one instant
// to another, in the business's zone. Adding or deleting one is previewed first: the impact
// list shows the bookings that fall in it.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../../shared/i18n";
import { formatSpan } from "../../shared/time";
import type { Session } from "../staffApi";
import { instantOf, plusDays, todayIn } from "../zone";
import { bookables, cat, type Named } from "./catalog";
import { type Row, binder, ownerOptions, useWrite } from "./kit";

/** "2026-06-16T14:00" (a wall time of zone) -> RFC 3339 with the zone's offset. */
function instant(local: string, zone: string): string {
	return local ? instantOf(new Date(local + ":00Z"), zone) : "";
}

export function TimeOffView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const today = todayIn(zone);
	const [people, setPeople] = useState<{ providers: Named[]; resources: Named[] }>({ providers: [], resources: [] });
	const [owner, setOwner] = useState("");
	const [rows, setRows] = useState<Row[]>([]);
	const tomorrow = plusDays(today, 1);
	const [doc, setDoc] = useState<Row>({ start: tomorrow + "T09:00", end: tomorrow + "T17:00", reason: "" });
	const w = useWrite(zone);
	const f = binder(doc, setDoc, w.errors);
	useEffect(() => {
		bookables(slug).then((b) => { setPeople(b); setOwner(b.providers[0] ? "provider:" + b.providers[0].id : b.resources[0] ? "resource:" + b.resources[0].id : ""); }, () => {});
	}, []);
	const load = async () => { if (owner) setRows((await cat<{ time_off?: Row[] }>("GET", slug, "/time-off", { query: { owner, from: today } })).time_off || []); };
	useEffect(() => { load(); }, [owner]);
	const add = (e: Event) => {
		e.preventDefault();
		const body = { owner, start: instant(String(doc.start), zone), end: instant(String(doc.end), zone), reason: doc.reason };
		w.write(t("timeoff.adding", { span: body.start && body.end ? formatSpan(body.start, body.end, zone, locale()) : "" }), (dry) => cat("POST", slug, "/time-off", { body, dry }), true, () => { load(); });
	};
	const remove = (r: Row) =>
		w.write(t("timeoff.removing", { span: formatSpan(String(r.start), String(r.end), zone, locale()) }), (dry) => cat("DELETE", slug, "/time-off/{time_off}", { params: { time_off: String(r.id) }, dry }), true, () => { load(); });
	return (
		<section aria-labelledby="to-title">
			<h1 id="to-title" class="ad-title">{t("timeoff.title")}</h1>
			<label class="ad-field-inline"><span>{t("timeoff.whose")}</span>
				<select name="owner" value={owner} onChange={(e) => { setOwner((e.target as HTMLSelectElement).value); w.reset(); }}>
					{ownerOptions(people.providers, people.resources, false).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
				</select>
			</label>
			<h2 class="ad-h2">{t("timeoff.coming")}</h2>
			{rows.length === 0 ? <p>{t("timeoff.none")}</p> : (
				<ul class="ad-list">
					{rows.map((r) => {
						const span = formatSpan(String(r.start), String(r.end), zone, locale());
						return <li key={String(r.id)}>{span}{r.reason ? " · " + String(r.reason) : ""}{" "}<button class="ad-link" type="button" onClick={() => remove(r)}>{t("hours.delete")}<span class="ad-sr"> {span}</span></button></li>;
					})}
				</ul>
			)}
			<h2 class="ad-h2">{t("timeoff.add")}</h2>
			<p class="ad-muted">{t("cal.zone", { zone })}</p>
			<form class="ad-form ad-timeoff-form" onSubmit={add}>
				<div class="ad-grid">
					{f.text("start", t("hours.start"), { type: "datetime-local", required: true })}
					{f.text("end", t("hours.end"), { type: "datetime-local", required: true })}
					{f.text("reason", t("timeoff.reason"))}
				</div>
				<button class="ad-btn" type="submit">{t("closures.preview")}</button>
			</form>
			{w.panel}
		</section>
	);
}
