// PriceLines.tsx - a price's breakdown (dynamic pricing: the base, or a rental's days and
// hours, each rule that applied, each add-on, a tier discount) and its total, as the quote
// route and the staff booking detail give it. Used by the booking page and the dashboard.
import type { components } from "./api-types";
import { locale, t } from "./i18n";
import { formatMoney } from "./time";

type Line = components["schemas"]["PriceLine"];

function label(l: Line, currency: string): string {
	const unit = formatMoney({ amount_minor: l.unit_minor, currency }, locale());
	if (l.kind === "days") return t("price.days", { n: String(l.quantity), unit });
	if (l.kind === "hours") return t("price.hours", { n: String(l.quantity), unit });
	if (l.kind === "base" && l.quantity > 1) return t("price.base_seats", { name: l.label, n: String(l.quantity), unit });
	if (l.kind === "rule" && l.bp) {
		const pct = (l.bp - 10000) / 100;
		return t("price.rule_percent", { name: l.label, percent: (pct > 0 ? "+" : "") + pct.toLocaleString(locale()) });
	}
	if (l.kind === "tier") return t("price.tier", { name: l.label });
	return l.label;
}

export function PriceLines({ lines, total, currency }: { lines: Line[]; total: number; currency: string }) {
	return (
		<table class="price-lines">
			<caption class="price-caption">{t("price.breakdown")}</caption>
			<tbody>
				{lines.map((l, i) => (
					<tr key={i} data-kind={l.kind}>
						<th scope="row">{label(l, currency)}</th>
						<td>{formatMoney({ amount_minor: l.amount_minor, currency }, locale())}</td>
					</tr>
				))}
			</tbody>
			<tfoot>
				<tr>
					<th scope="row">{t("price.total")}</th>
					<td data-total={total}>{formatMoney({ amount_minor: total, currency }, locale())}</td>
				</tr>
			</tfoot>
		</table>
	);
}
