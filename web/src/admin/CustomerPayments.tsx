// CustomerPayments.tsx - a customer's payment history on their profile
// (GET …/customers/{customer}/payments): every charge and refund of their bookings, with
// the totals paid and given back.
import { useEffect, useState } from "preact/hooks";
import type { paths } from "../shared/api-types";
import { locale, t } from "../shared/i18n";
import { formatMoney, formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { call, staff } from "./staffApi";

type Answer = paths["/api/v1/businesses/{business}/customers/{customer}/payments"]["get"]["responses"]["200"]["content"]["application/json"];

export function CustomerPayments({ slug, zone, id, onOpen }: { slug: string; zone: string; id: string; onOpen: (reference: string) => void }) {
	const [a, setA] = useState<Answer | null>(null);
	const [error, setError] = useState("");
	const loc = locale();
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/customers/{customer}/payments", { params: { path: { business: slug, customer: id } } }))
			.then(setA)
			.catch(() => setError(t("error.load")));
	}, [id]);
	if (!a) return error ? <Notice kind="error">{error}</Notice> : null;
	return (
		<section class="ad-customer-payments" aria-labelledby="cust-pay-title">
			<h3 id="cust-pay-title" class="ad-h3">{t("pay.history")}</h3>
			<p data-customer-paid>{t("pay.customer_totals", { paid: formatMoney(a.paid, loc), refunded: formatMoney(a.refunded, loc) })}</p>
			{(a.payments || []).length === 0 ? <p class="ad-muted">{t("pay.none")}</p> : (
				<div class="ad-table-wrap">
					<table class="ad-table ad-stack">
						<thead>
							<tr>
								<th scope="col">{t("pay.col.when")}</th>
								<th scope="col">{t("pay.col.booking")}</th>
								<th scope="col">{t("pay.col.what")}</th>
								<th scope="col">{t("pay.col.amount")}</th>
								<th scope="col">{t("pay.col.state")}</th>
							</tr>
						</thead>
						<tbody>
							{(a.payments || []).map((x) => (
								<tr key={x.id}>
									<td data-label={t("pay.col.when")}>{x.updated_at ? formatWhen(x.updated_at, zone, loc) : ""}</td>
									<td data-label={t("pay.col.booking")}>
										<button type="button" class="ad-link" onClick={() => onOpen(x.booking || "")}>{x.booking}</button>
									</td>
									<td data-label={t("pay.col.what")}>{t("paykind." + x.kind)} · {t("paymethod." + x.method)}</td>
									<td data-label={t("pay.col.amount")}>{formatMoney(x.amount, loc)}</td>
									<td data-label={t("pay.col.state")}>{t("paystatus." + x.status)}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
		</section>
	);
}
