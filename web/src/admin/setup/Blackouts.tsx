// Blackouts.tsx - a rented item's blackouts (admin): ranges in which it cannot be rented at all
// (maintenance, season closed), in the business's zone. Adding or deleting one is previewed
// first: the impact list shows the bookings that fall in it.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../../shared/i18n";
import { formatSpan } from "../../shared/time";
import { instantOf, plusDays, todayIn } from "../zone";
import { cat } from "./catalog";
import { type Row, binder, useWrite } from "./kit";

/** "2026-06-16T14:00" (a wall time of zone) -> RFC 3339 with the zone's offset. */
function instant(local: string, zone: string): string {
	return local ? instantOf(new Date(local + ":00Z"), zone) : "";
}

export function Blackouts({ slug, zone, resource, name }: { slug: string; zone: string; resource: string; name: string }) {
	const tomorrow = plusDays(todayIn(zone), 1);
	const [rows, setRows] = useState<Row[]>([]);
	const [doc, setDoc] = useState<Row>({ start: tomorrow + "T00:00", end: plusDays(tomorrow, 1) + "T00:00", reason: "" });
	const w = useWrite(zone);
	const f = binder(doc, setDoc, w.errors);
	const load = async () => setRows((await cat<{ blackouts?: Row[] }>("GET", slug, "/blackouts", { query: { resource } })).blackouts || []);
	useEffect(() => { load(); }, [resource]);
	const add = (e: Event) => {
		e.preventDefault();
		const body = { resource, start: instant(String(doc.start), zone), end: instant(String(doc.end), zone), reason: doc.reason };
		w.write(t("blackouts.adding", { span: body.start && body.end ? formatSpan(body.start, body.end, zone, locale()) : "" }), (dry) => cat("POST", slug, "/blackouts", { body, dry }), true, () => { load(); });
	};
	const remove = (r: Row) =>
		w.write(t("blackouts.removing", { span: formatSpan(String(r.start), String(r.end), zone, locale()) }), (dry) => cat("DELETE", slug, "/blackouts/{blackout}", { params: { blackout: String(r.id) }, dry }), true, () => { load(); });
	return (
		<section class="ad-blackouts" aria-labelledby="bo-title">
			<h3 id="bo-title" class="ad-h2">{t("blackouts.title", { name })}</h3>
			<p class="ad-muted">{t("blackouts.hint")}</p>
			{rows.length === 0 ? <p>{t("blackouts.none")}</p> : (
				<ul class="ad-list" data-blackouts="">
					{rows.map((r) => {
						const span = formatSpan(String(r.start), String(r.end), zone, locale());
						return <li key={String(r.id)}>{span}{r.reason ? " · " + String(r.reason) : ""}{" "}<button class="ad-link" type="button" onClick={() => remove(r)}>{t("hours.delete")}<span class="ad-sr"> {span}</span></button></li>;
					})}
				</ul>
			)}
			<div class="ad-grid">
				{f.text("start", t("hours.start"), { type: "datetime-local", required: true })}
				{f.text("end", t("hours.end"), { type: "datetime-local", required: true })}
				{f.text("reason", t("timeoff.reason"))}
			</div>
			<button class="ad-btn" type="button" onClick={add}>{t("blackouts.add")}</button>
			{w.panel}
		</section>
	);
}
