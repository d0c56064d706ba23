// BookingDetail.tsx - one booking as staff see it (GET …/bookings/{booking}): who, when,
// price, source, its history, its messages with their delivery, and every action its status
// allows through the staff API: confirm, check in, complete, no-show, cancel (with the
// cancellation policy and what a staff cancel refunds shown first), reschedule, and resend
// the customer's confirmation. Each change asks whether to tell the customer (notify); the
// customer's own time shows beside the business's where their zone reads differently. An
// event of the booking moved or deleted in a connected calendar shows (CalendarAttention).
import { useEffect, useRef, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatMoney, formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { SeriesPanel } from "./SeriesPanel";
import { CalendarAttention } from "./CalendarAttention";
import { BookingPayments } from "./BookingPayments";
import { PriceLines } from "../shared/PriceLines";
import { ApiError, type StaffBooking, call, staff } from "./staffApi";
import { customerTime, instantOf, wall } from "./zone";
import { BookingGroupPanel } from "./Groups";

type Action = "confirm" | "check-in" | "complete" | "no-show" | "cancel";
const ALLOWED: Record<string, Action[]> = {
	pending: ["confirm", "cancel"],
	confirmed: ["check-in", "no-show", "complete", "cancel"],
	checked_in: ["complete", "cancel"],
	held: [],
};
const MOVABLE = ["pending", "confirmed"];
const RESENDABLE = ["pending", "confirmed"];

function problemText(e: unknown): string {
	if (!(e instanceof ApiError)) return t("error.generic");
	const why = e.problem.detail || e.message;
	if (e.status === 429 && e.retryAfter !== undefined) return t("detail.resend_wait", { detail: why, seconds: e.retryAfter });
	const reason = (e.problem as { reason?: string }).reason;
	return reason ? why + " (" + reason + ")" : why;
}

export function BookingDetail({ slug, zone, reference, onClose, onChanged }: { slug: string; zone: string; reference: string; onClose: () => void; onChanged: () => void }) {
	const [b, setB] = useState<StaffBooking | null>(null);
	const [error, setError] = useState("");
	const [done, setDone] = useState("");
	const [reason, setReason] = useState("");
	const [moveTo, setMoveTo] = useState("");
	const [notify, setNotify] = useState(true);
	const [refundRule, setRefundRule] = useState("full"); // what a cancel gives back of payments
	const dialog = useRef<HTMLDialogElement>(null);
	const path = { business: slug, booking: reference };
	const load = async () => {
		try {
			setB(await call(staff.GET("/api/v1/businesses/{business}/bookings/{booking}", { params: { path } })));
		} catch {
			setError(t("error.load"));
		}
	};
	useEffect(() => {
		load();
		dialog.current?.showModal?.();
	}, [reference]);
	useEffect(() => {
		if (b?.start && !moveTo) setMoveTo(wall(b.start).slice(0, 16));
	}, [b]);
	const run = async (f: () => Promise<StaffBooking>, message: (nb: StaffBooking) => string) => {
		setError("");
		setDone("");
		try {
			const nb = await f();
			setB(nb);
			setDone(message(nb));
			onChanged();
		} catch (e) {
			setError(problemText(e));
		}
	};
	const act = (a: Action) =>
		run(async () => {
			const p = ("/api/v1/businesses/{business}/bookings/{booking}/" + a) as "/api/v1/businesses/{business}/bookings/{booking}/confirm";
			return (await call(staff.POST(p, { params: { path }, body: a === "cancel" ? { reason: reason || "cancelled by staff", notify, refund: refundRule } : { notify } } as never))) as StaffBooking;
		}, (nb) => t("detail.done", { status: t("status." + nb.status) }));
	const reschedule = (e: Event) => {
		e.preventDefault();
		if (!moveTo) return;
		const start = instantOf(new Date(moveTo + ":00Z"), zone);
		run(async () => (await call(staff.POST("/api/v1/businesses/{business}/bookings/{booking}/reschedule", { params: { path }, body: { start, notify } } as never))) as StaffBooking,
			(nb) => t("detail.moved", { when: formatWhen(nb.start || start, zone, locale()) }));
	};
	const resend = () =>
		run(async () => (await call(staff.POST("/api/v1/businesses/{business}/bookings/{booking}/resend", { params: { path }, body: {} }))) as StaffBooking,
			() => t("detail.resent", { email: b?.customer?.email || "" }));
	const close = () => {
		dialog.current?.close?.();
		onClose();
	};
	const allowed = b ? ALLOWED[b.status] || [] : [];
	const terms = b?.cancel_terms;
	const cancelUntil = (b?.policy as { cancel_until?: string } | undefined)?.cancel_until;
	return (
		<dialog class="ad-dialog" ref={dialog} aria-labelledby="detail-title" onClose={onClose}>
			<h2 id="detail-title" class="ad-h2">{t("detail.title", { reference })}</h2>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{done ? <Notice kind="ok">{done}</Notice> : null}
			{b ? (
				<>
					<dl class="ad-dl">
						<dt>{t("detail.customer")}</dt>
						<dd class="ad-break">
							{b.customer?.id ? <a href={"/admin/customers?customer=" + encodeURIComponent(b.customer.id)}>{b.customer?.name}</a> : b.customer?.name}
							{" · "}{b.customer?.email}{b.customer?.phone ? " · " + b.customer.phone : ""}
						</dd>
						<dt>{t("detail.when")}</dt>
						<dd>
							{formatWhen(b.start, zone, locale())} · {b.service?.name} · {b.provider?.name || b.resource?.name || ""}
							{customerTime(b.start, b.customer?.timezone, zone, locale()) ? (
								<span class="ad-their-time"><br />{t("detail.customer_time", { when: customerTime(b.start, b.customer?.timezone, zone, locale()) })}</span>
							) : null}
						</dd>
						<dt>{t("bookings.col.status")}</dt>
						<dd>{t("status." + b.status)}</dd>
						<dt>{t("detail.price")}</dt>
						<dd>
							{formatMoney(b.price, locale())}{b.refund ? " · " + t("detail.refunded", { amount: formatMoney(b.refund, locale()) }) : ""}
							{b.price_breakdown?.lines ? <PriceLines lines={b.price_breakdown.lines} total={b.price_breakdown.total_minor ?? 0} currency={b.price?.currency || "EUR"} /> : null}
						</dd>
						<dt>{t("detail.source")}</dt>
						<dd>{b.source}</dd>
						{b.referral ? <><dt>{t("detail.referral")}</dt><dd data-referral>{b.referral}</dd></> : null}
					</dl>
					<BookingGroupPanel slug={slug} zone={zone} bookingId={b.id} onChanged={onChanged} />
					<CalendarAttention slug={slug} booking={b} zone={zone} onError={(e) => setError(problemText(e))}
						onResolved={(nb) => { setB(nb); setDone(t("attention.resolved")); onChanged(); }} />
					{allowed.length || MOVABLE.includes(b.status) ? (
						<label class="ad-check"><input type="checkbox" name="notify" checked={notify} onChange={(e) => setNotify((e.target as HTMLInputElement).checked)} /> {t("change.notify")}</label>
					) : null}
					<div class="ad-actions">
						{allowed.filter((a) => a !== "cancel").map((a) => (
							<button key={a} type="button" class="ad-btn" onClick={() => act(a)}>{t("action." + a)}</button>
						))}
						{RESENDABLE.includes(b.status) && b.customer?.email ? (
							<button type="button" class="ad-btn" onClick={resend}>{t("detail.resend")}</button>
						) : null}
					</div>
					{MOVABLE.includes(b.status) ? (
						<form class="ad-toolbar ad-move" onSubmit={reschedule}>
							<label class="ad-field-inline">
								<span>{t("detail.move_to", { zone })}</span>
								<input type="datetime-local" name="move_to" value={moveTo} step={300} onInput={(e) => setMoveTo((e.target as HTMLInputElement).value)} />
							</label>
							<button type="submit" class="ad-btn">{t("detail.reschedule")}</button>
						</form>
					) : null}
					{allowed.includes("cancel") ? (
						<div class="ad-cancel">
							<h3 class="ad-h3">{t("detail.cancel_title")}</h3>
							{terms ? (
								<p class="ad-muted">
									{terms.customer_may_cancel
										? t("detail.policy_open", { until: cancelUntil ? formatWhen(cancelUntil, zone, locale()) : "", refund: formatMoney(terms.customer_refund, locale()), percent: terms.customer_refund_percent ?? 0 })
										: t("detail.policy_closed")}{" "}
									{t("detail.staff_refund", { amount: formatMoney(terms.staff_refund, locale()) })}
								</p>
							) : null}
							<label class="ad-field">
								<span>{t("detail.reason")}</span>
								<input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
							</label>
							<label class="ad-field">
								<span>{t("pay.cancel_refund")}</span>
								<select name="refund_rule" value={refundRule} onChange={(e) => setRefundRule((e.target as HTMLSelectElement).value)}>
									<option value="full">{t("pay.cancel_refund.full")}</option>
									<option value="policy">{t("pay.cancel_refund.policy")}</option>
								</select>
							</label>
							<button type="button" class="ad-btn ad-btn-danger" onClick={() => act("cancel")}>{t("action.cancel")}</button>
						</div>
					) : null}
					<BookingPayments slug={slug} zone={zone} reference={reference} status={b.status} onChanged={() => { load(); onChanged(); }} />
					<h3 class="ad-h3">{t("detail.messages")}</h3>
					{(b.messages || []).length === 0 ? <p class="ad-muted">{t("detail.no_messages")}</p> : (
						<div class="ad-table-wrap">
							<table class="ad-table ad-messages ad-stack">
								<thead>
									<tr>
										<th scope="col">{t("detail.msg.what")}</th>
										<th scope="col">{t("detail.msg.to")}</th>
										<th scope="col">{t("detail.msg.delivery")}</th>
									</tr>
								</thead>
								<tbody>
									{(b.messages || []).map((m) => (
										<tr key={m.id}>
											<td data-label={t("detail.msg.what")}>{t("event." + m.event)} <span class="ad-muted">({m.channel})</span></td>
											<td class="ad-break" data-label={t("detail.msg.to")}>{m.recipient}</td>
											<td data-label={t("detail.msg.delivery")}>
												<span class={"ad-delivery ad-delivery-" + m.status}>{t("delivery." + m.status)}</span>{" "}
												{m.sent_at ? formatWhen(m.sent_at, zone, locale()) : m.status === "pending" && m.due_at ? t("detail.msg.due", { when: formatWhen(m.due_at, zone, locale()) }) : ""}
												{m.last_error ? <span class="ad-muted"> · {m.last_error}</span> : null}
											</td>
										</tr>
									))}
								</tbody>
							</table>
						</div>
					)}
					<SeriesPanel slug={slug} zone={zone} reference={reference} onChanged={onChanged} />
					<h3 class="ad-h3">{t("detail.history")}</h3>
					<ol class="ad-history">
						{(b.history || []).map((h, i) => (
							<li key={i}>{h.at ? formatWhen(h.at, zone, locale()) : ""}: {h.kind}{h.to ? " → " + t("status." + h.to) : ""} ({h.actor}){h.reason ? ": " + h.reason : ""}</li>
						))}
					</ol>
				</>
			) : null}
			<div class="ad-actions">
				<button type="button" class="ad-btn" onClick={close}>{t("detail.close")}</button>
			</div>
		</dialog>
	);
}
