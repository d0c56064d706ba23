// Compare.tsx - several services side by side for one day (several bikes for a Saturday, say):
// one availability query (`services=a,b,c`) answers each one's free times; each column links
// to booking that service. Shown at /book/{business}?compare=a,b,c&date=YYYY-MM-DD.
import { useEffect, useState } from "preact/hooks";
import { type Business, type Day, type Service, type Slot, call, client } from "../shared/api";
import { locale, t } from "../shared/i18n";
import { addDays, civilOf, formatCivil, formatTime } from "../shared/time";
import { Frame, Loading, Notice, StepHeading } from "../shared/ui";
import "./compare.css";

/** The rentals a catalogue can compare (at most the 10 one query takes). */
export function comparable(services: Service[]): Service[] {
	return services.filter((s) => s.kind === "rental").slice(0, 10);
}

type Answer = { service?: string; days?: Day[] };

export function Compare({ slug, business, services, ids, date }: { slug: string; business: Business; services: Promise<unknown>; ids: string[]; date?: string }) {
	const loc = locale();
	const zone = business.timezone || "UTC";
	const [day, setDay] = useState(date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : civilOf(Date.now(), zone));
	const [catalogue, setCatalogue] = useState<Service[] | null>(null);
	const [answers, setAnswers] = useState<Answer[] | null>(null);
	const [error, setError] = useState("");
	useEffect(() => {
		services.then((r) => setCatalogue(((r as { services?: Service[] }).services) || []), () => setError(t("error.load")));
	}, []);
	const chosen = catalogue ? (ids.length ? ids.map((id) => catalogue.find((s) => s.id === id)).filter((s): s is Service => !!s) : comparable(catalogue)) : [];
	const key = chosen.map((s) => s.id).join(",");
	useEffect(() => {
		if (!key) return;
		setAnswers(null);
		call(client.GET("/api/v1/public/{business}/availability", { params: { path: { business: slug }, query: { services: key, from: day, to: day, tz: zone } } }))
			.then((a) => setAnswers(((a as { services?: Answer[] }).services) || []), () => setError(t("error.load")));
		const u = new URL(location.href);
		u.searchParams.set("date", day);
		history.replaceState(null, "", u.pathname + u.search);
	}, [key, day]);
	const slotsOf = (id: string): Slot[] => answers?.find((a) => a.service === id)?.days?.[0]?.slots || [];
	const span = (s: Slot) => formatTime(s.start || "", zone, loc) + " – " + formatTime((s.returns?.length ? s.last_start : s.end) || "", zone, loc);
	return (
		<Frame business={business}>
			<StepHeading>{t("compare.title")}</StepHeading>
			<div class="bk-compare-day">
				<button type="button" class="bk-btn" onClick={() => setDay(addDays(day, -1))} aria-label={t("compare.prev")}>‹</button>
				<input class="bk-compare-date" type="date" aria-label={t("compare.date")} value={day} onChange={(e) => { const v = (e.target as HTMLInputElement).value; if (v) setDay(v); }} />
				<button type="button" class="bk-btn" onClick={() => setDay(addDays(day, 1))} aria-label={t("compare.next")}>›</button>
				<span class="bk-compare-long">{formatCivil(day, loc)}</span>
			</div>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{!catalogue || (key && !answers) ? <Loading /> : chosen.length === 0 ? <p>{t("compare.nothing")}</p> : (
				<ul class="bk-compare" aria-live="polite">
					{chosen.map((s) => {
						const slots = slotsOf(s.id || "");
						return (
							<li key={s.id} class="bk-compare-col" data-compare={s.id}>
								<h2 class="bk-compare-name">{s.name}</h2>
								{slots.length === 0 ? <p class="bk-compare-none">{t("compare.none")}</p> : (
									<ul class="bk-compare-slots">
										{slots.map((x) => (
											<li key={x.start}>
												{s.kind === "rental" ? (x.returns?.length ? t("compare.pickup", { span: span(x) }) : span(x)) : formatTime(x.start || "", zone, loc)}
												{s.kind === "rental" && x.resources?.length ? <span class="bk-compare-n"> · {t("compare.free_n", { n: x.resources.length })}</span> : null}
											</li>
										))}
									</ul>
								)}
								<a class="bk-btn bk-btn-primary" href={"/book/" + encodeURIComponent(slug) + "/" + encodeURIComponent(s.id || "")}>{t("compare.book", { name: s.name || "" })}</a>
							</li>
						);
					})}
				</ul>
			)}
			<p><a class="bk-link" href={"/book/" + encodeURIComponent(slug)}>{t("compare.back")}</a></p>
		</Frame>
	);
}
