// AnalyticsView.tsx - the business's figures (admin): bookings over time, by service and by
// provider, cancellation and no-show rates, lead time, utilisation and a weekday x hour heat
// map, from GET …/analytics (by=service, by=provider and by=referral). Each figure is a chart, a table of
// the same numbers and a CSV download (ChartFigure.tsx). Chart.js comes in its own chunk
// (charts.ts), imported only when this page opens.
import { useEffect, useMemo, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatCivil, formatDuration, formatMoney, weekdayNames } from "../shared/time";
import { Loading, Notice } from "../shared/ui";
import { type Cell, ChartFigure, type ChartsModule, type FigureData } from "./ChartFigure";
import { PaymentsRevenue } from "./PaymentsRevenue";
import { type Analytics, type Session, call, staff } from "./staffApi";
import { plusDays, todayIn } from "./zone";

type Group = "day" | "week" | "month";
type Metrics = NonNullable<Analytics["totals"]>;

export function AnalyticsView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const today = todayIn(zone);
	const [from, setFrom] = useState(plusDays(today, -28));
	const [to, setTo] = useState(plusDays(today, 27));
	const [group, setGroup] = useState<Group>("week");
	const [data, setData] = useState<{ svc: Analytics; prov: Analytics; ref: Analytics } | null>(null);
	const [charts, setCharts] = useState<ChartsModule | null>(null);
	const [error, setError] = useState("");
	const [revenueVersion, setRevenueVersion] = useState(0);

	const load = async () => {
		setError("");
		const q = (by: "service" | "provider" | "referral") => call(staff.GET("/api/v1/businesses/{business}/analytics", {
			params: { path: { business: slug }, query: { from, to, group, by } },
		})) as Promise<Analytics>;
		try {
			const [svc, prov, ref] = await Promise.all([q("service"), q("provider"), q("referral")]);
			setData({ svc, prov, ref });
			setRevenueVersion((v) => v + 1); // the money received over the same dates
		} catch (e) {
			const p = (e as { problem?: { errors?: { field?: string; detail?: string }[]; detail?: string } }).problem;
			setError(p?.errors?.map((x) => x.field + ": " + x.detail).join("; ") || p?.detail || t("error.load"));
		}
	};
	useEffect(() => {
		load();
		import("./charts").then(setCharts, () => setError(t("error.load")));
	}, []);

	const figs = useMemo(() => (data ? figures(data.svc, data.prov, data.ref) : []), [data]);
	return (
		<section aria-labelledby="an-title" class="ad-analytics">
			<h1 id="an-title" class="ad-title">{t("analytics.title")}</h1>
			<form class="ad-toolbar" onSubmit={(e) => { e.preventDefault(); load(); }}>
				<label class="ad-field-inline"><span>{t("analytics.from")}</span><input name="from" type="date" required value={from} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
				<label class="ad-field-inline"><span>{t("analytics.to")}</span><input name="to" type="date" required value={to} onChange={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
				<label class="ad-field-inline">
					<span>{t("analytics.group")}</span>
					<select name="group" value={group} onChange={(e) => setGroup((e.target as HTMLSelectElement).value as Group)}>
						{(["day", "week", "month"] as const).map((g) => <option key={g} value={g}>{t(`analytics.group.${g}`)}</option>)}
					</select>
				</label>
				<button class="ad-btn ad-btn-primary" type="submit">{t("analytics.show")}</button>
			</form>
			<p class="ad-muted">{t("analytics.zone", { zone })}</p>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{!data && !error ? <Loading /> : null}
			{data ? <Summary m={data.svc.totals || {}} /> : null}
			{data ? <PaymentsRevenue slug={slug} from={from} to={to} version={revenueVersion} /> : null}
			<div class="ad-figures">
				{figs.map((f) => <ChartFigure key={f.id} fig={f} charts={charts} fileName={"analytics-" + f.id + "-" + (data?.svc.from || from) + "-" + (data?.svc.to || to) + ".csv"} />)}
			</div>
		</section>
	);
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "–" : new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(v));
const num = (v: number | undefined) => new Intl.NumberFormat(locale()).format(v || 0);
const n = (v: number | undefined): Cell => ({ text: num(v), value: v || 0 });
const rate = (v: number | null | undefined): Cell => ({ text: pct(v), value: v === null || v === undefined ? "" : v });
const txt = (s: string): Cell => ({ text: s, value: s });

