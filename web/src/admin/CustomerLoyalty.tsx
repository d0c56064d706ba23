// CustomerLoyalty.tsx - a customer's loyalty standing on their profile
// (GET …/customers/{customer}/loyalty): points, tier, lifetime value and visits, what the
// next tier still needs, every change (earned, reversed, adjusted) newest first, and the
// form by which staff add or take off points with a reason. Nothing shows while the
// business runs no programme.
import { useEffect, useState } from "preact/hooks";
import type { paths } from "../shared/api-types";
import { locale, t } from "../shared/i18n";
import { formatMoney, formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { fieldErrors, problemText } from "./setup/kit";
import { call, staff } from "./staffApi";
import "./loyalty.css";

type Answer = paths["/api/v1/businesses/{business}/customers/{customer}/loyalty"]["get"]["responses"]["200"]["content"]["application/json"];

export function CustomerLoyalty({ slug, zone, id, onOpen }: { slug: string; zone: string; id: string; onOpen: (reference: string) => void }) {
	const [a, setA] = useState<Answer | null>(null);
	const [error, setError] = useState("");
	const [points, setPoints] = useState("");
	const [reason, setReason] = useState("");
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const loc = locale();
	const params = { params: { path: { business: slug, customer: id } } };
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/customers/{customer}/loyalty", params))
			.then(setA)
			.catch(() => setError(t("error.load")));
	}, [id]);
	if (!a) return error ? <Notice kind="error">{error}</Notice> : null;
	if (!a.enabled && (a.history || []).length === 0) return null;

	async function adjust(e: Event) {
		e.preventDefault();
		setMsg(null);
		setErrors({});
		const n = Number(points);
		try {
			const r = await call(staff.POST("/api/v1/businesses/{business}/customers/{customer}/loyalty/adjustments", { ...params, body: { points: Number.isInteger(n) ? n : (points as unknown as number), reason } }));
			setA(r as Answer);
			setPoints("");
			setReason("");
			setMsg({ kind: "ok", text: t("loyalty.adjusted", { points: String(n) }) });
		} catch (err) {
			setErrors(fieldErrors(err));
			setMsg({ kind: "error", text: problemText(err, (f) => f === "points" || f === "reason") });
		}
	}
	const next = a.next_tier as ({ name?: string; remaining?: number } | null | undefined);
	const remaining = next && next.remaining !== undefined ? (a.tier_basis === "visits" ? t("loyalty.visits_more", { n: String(next.remaining) }) : formatMoney({ amount_minor: next.remaining, currency: a.lifetime_value?.currency }, loc)) : "";
	const fieldErr = (k: string) => (errors[k] ? <span class="ad-field-error" id={"loy-" + k + "-err"}>{errors[k]}</span> : null);
	return (
		<section class="ad-customer-loyalty" aria-labelledby="cust-loy-title" data-loyalty-points={a.points}>
			<h2 id="cust-loy-title" class="ad-h2">{t("loyalty.title")}</h2>
			<dl class="ad-loyalty-facts">
				<div><dt>{t("loyalty.points")}</dt><dd data-loyalty-balance>{a.points}</dd></div>
				<div><dt>{t("loyalty.tier")}</dt><dd data-loyalty-tier>{a.tier && (a.tier as { name?: string }).name ? (a.tier as { name?: string }).name : t("loyalty.no_tier")}</dd></div>
				<div><dt>{t("loyalty.value")}</dt><dd>{formatMoney(a.lifetime_value, loc)}</dd></div>
				<div><dt>{t("loyalty.visits")}</dt><dd>{a.visits}</dd></div>
			</dl>
			{next && next.name ? <p class="ad-muted" data-loyalty-next>{t("loyalty.next", { tier: next.name, remaining })}</p> : null}
			{(a.history || []).length === 0 ? <p class="ad-muted">{t("loyalty.none")}</p> : (
				<div class="ad-table-wrap">
					<table class="ad-table ad-stack" data-loyalty-history>
						<thead>
							<tr>
								<th scope="col">{t("loyalty.col.when")}</th>
								<th scope="col">{t("loyalty.col.what")}</th>
								<th scope="col">{t("loyalty.col.points")}</th>
								<th scope="col">{t("loyalty.col.balance")}</th>
							</tr>
						</thead>
						<tbody>
							{(a.history || []).map((h, i) => (
								<tr key={i} data-loyalty-kind={h.kind}>
									<td data-label={t("loyalty.col.when")}>{formatWhen(h.at, zone, loc)}</td>
									<td data-label={t("loyalty.col.what")}>
										{t("loyalty.kind." + h.kind)}
										{h.kind === "adjusted" ? <> · <span class="ad-break">{h.reason}</span></> : h.reason ? " · " + t("loyalty.reason." + h.reason) : ""}
										{h.booking ? <> · <button type="button" class="ad-link" onClick={() => onOpen(h.booking || "")}>{h.booking}</button></> : null}
									</td>
									<td data-label={t("loyalty.col.points")}>{h.points > 0 ? "+" + h.points : h.points}</td>
									<td data-label={t("loyalty.col.balance")}>{h.balance}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<form class="ad-loyalty-adjust" onSubmit={adjust} aria-labelledby="loy-adjust" noValidate>
				<h3 id="loy-adjust" class="ad-h3">{t("loyalty.adjust")}</h3>
				<label>
					{t("loyalty.adjust_points")}
					<input type="number" step="1" value={points} onInput={(e) => setPoints((e.target as HTMLInputElement).value)} aria-invalid={errors.points ? "true" : undefined} aria-describedby={errors.points ? "loy-points-err" : undefined} data-loyalty-adjust-points />
					{fieldErr("points")}
				</label>
				<label>
					{t("loyalty.adjust_reason")}
					<input type="text" maxLength={500} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} aria-invalid={errors.reason ? "true" : undefined} aria-describedby={errors.reason ? "loy-reason-err" : undefined} data-loyalty-adjust-reason />
					{fieldErr("reason")}
				</label>
				<button type="submit" class="ad-btn">{t("loyalty.adjust_save")}</button>
			</form>
			{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
		</section>
	);
}
