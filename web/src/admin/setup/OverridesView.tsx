// OverridesView.tsx - one date's own hours (admin): pick a date on the month grid, then close
// it or give it other hours (one range per row; two rows leave a break) for the business, a
// provider or a resource. Adding or deleting one is previewed first (the impact list).
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../../shared/i18n";
import { formatCivil, monthEnd, monthStart } from "../../shared/time";
import type { Session } from "../staffApi";
import { todayIn } from "../zone";
import { bookables, cat, type Named } from "./catalog";
import { type Row, binder, ownerOptions, useWrite } from "./kit";
import { MonthGrid } from "./MonthGrid";

export function OverridesView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [owner, setOwner] = useState("business");
	const [people, setPeople] = useState<{ providers: Named[]; resources: Named[] }>({ providers: [], resources: [] });
	const [month, setMonth] = useState(monthStart(todayIn(zone)));
	const [date, setDate] = useState(todayIn(zone));
	const [rows, setRows] = useState<Row[]>([]);
	const [doc, setDoc] = useState<Row>({ closed: false, start: "10:00", end: "14:00" });
	const w = useWrite(zone);
	const f = binder(doc, setDoc, w.errors);
	const load = async () => setRows((await cat<{ overrides?: Row[] }>("GET", slug, "/overrides", { query: { owner, from: month, to: monthEnd(month) } })).overrides || []);
	useEffect(() => { bookables(slug).then(setPeople, () => {}); }, []);
	useEffect(() => { load(); }, [owner, month]);
	const words = (r: Row) => (r.closed ? t("overrides.closed") : String(r.start) + "–" + String(r.end));
	const marks = new Map<string, string>();
	for (const r of rows) marks.set(String(r.date), (marks.has(String(r.date)) ? marks.get(String(r.date)) + ", " : "") + words(r));
	const day = rows.filter((r) => r.date === date);
	const when = formatCivil(date, locale());
	const add = (e: Event) => {
		e.preventDefault();
		const body = doc.closed ? { owner, date, closed: true } : { owner, date, start: doc.start, end: doc.end };
		w.write(t("overrides.adding", { date: when, hours: doc.closed ? t("overrides.closed") : doc.start + "–" + doc.end }), (dry) => cat("POST", slug, "/overrides", { body, dry }), true, () => { load(); });
	};
	const remove = (r: Row) =>
		w.write(t("overrides.removing", { date: when, hours: words(r) }), (dry) => cat("DELETE", slug, "/overrides/{override}", { params: { override: String(r.id) }, dry }), true, () => { load(); });
	return (
		<section aria-labelledby="ovr-title">
			<h1 id="ovr-title" class="ad-title">{t("overrides.title")}</h1>
			<p class="ad-muted">{t("overrides.intro")}</p>
			<label class="ad-field-inline"><span>{t("hours.owner")}</span>
				<select name="owner" value={owner} onChange={(e) => { setOwner((e.target as HTMLSelectElement).value); w.reset(); }}>
					{ownerOptions(people.providers, people.resources).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
				</select>
			</label>
			<div class="ad-split">
				<MonthGrid month={month} marks={marks} selected={date} onSelect={(d) => { setDate(d); w.reset(); }} onMonth={(m) => setMonth(m)} />
				<div>
					<h2 class="ad-h2">{when}</h2>
					{day.length === 0 ? <p>{t("overrides.usual")}</p> : (
						<ul class="ad-list">
							{day.map((r) => (
								<li key={String(r.id)}>{words(r)}{" "}<button class="ad-link" type="button" onClick={() => remove(r)}>{t("hours.delete")}<span class="ad-sr"> {words(r)}</span></button></li>
							))}
						</ul>
					)}
					<form class="ad-form ad-override-form" onSubmit={add}>
						{f.check("closed", t("overrides.close_day"))}
						{doc.closed ? null : <div class="ad-grid">{f.text("start", t("hours.start"), { type: "time" })}{f.text("end", t("hours.end"), { type: "time" })}</div>}
						<button class="ad-btn" type="submit">{t("closures.preview")}</button>
					</form>
					{w.panel}
				</div>
			</div>
		</section>
	);
}
