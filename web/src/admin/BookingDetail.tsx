// BookingDetail.tsx - one booking as staff see it (GET …/bookings/{booking}): who, when,
// price, source, its history, and the actions its status allows (confirm, check in,
// complete, no-show, cancel with a reason), each through the staff API and each asking
// whether to tell the customer (notify). The customer's own time shows beside the business's
// where their zone differs.
import { useEffect, useRef, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatMoney, formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { ApiError, type StaffBooking, call, staff } from "./staffApi";
import { customerTime } from "./zone";

type Action = "confirm" | "check-in" | "complete" | "no-show" | "cancel";
const ALLOWED: Record<string, Action[]> = {
	pending: ["confirm", "cancel"],
	confirmed: ["check-in", "no-show", "complete", "cancel"],
	checked_in: ["complete", "cancel"],
	held: [],
};

export function BookingDetail({ slug, zone, reference, onClose, onChanged }: { slug: string; zone: string; reference: string; onClose: () => void; onChanged: () => void }) {
	const [b, setB] = useState<StaffBooking | null>(null);
	const [error, setError] = useState("");
	const [done, setDone] = useState("");
	const [reason, setReason] = useState("");
	const [notify, setNotify] = useState(true);
	const dialog = useRef<HTMLDialogElement>(null);
	const load = async () => {
		try {
			setB(await call(staff.GET("/api/v1/businesses/{business}/bookings/{booking}", { params: { path: { business: slug, booking: reference } } })));
		} catch {
			setError(t("error.load"));
		}
	};
	useEffect(() => {
		load();
		dialog.current?.showModal?.();
	}, [reference]);
	const act = async (a: Action) => {
		setError("");
		try {
			const path = ("/api/v1/businesses/{business}/bookings/{booking}/" + a) as "/api/v1/businesses/{business}/bookings/{booking}/confirm";
			const nb = await call(staff.POST(path, { params: { path: { business: slug, booking: reference } }, body: a === "cancel" ? { reason: reason || "cancelled by staff", notify } : { notify } } as never)) as StaffBooking;
			setB(nb);
			setDone(t("detail.done", { status: t("status." + nb.status) }));
			onChanged();
		} catch (e) {
			setError(e instanceof ApiError ? e.problem.detail || e.message : t("error.generic"));
		}
	};
	const close = () => {
		dialog.current?.close?.();
		onClose();
	};
	return (
		<dialog class="ad-dialog" ref={dialog} aria-labelledby="detail-title" onClose={onClose}>
			<h2 id="detail-title" class="ad-h2">{t("detail.title", { reference })}</h2>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{done ? <Notice kind="ok">{done}</Notice> : null}
			{b ? (
				<>
					<dl class="ad-dl">
						<dt>{t("detail.customer")}</dt>
						<dd>{b.customer?.name} · {b.customer?.email}{b.customer?.phone ? " · " + b.customer.phone : ""}</dd>
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
						<dd>{formatMoney(b.price, locale())}</dd>
						<dt>{t("detail.source")}</dt>
						<dd>{b.source}</dd>
					</dl>
					{(ALLOWED[b.status] || []).includes("cancel") ? (
						<label class="ad-field">
							<span>{t("detail.reason")}</span>
							<input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
						</label>
					) : null}
					{(ALLOWED[b.status] || []).length ? (
						<label class="ad-check"><input type="checkbox" name="notify" checked={notify} onChange={(e) => setNotify((e.target as HTMLInputElement).checked)} /> {t("change.notify")}</label>
					) : null}
					<div class="ad-actions">
						{(ALLOWED[b.status] || []).map((a) => (
							<button key={a} type="button" class={"ad-btn" + (a === "cancel" ? " ad-btn-danger" : "")} onClick={() => act(a)}>{t("action." + a)}</button>
						))}
					</div>
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
