// PriceQuote.tsx - what the held time will cost, stated before booking: the public quote
// route's total and lines (dynamic pricing: seasons, weekdays, times of day, a rental's days
// and hours) and the add-ons the service offers as choices. Choosing an add-on takes the hold
// again with it (its time may lengthen the booking), so the booked price is the one shown.
import { useEffect, useState } from "preact/hooks";
import type { components } from "../shared/api-types";
import { call, client } from "../shared/api";
import { locale, t } from "../shared/i18n";
import { PriceLines } from "../shared/PriceLines";
import { formatMoney } from "../shared/time";

type Quote = components["schemas"]["Quote"];

export function PriceQuote(p: { slug: string; service: string; start: string; end?: string; seats: number; addons: string[]; location?: string; busy: boolean; onAddons: (next: string[]) => void }) {
	const [q, setQ] = useState<Quote | null>(null);
	const key = [p.service, p.start, p.end, p.seats, p.addons.join(","), p.location].join("|");
	useEffect(() => {
		const query: Record<string, string> = { service: p.service, start: p.start };
		if (p.end) query.end = p.end;
		if (p.seats > 1) query.seats = String(p.seats);
		if (p.addons.length) query.addons = p.addons.join(",");
		if (p.location) query.location = p.location;
		call(client.GET("/api/v1/public/{business}/quote", { params: { path: { business: p.slug }, query: query as never } }))
			.then(setQ)
			.catch(() => setQ(null));
	}, [key]);
	if (!q) return null;
	const currency = q.total.currency || "EUR";
	return (
		<div class="bk-quote" aria-live="polite">
			{q.addons_offered.length ? (
				<fieldset class="bk-addons">
					<legend>{t("price.addons")}</legend>
					{q.addons_offered.map((a) => (
						<label key={a.id} class="bk-check">
							<input type="checkbox" name={"addon_" + a.id} checked={p.addons.includes(a.id!)} disabled={p.busy}
								onChange={(e) => p.onAddons((e.target as HTMLInputElement).checked ? [...p.addons, a.id!] : p.addons.filter((x) => x !== a.id))} />{" "}
							{t("price.addon_choice", { name: a.name!, price: formatMoney(a.price, locale()) })}
						</label>
					))}
				</fieldset>
			) : null}
			<PriceLines lines={q.lines} total={q.total.amount_minor ?? 0} currency={currency} />
		</div>
	);
}
