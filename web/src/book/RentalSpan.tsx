// RentalSpan.tsx - a rental's start and end inside one free range the server offered (never
// outside it), in steps of the service's length (half hours for longer hourly rentals).
import { useEffect, useState } from "preact/hooks";
import { type Service, type Slot, call, client } from "../shared/api";
import { locale, t } from "../shared/i18n";
import { formatDuration, formatMoney, formatTime, formatWhen } from "../shared/time";

type Props = { slug?: string; slot: Slot; service: Service; zone: string; busy: boolean; onBack: () => void; onPick: (start: string, end: string) => void };

const MAX_OPTIONS = 96;

/* What the server charges for a span without pricing rules: the price per started unit of
 * the service's length (bookd's policy_price). Shown until the server's quote (dynamic
 * pricing: rates per day and per hour, rules) answers, which then replaces it. */
function spanPrice(service: Service, spanMs: number): Service["price"] {
	const unit = (service.duration_s || 3600) * 1000;
	const units = Math.max(1, Math.ceil(spanMs / unit - 1e-9));
	const price = service.price;
	return price ? { ...price, amount_minor: (price.amount_minor ?? 0) * units } : price;
}

export function RentalSpan({ slug, slot, service, zone, busy, onBack, onPick }: Props) {
	const loc = locale();
	const unit = (service.duration_s || 3600) * 1000;
	const step = unit >= 86400000 ? 86400000 : Math.min(unit, 1800000);
	const first = Date.parse(slot.start), rangeEnd = Date.parse(slot.end);
	const lastStart = Math.min(slot.last_start ? Date.parse(slot.last_start) : rangeEnd - unit, rangeEnd - unit);
	const starts: number[] = [];
	for (let s = first; s <= lastStart && starts.length < MAX_OPTIONS; s += step) starts.push(s);
	const [start, setStart] = useState(starts[0]);
	// An overnight item's range lists where it may be returned (inside opening hours).
	const rets = (slot.returns || []).map((r) => [Date.parse(r.from || ""), Date.parse(r.to || "")]);
	const ends: number[] = [];
	for (let e = start + unit; e <= rangeEnd && ends.length < MAX_OPTIONS; e += unit)
		if (!rets.length || rets.some(([a, b]) => e >= a && e <= b)) ends.push(e);
	const [endSel, setEnd] = useState(ends[0]);
	const end = ends.includes(endSel) ? endSel : ends[0];
	const [quoted, setQuoted] = useState<{ key: string; price: Service["price"] } | undefined>();
	const key = start + "-" + end;
	useEffect(() => {
		if (!slug || !end) return;
		const query = { service: service.id!, start: new Date(start).toISOString(), end: new Date(end).toISOString() };
		call(client.GET("/api/v1/public/{business}/quote", { params: { path: { business: slug }, query } }))
			.then((q) => setQuoted({ key, price: q.total }))
			.catch(() => setQuoted(undefined));
	}, [slug, key]);
	const price = quoted && quoted.key === key ? quoted.price : spanPrice(service, end - start);
	const show = (ms: number) => (unit >= 86400000 || rets.length ? formatWhen(ms, zone, loc) : formatTime(ms, zone, loc));
	const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
	return (
		<form
			class="bk-rental"
			onSubmit={(e) => {
				e.preventDefault();
				onPick(iso(start), iso(end));
			}}
		>
			<p>{t("rental.range", { from: formatWhen(first, zone, loc), to: formatTime(rangeEnd, zone, loc) })}</p>
			<div class="bk-field">
				<label for="bk-rental-start">{t("rental.start")}</label>
				<select id="bk-rental-start" value={String(start)} onChange={(e) => setStart(Number((e.target as HTMLSelectElement).value))}>
					{starts.map((s) => (
						<option key={s} value={String(s)}>
							{show(s)}
						</option>
					))}
				</select>
			</div>
			<div class="bk-field">
				<label for="bk-rental-end">{t("rental.end")}</label>
				<select id="bk-rental-end" value={String(end)} onChange={(e) => setEnd(Number((e.target as HTMLSelectElement).value))}>
					{ends.map((x) => (
						<option key={x} value={String(x)}>
							{show(x)} ({formatDuration((x - start) / 1000, loc)})
						</option>
					))}
				</select>
			</div>
			<p class="bk-rental-price" data-quoted={quoted && quoted.key === key ? "1" : undefined}>
				{t("rental.price", { length: formatDuration((end - start) / 1000, loc), price: formatMoney(price, loc) })}
			</p>
			<div class="bk-actions">
				<button type="button" class="bk-btn" onClick={onBack}>
					{t("rental.other")}
				</button>
				<button type="submit" class="bk-btn bk-btn-primary" disabled={busy || !end}>
					{t("rental.continue")}
				</button>
			</div>
		</form>
	);
}
