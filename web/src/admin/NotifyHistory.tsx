// NotifyHistory.tsx - the messages the business sent or is sending, newest first (GET
// …/notifications, filtered by status), with their delivery (attempts, last error, when
// sent) and a retry for a failed one (POST …/notifications/{id}/retry).
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatShortWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { ApiError, type Session, call, staff } from "./staffApi";
import type { paths } from "../shared/api-types";

type History = paths["/api/v1/businesses/{business}/notifications"]["get"]["responses"]["200"]["content"]["application/json"];
type Row = NonNullable<History["notifications"]>[number];
const STATUSES = ["pending", "sending", "sent", "failed", "cancelled"];

export function NotifyHistory({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [status, setStatus] = useState("");
	const [data, setData] = useState<History | null>(null);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

	const load = async () => {
		try {
			setData(await call(staff.GET("/api/v1/businesses/{business}/notifications", { params: { path: { business: slug }, query: { status: status || undefined } } })));
		} catch {
			setMsg({ kind: "error", text: t("error.load") });
		}
	};
	useEffect(() => { load(); }, []);

	const retry = async (n: Row) => {
		setMsg(null);
		try {
			await call(staff.POST("/api/v1/businesses/{business}/notifications/{id}/retry", { params: { path: { business: slug, id: n.id || "" } } }));
			setMsg({ kind: "ok", text: t("notify.retried", { recipient: n.recipient || "" }) });
		} catch (e) {
			setMsg({ kind: "error", text: e instanceof ApiError ? e.problem.detail || e.message : t("error.generic") });
		}
		load();
	};
	const when = (s: string | null | undefined) => (s ? formatShortWhen(s, zone, locale()) : "–");
	const rows = data?.notifications || [];
	const d = data?.delivery;
	return (
		<div class="ad-history-list">
			<form class="ad-toolbar" onSubmit={(e) => { e.preventDefault(); load(); }}>
				<label class="ad-field-inline">
					<span>{t("notify.status")}</span>
					<select name="status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
						<option value="">{t("bookings.any")}</option>
						{STATUSES.map((s) => <option key={s} value={s}>{t(`notify.status.${s}`)}</option>)}
					</select>
				</label>
				<button class="ad-btn" type="submit">{t("notify.refresh")}</button>
			</form>
			{d ? (
				<p class="ad-muted">
					{d.email_configured ? t("notify.email_on", { n: d.email_waiting || 0 }) : t("notify.email_off", { n: d.email_waiting || 0 })}
					{" "}
					{d.sms_configured ? t("notify.sms_on", { n: d.sms_waiting || 0 }) : t("notify.sms_off")}
				</p>
			) : null}
			<div aria-live="polite">{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}</div>
			{data && !rows.length ? <p class="ad-none">{t("notify.none")}</p> : null}
			{rows.length ? (
				<div class="ad-table-wrap" tabIndex={0} role="region" aria-label={t("notify.part.history")}>
					<table class="ad-table ad-notify-table">
						<thead>
							<tr>
								{["created", "template", "recipient", "booking", "status", "attempts", "sent", "action"].map((c) => <th key={c} scope="col">{t(`notify.col.${c}`)}</th>)}
							</tr>
						</thead>
						<tbody>
							{rows.map((n) => (
								<tr key={n.id} data-id={n.id} data-status={n.status}>
									<td>{when(n.created_at)}</td>
									<td>{t(`notify.event.${n.template}`)} · {t(`notify.channel.${n.channel}`)}</td>
									<td>{n.recipient}</td>
									<td class="ad-nowrap">{n.booking_reference || "–"}</td>
									<td>{t(`notify.status.${n.status}`)}{n.last_error ? <span class="ad-muted"> ({n.last_error})</span> : null}</td>
									<td>{n.attempts}</td>
									<td>{n.status === "sent" ? when(n.sent_at) : n.status === "pending" ? t(n.attempts ? "notify.next" : "notify.due", { when: when(n.next_attempt_at) }) : "–"}</td>
									<td>{n.status === "failed" ? <button type="button" class="ad-btn" onClick={() => retry(n)}>{t("notify.retry", { recipient: n.recipient || "" })}</button> : null}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			) : null}
		</div>
	);
}
