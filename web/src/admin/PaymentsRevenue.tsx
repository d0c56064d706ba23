// PaymentsRevenue.tsx - money actually received, on the analytics page
// (GET …/payments/revenue): what payments brought in and refunds gave back over the same
// dates, by method, and the reconciliation report (GET …/payments.csv) for those dates.
import { useEffect, useState } from "preact/hooks";
import type { paths } from "../shared/api-types";
import { locale, t } from "../shared/i18n";
import { formatMoney } from "../shared/time";
import { Notice } from "../shared/ui";
import { call, staff } from "./staffApi";

type Revenue = paths["/api/v1/businesses/{business}/payments/revenue"]["get"]["responses"]["200"]["content"]["application/json"];

/** from and to are the analytics page's dates (YYYY-MM-DD, both included). */
export function PaymentsRevenue({ slug, from, to, version }: { slug: string; from: string; to: string; version: number }) {
	const [r, setR] = useState<Revenue | null>(null);
	const [error, setError] = useState("");
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/payments/revenue", { params: { path: { business: slug }, query: { from, to } } }))
			.then((x) => { setR(x); setError(""); })
			.catch(() => setError(t("error.load")));
	}, [version]);
	if (!r) return error ? <Notice kind="error">{error}</Notice> : null;
	const loc = locale();
	const used = (r.by_method || []).filter((m) => m.received?.amount_minor || m.refunded?.amount_minor);
	const csv = "/api/v1/businesses/" + encodeURIComponent(slug) + "/payments.csv?from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to);
	return (
		<section class="ad-revenue" aria-labelledby="rev-title">
			<h2 id="rev-title" class="ad-h2">{t("revenue.title")}</h2>
			<dl class="ad-summary">
				<div><dt>{t("revenue.received")}</dt><dd data-revenue-received>{formatMoney(r.received, loc)}</dd></div>
				<div><dt>{t("revenue.refunded")}</dt><dd>{formatMoney(r.refunded, loc)}</dd></div>
				<div><dt>{t("revenue.net")}</dt><dd data-revenue-net>{formatMoney(r.net, loc)}</dd></div>
			</dl>
			{used.length ? (
				<div class="ad-table-wrap">
					<table class="ad-table ad-stack">
						<caption class="ad-muted">{t("revenue.by_method")}</caption>
						<thead>
							<tr>
								<th scope="col">{t("pay.method")}</th>
								<th scope="col">{t("revenue.received")}</th>
								<th scope="col">{t("revenue.refunded")}</th>
								<th scope="col">{t("revenue.net")}</th>
							</tr>
						</thead>
						<tbody>
							{used.map((m) => (
								<tr key={m.method}>
									<td data-label={t("pay.method")}>{t("paymethod." + m.method)}</td>
									<td data-label={t("revenue.received")}>{formatMoney(m.received, loc)}</td>
									<td data-label={t("revenue.refunded")}>{formatMoney(m.refunded, loc)}</td>
									<td data-label={t("revenue.net")}>{formatMoney(m.net, loc)}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			) : <p class="ad-muted">{t("pay.none")}</p>}
			<p><a href={csv} download={"payments-" + from + "-" + to + ".csv"} data-reconciliation>{t("revenue.csv")}</a></p>
		</section>
	);
}
