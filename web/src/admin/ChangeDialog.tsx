// ChangeDialog.tsx - asks before a change made on the calendar (a booking dragged to another
// time or provider, or a rental resized) is sent: where it goes, whether to tell the customer
// (notify), then POST …/reschedule through the same engine as every booking. A refusal says
// why; an admin or owner may then override it for an appointment, giving a reason (kept in
// the booking's history and the audit log); the staff role is never offered that.
import { useEffect, useRef, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatSpan } from "../shared/time";
import { Notice } from "../shared/ui";
import { reasonWords } from "./CalendarView";
import { problemText } from "./problem";
import { ApiError, type BookingItem, type Session, call, staff } from "./staffApi";
import { customerTime } from "./zone";

/** A change waiting for its answer: the booking, where it goes, and how to undo the drop. */
export type PendingChange = {
	kind: "move" | "resize";
	booking: BookingItem;
	start: string;
	end: string;
	provider?: string;
	providerName?: string;
};

/** Whether this role may override the engine (the server checks again). */
export function mayOverride(session: Session): boolean {
	return session.user.role === "admin" || session.user.role === "owner";
}

export function ChangeDialog({ session, change, onDone, onCancel }: { session: Session; change: PendingChange; onDone: (text: string) => void; onCancel: () => void }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const b = change.booking;
	const [notify, setNotify] = useState(true);
	const [refused, setRefused] = useState<{ text: string; reason?: string } | null>(null);
	const [why, setWhy] = useState("");
	const [busy, setBusy] = useState(false);
	const dialog = useRef<HTMLDialogElement>(null);
	const settled = useRef(false);
	useEffect(() => { dialog.current?.showModal?.(); }, []);

	const send = async (override: boolean) => {
		setBusy(true);
		try {
			const body: Record<string, unknown> = { start: change.start, provider: change.provider, notify };
			if (change.kind === "resize" || b.service?.kind === "rental") body.end = change.end;
			if (override) Object.assign(body, { override: true, override_reason: why });
			await call(staff.POST("/api/v1/businesses/{business}/bookings/{booking}/reschedule", {
				params: { path: { business: slug, booking: b.id } }, body,
			} as never));
			settled.current = true;
			dialog.current?.close?.();
			const when = formatSpan(change.start, change.end, zone, locale());
			onDone(t(change.kind === "resize" ? "cal.resized" : "cal.moved", { reference: b.reference, when }) + " " + t(notify ? "change.told" : "change.not_told"));
		} catch (e) {
			const reason = e instanceof ApiError ? (e.problem as { reason?: string }).reason : undefined;
			setRefused({
				reason,
				text: reason
					? t(change.kind === "resize" ? "cal.resize_refused" : "cal.refused", { detail: reasonWords(reason), reason })
					: e instanceof ApiError && e.status !== 422 ? t("cal.refused", { detail: problemText(e), reason: String(e.status) }) : problemText(e),
			});
		} finally {
			setBusy(false);
		}
	};
	const cancel = () => {
		if (settled.current) return;
		settled.current = true;
		dialog.current?.close?.();
		onCancel();
	};
	const theirs = customerTime(change.start, b.customer?.timezone, zone, locale());
	const canOverride = !!refused?.reason && mayOverride(session) && b.service?.kind === "appointment";
	return (
		<dialog class="ad-dialog ad-change" ref={dialog} aria-labelledby="change-title" onClose={cancel}>
			<form onSubmit={(e) => { e.preventDefault(); send(false); }}>
				<h2 id="change-title" class="ad-h2">{t(change.kind === "resize" ? "change.resize_title" : "change.move_title", { reference: b.reference })}</h2>
				<p>
					{b.customer?.name} · {b.service?.name}
					<br />
					<strong>{formatSpan(change.start, change.end, zone, locale())}</strong>
					{change.providerName ? " · " + change.providerName : ""}
				</p>
				{theirs ? <p class="ad-muted">{t("change.customer_time", { when: theirs })}</p> : null}
				<label class="ad-check"><input type="checkbox" name="notify" checked={notify} onChange={(e) => setNotify((e.target as HTMLInputElement).checked)} /> {t("change.notify")}</label>
				<div aria-live="polite">{refused ? <Notice kind="error">{refused.text}</Notice> : null}</div>
				{!refused ? (
					<div class="ad-actions">
						<button class="ad-btn ad-btn-primary" type="submit" disabled={busy}>{t(change.kind === "resize" ? "change.resize" : "change.move")}</button>
						<button class="ad-btn" type="button" onClick={cancel}>{t("change.cancel")}</button>
					</div>
				) : null}
			</form>
			{canOverride ? (
				<form class="ad-override" onSubmit={(e) => { e.preventDefault(); send(true); }}>
					<p>{t("change.override_intro")}</p>
					<label class="ad-field"><span>{t("change.override_reason")}</span><input name="override_reason" required maxLength={500} value={why} onInput={(e) => setWhy((e.target as HTMLInputElement).value)} /></label>
					<div class="ad-actions">
						<button class="ad-btn ad-btn-danger" type="submit" disabled={busy || !why.trim()}>{t("change.override")}</button>
						<button class="ad-btn" type="button" onClick={cancel}>{t("change.keep")}</button>
					</div>
				</form>
			) : refused ? (
				<div class="ad-actions"><button class="ad-btn" type="button" onClick={cancel}>{t("change.keep")}</button></div>
			) : null}
		</dialog>
	);
}
