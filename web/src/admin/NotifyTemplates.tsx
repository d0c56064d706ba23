// NotifyTemplates.tsx - one template per event and channel: its subject and bodies as the
// business has them (or the shipped default), edited with a live preview rendered by the
// server on a real booking (POST …/preview: nothing is sent), then saved (PUT) or reset to
// the default (DELETE).
import { useEffect, useRef, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatShortWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { ApiError, type BookingItem, type NotificationTemplate, type Session, call, staff } from "./staffApi";
import { plusDays, todayIn } from "./zone";

type Draft = { subject: string; body_text: string; body_html: string };
type Preview = { subject?: string; body_text?: string; body_html?: string };
type EventName = "confirmed" | "pending" | "rescheduled" | "cancelled" | "reminder" | "no_show" | "staff_new" | "staff_changed";

function problemText(e: unknown): string {
	if (!(e instanceof ApiError)) return t("error.generic");
	return e.problem.errors?.map((x) => x.field + ": " + x.detail).join("; ") || e.problem.detail || e.message;
}

export function NotifyTemplates({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [list, setList] = useState<NotificationTemplate[]>([]);
	const [names, setNames] = useState<string[]>([]);
	const [key, setKey] = useState("reminder/email");
	const [draft, setDraft] = useState<Draft | null>(null);
	const [bookings, setBookings] = useState<BookingItem[]>([]);
	const [booking, setBooking] = useState("");
	const [preview, setPreview] = useState<Preview | null>(null);
	const [previewError, setPreviewError] = useState("");
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const asked = useRef(0);

	const load = async (pick?: string) => {
		const r = await call(staff.GET("/api/v1/businesses/{business}/notification-templates", { params: { path: { business: slug } } }));
		const ts = r.templates || [];
		setList(ts);
		setNames(r.placeholders || []);
		const k = pick || key;
		const cur = ts.find((x) => x.event + "/" + x.channel === k) || ts[0];
		if (cur) {
			setKey(cur.event + "/" + cur.channel);
			setDraft({ subject: cur.subject || "", body_text: cur.body_text || "", body_html: cur.body_html || "" });
		}
	};
	useEffect(() => {
		load().catch(() => setMsg({ kind: "error", text: t("error.load") }));
		const today = todayIn(zone);
		call(staff.GET("/api/v1/businesses/{business}/bookings", { params: { path: { business: slug }, query: { from: plusDays(today, -30), to: plusDays(today, 60), limit: "100" } } }))
			.then((r) => {
				const bs = r.bookings || [];
				setBookings(bs);
				if (bs[0]) setBooking(bs[0].reference || "");
			})
			.catch(() => {});
	}, []);

	// The live preview: asked again 300 ms after the last change; an older answer never
	// replaces a newer one.
	useEffect(() => {
		if (!draft) return;
		const n = ++asked.current;
		const timer = setTimeout(async () => {
			const [event, channel] = key.split("/");
			try {
				const p = await call(staff.POST("/api/v1/businesses/{business}/notification-templates/{event}/{channel}/preview", {
					params: { path: { business: slug, event: event as EventName, channel: channel as "email" | "sms" } },
					body: { ...draft, booking: booking || undefined },
				}));
				if (n !== asked.current) return;
				setPreview(p);
				setPreviewError("");
			} catch (e) {
				if (n !== asked.current) return;
				setPreview(null);
				setPreviewError(problemText(e));
			}
		}, 300);
		return () => clearTimeout(timer);
	}, [draft, booking, key]);

	const choose = (k: string) => {
		setMsg(null);
		setKey(k);
		const cur = list.find((x) => x.event + "/" + x.channel === k);
		if (cur) setDraft({ subject: cur.subject || "", body_text: cur.body_text || "", body_html: cur.body_html || "" });
	};
	const [event, channel] = key.split("/");
	const save = async (e: Event) => {
		e.preventDefault();
		if (!draft) return;
		setMsg(null);
		try {
			await call(staff.PUT("/api/v1/businesses/{business}/notification-templates/{event}/{channel}", {
				params: { path: { business: slug, event: event as EventName, channel: channel as "email" | "sms" } },
				body: draft,
			} as never));
			setMsg({ kind: "ok", text: t("notify.saved") });
			await load(key);
		} catch (err) {
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const reset = async () => {
		setMsg(null);
		try {
			await call(staff.DELETE("/api/v1/businesses/{business}/notification-templates/{event}/{channel}", {
				params: { path: { business: slug, event: event as EventName, channel: channel as "email" | "sms" } },
			}));
			setMsg({ kind: "ok", text: t("notify.reset_done") });
			await load(key);
		} catch (err) {
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const cur = list.find((x) => x.event + "/" + x.channel === key);
	const field = (k: keyof Draft, rows: number) => (
		<label class="ad-field">
			<span>{t(`notify.field.${k}`)}</span>
			{rows === 1 ? (
				<input name={k} value={draft?.[k] || ""} onInput={(e) => setDraft({ ...(draft as Draft), [k]: (e.target as HTMLInputElement).value })} />
			) : (
				<textarea name={k} rows={rows} value={draft?.[k] || ""} onInput={(e) => setDraft({ ...(draft as Draft), [k]: (e.target as HTMLTextAreaElement).value })} />
			)}
		</label>
	);
	return (
		<div class="ad-templates">
			<label class="ad-field-inline">
				<span>{t("notify.template")}</span>
				<select name="template" value={key} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
					{list.map((x) => (
						<option key={x.event + "/" + x.channel} value={x.event + "/" + x.channel}>
							{t(`notify.event.${x.event}`)} · {t(`notify.channel.${x.channel}`)}{x.custom ? " · " + t("notify.custom") : ""}
						</option>
					))}
				</select>
			</label>
			<div class="ad-template-grid">
				<form class="ad-template-edit" onSubmit={save}>
					<h2 class="ad-h2">{t("notify.edit")}</h2>
					<p class="ad-muted">{cur?.custom ? t("notify.is_custom") : t("notify.is_default")}</p>
					{channel === "email" ? field("subject", 1) : null}
					{field("body_text", 8)}
					{channel === "email" ? field("body_html", 6) : null}
					<p class="ad-muted">{t("notify.placeholders")} {names.map((n) => <code key={n} class="ad-code">{"{{" + n + "}}"}</code>)}</p>
					<div class="ad-actions">
						<button class="ad-btn ad-btn-primary" type="submit">{t("notify.save")}</button>
						<button class="ad-btn" type="button" onClick={reset} disabled={!cur?.custom}>{t("notify.reset")}</button>
					</div>
					<div aria-live="polite">{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}</div>
				</form>
				<div class="ad-template-preview">
					<h2 class="ad-h2">{t("notify.preview")}</h2>
					<label class="ad-field-inline">
						<span>{t("notify.preview_booking")}</span>
						<select name="booking" value={booking} onChange={(e) => setBooking((e.target as HTMLSelectElement).value)}>
							<option value="">{t("notify.any_booking")}</option>
							{bookings.map((b) => (
								<option key={b.reference} value={b.reference}>{b.reference} · {b.customer?.name} · {b.start ? formatShortWhen(b.start, zone, locale()) : ""}</option>
							))}
						</select>
					</label>
					<p class="ad-muted">{t("notify.preview_note")}</p>
					<div aria-live="polite" class="ad-preview" data-booking={booking}>
						{previewError ? <Notice kind="error">{previewError}</Notice> : null}
						{preview ? (
							<>
								{channel === "email" ? <p class="ad-preview-subject"><strong>{t("notify.field.subject")}:</strong> {preview.subject}</p> : null}
								<pre class="ad-preview-text">{preview.body_text}</pre>
								{channel === "email" && preview.body_html ? (
									<iframe class="ad-preview-html" sandbox="" title={t("notify.preview_html")} srcdoc={preview.body_html} />
								) : null}
							</>
						) : null}
					</div>
				</div>
			</div>
		</div>
	);
}