function Summary({ m }: { m: Metrics }) {
	const lead = m.lead_time;
	const items: [string, string][] = [
		[t("analytics.sum.bookings"), num(m.bookings)],
		[t("analytics.sum.revenue"), formatMoney(m.revenue, locale())],
		[t("analytics.sum.cancellation"), pct(m.cancellation_rate)],
		[t("analytics.sum.no_show"), pct(m.no_show_rate)],
		[t("analytics.sum.lead_avg"), lead ? leadText(lead.average_s || 0) : "–"],
		[t("analytics.sum.lead_median"), lead ? leadText(lead.median_s || 0) : "–"],
	];
	return (
		<dl class="ad-summary">
			{items.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
		</dl>
	);
}

/** A lead time for people: whole days and hours past a day ("2 days 22 hr"), else as
 * formatDuration writes it; a negative one (booked after its start) reads as 0. */
function leadText(seconds: number): string {
	const s = Math.max(0, seconds);
	if (s < 86400) return formatDuration(Math.round(s / 60) * 60, locale());
	const unit = (n: number, u: string) => new Intl.NumberFormat(locale(), { style: "unit", unit: u, unitDisplay: "short" }).format(n);
	const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
	return unit(d, "day") + (h ? " " + unit(h, "hour") : "");
}

/** A period's label: its date, its week's dates, or its month. */
function periodLabel(from: string, to: string, group: string): string {
	const short = { day: "numeric", month: "short" } as const;
	if (group === "month") return formatCivil(from, locale(), { month: "long", year: "numeric" });
	if (group === "day" || from === to) return formatCivil(from, locale(), short);
	return formatCivil(from, locale(), short) + " – " + formatCivil(to, locale(), short);
}

function leadLabel(min: number | null | undefined, max: number | null | undefined): string {
	const d = (s: number) => formatDuration(s, locale());
	if (min === null || min === undefined) return t("analytics.lead.under", { max: d(max || 0) });
	if (max === null || max === undefined) return t("analytics.lead.over", { min: d(min) });
	return t("analytics.lead.between", { min: d(min), max: d(max) });
}

/** Every figure of the page from the three answers (split by service, provider, referral). */
function figures(svc: Analytics, prov: Analytics, ref: Analytics): FigureData[] {
	const L = locale();
	const group = svc.group || "week";
	const periods = svc.periods || [];
	const plabels = periods.map((p) => periodLabel(p.from || "", p.to || "", group));
	const st = (p: (typeof periods)[number], s: string) => p.totals?.by_status?.[s] || 0;
	const out: FigureData[] = [];

	out.push({
		id: "over-time", title: t("analytics.fig.over_time"),
		columns: [t("analytics.col.period"), t("analytics.col.bookings"), t("status.cancelled"), t("status.no_show"), t("analytics.col.revenue")],
		rows: periods.map((p, i) => [{ text: plabels[i], value: p.from || "" }, n(p.totals?.bookings), n(st(p, "cancelled")), n(st(p, "no_show")), { text: formatMoney(p.totals?.revenue, L), value: p.totals?.revenue?.amount_minor || 0 }]),
		spec: { kind: "bar", labels: plabels, series: [{ label: t("analytics.col.bookings"), values: periods.map((p) => p.totals?.bookings || 0) }], locale: L },
	});

	const split = (id: string, title: string, col: string, a: Analytics): FigureData => {
		const gs = a.groups || [];
		const names = gs.map((g) => g.name || g.key || t("analytics.none"));
		return {
			id, title,
			columns: [col, t("analytics.col.bookings"), t("analytics.col.cancellation"), t("analytics.col.no_show"), t("analytics.col.revenue")],
			rows: gs.map((g, i) => [txt(names[i]), n(g.bookings), rate(g.cancellation_rate), rate(g.no_show_rate), { text: formatMoney(g.revenue, L), value: g.revenue?.amount_minor || 0 }]),
			spec: { kind: "bar", labels: names, horizontal: true, series: [{ label: t("analytics.col.bookings"), values: gs.map((g) => g.bookings || 0) }], locale: L },
		};
	};
	out.push(split("by-service", t("analytics.fig.by_service"), t("analytics.col.service"), svc));
	out.push(split("by-provider", t("analytics.fig.by_provider"), t("analytics.col.provider"), prov));
	out.push(split("by-referral", t("analytics.fig.by_referral"), t("analytics.col.referral"), ref));

	out.push({
		id: "rates", title: t("analytics.fig.rates"),
		columns: [t("analytics.col.period"), t("analytics.col.cancellation"), t("analytics.col.no_show")],
		rows: periods.map((p, i) => [{ text: plabels[i], value: p.from || "" }, rate(p.totals?.cancellation_rate), rate(p.totals?.no_show_rate)]),
		spec: {
			kind: "line", labels: plabels, percent: true, locale: L,
			series: [
				{ label: t("analytics.col.cancellation"), values: periods.map((p) => p.totals?.cancellation_rate ?? 0) },
				{ label: t("analytics.col.no_show"), values: periods.map((p) => p.totals?.no_show_rate ?? 0) },
			],
		},
	});

	const hist = svc.lead_time_histogram || [];
	const hl = hist.map((b) => leadLabel(b.min_s, b.max_s));
	out.push({
		id: "lead-time", title: t("analytics.fig.lead_time"),
		columns: [t("analytics.col.lead_time"), t("analytics.col.bookings")],
		rows: hist.map((b, i) => [txt(hl[i]), n(b.bookings)]),
		spec: { kind: "bar", labels: hl, series: [{ label: t("analytics.col.bookings"), values: hist.map((b) => b.bookings || 0) }], locale: L },
	});

	const use = svc.utilisation || [];
	out.push({
		id: "utilisation", title: t("analytics.fig.utilisation"),
		columns: [t("analytics.col.bookable"), t("analytics.col.open"), t("analytics.col.booked"), t("analytics.col.utilisation")],
		rows: use.map((u) => [txt(u.name || u.id || ""), { text: formatDuration(u.open_s || 0, L), value: u.open_s || 0 }, { text: formatDuration(u.booked_s || 0, L), value: u.booked_s || 0 }, rate(u.utilisation)]),
		spec: { kind: "bar", horizontal: true, percent: true, labels: use.map((u) => u.name || ""), series: [{ label: t("analytics.col.utilisation"), values: use.map((u) => u.utilisation ?? 0) }], locale: L },
	});

	const heat = svc.heatmap || [];
	const days = weekdayNames(L, "short");
	const hours = [...Array(24).keys()].map((h) => String(h).padStart(2, "0"));
	out.push({
		id: "heatmap", title: t("analytics.fig.heatmap"),
		columns: [t("analytics.col.day"), ...hours],
		rows: heat.map((row, d) => [txt(days[d]), ...row.map((v) => n(v))]),
		spec: { kind: "heat", labels: hours, rows: days, series: heat.map((row, d) => ({ label: days[d], values: row })), locale: L },
	});
	return out;
}
