// BookingPayments.tsx - a booking's money in its detail (GET …/bookings/{booking}/payments):
// what is due and paid, each charge and refund with its state (a refund waiting for the
// provider shows its attempts and last error), what cancelling now would give back, a form
// to record money taken or given back by hand (cash, card terminal, bank transfer), and
// force majeure: cancel with everything paid given back, with a reason (admin; audited).
import { useEffect, useState } from "preact/hooks";
import type { components } from "../shared/api-types";
import { locale, t } from "../shared/i18n";
import { formatMoney, formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { ApiError, call, staff } from "./staffApi";

type BookingPayments = components["schemas"]["BookingPayments"];
const METHODS = ["cash", "card_terminal", "bank_transfer"];
const OPEN = ["pending", "confirmed", "checked_in", "completed", "no_show", "cancelled"];

export function BookingPayments({ slug, zone, reference, status, onChanged }: { slug: string; zone: string; reference: string; status: string; onChanged: () => void }) {
	const [p, setP] = useState<BookingPayments | null>(null);
	const [error, setError] = useState("");
	const [done, setDone] = useState("");
	const [method, setMethod] = useState("cash");
	const [kind, setKind] = useState("charge");
	const [amount, setAmount] = useState("");
	const [note, setNote] = useState("");
	const [fmReason, setFmReason] = useState("");
	const path = { business: slug, booking: reference };
	const loc = locale();
	const load = async () => {
		try {
			setP(await call(staff.GET("/api/v1/businesses/{business}/bookings/{booking}/payments", { params: { path } })));
		} catch {
			setError(t("error.load"));
		}
	};
	useEffect(() => {
		load();
	}, [reference, status]);
	if (!p) return error ? <Notice kind="error">{error}</Notice> : null;
	const st = p.payment!;
	const currency = st.due?.currency || st.paid?.currency || "EUR";
	const digits = new Intl.NumberFormat(loc, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
	const fail = (e: unknown) => setError(e instanceof ApiError ? e.problem.detail || e.message : t("error.generic"));
	const record = async (e: Event) => {
		e.preventDefault();
		setError("");
		setDone("");
		const minor = Math.round(Number(amount) * Math.pow(10, digits));
		try {
			const body: Record<string, unknown> = { method, kind, amount_minor: minor };
			if (note.trim()) body.note = note.trim();
			setP(await call(staff.POST("/api/v1/businesses/{business}/bookings/{booking}/payments", { params: { path }, body } as never)) as BookingPayments);
			setDone(t(kind === "refund" ? "pay.recorded_refund" : "pay.recorded", { amount: formatMoney({ amount_minor: minor, currency }, loc) }));
			setAmount("");
			setNote("");
			onChanged();
		} catch (err) {
			fail(err);
		}
	};
	const forceMajeure = async () => {
		setError("");
		setDone("");
		try {
			setP(await call(staff.POST("/api/v1/businesses/{business}/bookings/{booking}/force-majeure", { params: { path }, body: { reason: fmReason.trim() } } as never)) as BookingPayments);
			setDone(t("pay.force_majeure_done"));
			onChanged();
		} catch (err) {
			fail(err);
		}
	};
	const refundIf = p.refund_if_cancelled;
	return (
		<section class="ad-payments" aria-labelledby="pay-title" data-payment-state={st.state}>
			<h3 id="pay-title" class="ad-h3">{t("pay.section")}</h3>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{done ? <Notice kind="ok">{done}</Notice> : null}
			<dl class="ad-dl">
				<dt>{t("pay.state")}</dt>
				<dd data-pay-state>{t("paystate." + st.state)}</dd>
				{st.mode !== "none" ? (
					<>
						<dt>{t("pay.asked")}</dt>
						<dd>{t("paymode." + st.mode)} · {formatMoney(st.due, loc)}{st.expires_at ? " · " + t("pay.until", { when: formatWhen(st.expires_at, zone, loc) }) : ""}</dd>
					</>
				) : null}
				<dt>{t("pay.paid_label")}</dt>
				<dd data-pay-paid>{formatMoney(st.paid, loc)}{st.refunded?.amount_minor ? " · " + t("pay.refunded_label", { amount: formatMoney(st.refunded, loc) }) : ""}{st.refund_pending?.amount_minor ? " · " + t("pay.refund_pending_label", { amount: formatMoney(st.refund_pending, loc) }) : ""}</dd>
				{refundIf && OPEN.slice(0, 3).includes(status) ? (
					<>
						<dt>{t("pay.if_cancelled")}</dt>
						<dd>{t("pay.if_cancelled_text", { policy: formatMoney(refundIf.policy, loc), percent: refundIf.policy_percent ?? 0, full: formatMoney(refundIf.full, loc) })}</dd>
					</>
				) : null}
			</dl>
			{(p.payments || []).length ? (
				<div class="ad-table-wrap">
					<table class="ad-table ad-stack ad-payment-list">
						<thead>
							<tr>
								<th scope="col">{t("pay.col.when")}</th>
								<th scope="col">{t("pay.col.what")}</th>
								<th scope="col">{t("pay.col.amount")}</th>
								<th scope="col">{t("pay.col.state")}</th>
							</tr>
						</thead>
						<tbody>
							{(p.payments || []).map((x) => (
								<tr key={x.id} data-payment={x.id} data-kind={x.kind} data-status={x.status}>
									<td data-label={t("pay.col.when")}>{x.updated_at ? formatWhen(x.updated_at, zone, loc) : ""}</td>
									<td data-label={t("pay.col.what")}>{t("paykind." + x.kind)} · {t("paymethod." + x.method)}{x.reason ? " · " + x.reason : ""}</td>
									<td data-label={t("pay.col.amount")}>{formatMoney(x.amount, loc)}</td>
									<td data-label={t("pay.col.state")}>
										{t("paystatus." + x.status)}
										{x.kind === "refund" && x.attempts ? <span class="ad-muted"> · {t("pay.attempts", { n: x.attempts })}</span> : null}
										{x.last_error ? <span class="ad-muted"> · {x.last_error}</span> : null}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			) : <p class="ad-muted">{t("pay.none")}</p>}
			{OPEN.includes(status) ? (
				<form class="ad-form ad-record-payment" onSubmit={record} aria-labelledby="pay-record-title">
					<h4 id="pay-record-title" class="ad-h4">{t("pay.record")}</h4>
					<div class="ad-grid">
						<label class="ad-field">
							<span>{t("pay.kind")}</span>
							<select name="kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
								<option value="charge">{t("paykind.charge")}</option>
								<option value="refund">{t("paykind.refund")}</option>
							</select>
						</label>
						<label class="ad-field">
							<span>{t("pay.method")}</span>
							<select name="method" value={method} onChange={(e) => setMethod((e.target as HTMLSelectElement).value)}>
								{METHODS.map((m) => <option key={m} value={m}>{t("paymethod." + m)}</option>)}
							</select>
						</label>
						<label class="ad-field">
							<span>{t("pay.amount", { currency })}</span>
							<input name="amount" type="number" min="0" step={digits ? String(Math.pow(10, -digits)) : "1"} required value={amount} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />
						</label>
						<label class="ad-field">
							<span>{t("pay.note")}</span>
							<input name="note" maxLength={500} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
						</label>
					</div>
					<button type="submit" class="ad-btn">{t("pay.record_button")}</button>
				</form>
			) : null}
			{OPEN.slice(0, 2).includes(status) ? (
				<div class="ad-force-majeure">
					<h4 class="ad-h4">{t("pay.force_majeure")}</h4>
					<p class="ad-muted">{t("pay.force_majeure_help", { amount: formatMoney(refundIf?.force_majeure, loc) })}</p>
					<label class="ad-field">
						<span>{t("pay.force_majeure_reason")}</span>
						<input name="force_majeure_reason" value={fmReason} onInput={(e) => setFmReason((e.target as HTMLInputElement).value)} />
					</label>
					<button type="button" class="ad-btn ad-btn-danger" disabled={!fmReason.trim()} onClick={forceMajeure}>{t("pay.force_majeure_button")}</button>
				</div>
			) : null}
		</section>
	);
}
