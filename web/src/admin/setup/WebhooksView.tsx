// WebhooksView.tsx - webhooks out (admin): endpoints that receive signed events, the events
// each takes, its secret (shown once, at creation and rotation), a test-send, the delivery
// log with each attempt, replay, rotation and enable/disable.
import { useEffect, useState } from "preact/hooks";
import type { components } from "../../shared/api-types";
import { locale, t } from "../../shared/i18n";
import { formatWhen } from "../../shared/time";
import { Notice } from "../../shared/ui";
import { type Session, call, staff } from "../staffApi";
import { fieldErrors, problemText } from "./kit";

type Endpoint = components["schemas"]["WebhookEndpoint"];
type Delivery = components["schemas"]["WebhookDelivery"];
type Msg = { kind: "ok" | "error"; text: string } | null;

export function WebhooksView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const when = (s?: string | null) => (s ? formatWhen(s, zone, locale()) : "");
	const [list, setList] = useState<Endpoint[]>([]);
	const [types, setTypes] = useState<string[]>([]);
	const [doc, setDoc] = useState<{ url: string; description: string; events: string[] }>({ url: "", description: "", events: [] });
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [msg, setMsg] = useState<Msg>(null);
	const [secret, setSecret] = useState<{ id: string; value: string } | null>(null);
	const [open, setOpen] = useState<string>("");
	const [log, setLog] = useState<Delivery[]>([]);
	const path = { business: slug };
	const load = async () => {
		const r = (await call(staff.GET("/api/v1/businesses/{business}/webhooks", { params: { path } }))) as { endpoints: Endpoint[]; event_types: string[] };
		setList(r.endpoints || []);
		setTypes(r.event_types || []);
	};
	const loadLog = async (id: string) => {
		const r = (await call(staff.GET("/api/v1/businesses/{business}/webhooks/{webhook}/deliveries", { params: { path: { ...path, webhook: id }, query: { limit: 50 } } }))) as { deliveries: Delivery[] };
		setLog(r.deliveries || []);
	};
	useEffect(() => {
		load().catch((e) => setMsg({ kind: "error", text: problemText(e) }));
	}, []);
	useEffect(() => {
		if (!open) return;
		loadLog(open).catch(() => {});
		// Deliveries go out in the background: the log and the endpoint's state follow them.
		const timer = setInterval(() => Promise.all([loadLog(open), load()]).catch(() => {}), 3000);
		return () => clearInterval(timer);
	}, [open]);
	const act = async (run: () => Promise<unknown>, ok: string) => {
		setMsg(null);
		try {
			await run();
			setMsg({ kind: "ok", text: ok });
			await load();
			if (open) await loadLog(open);
		} catch (e) {
			setMsg({ kind: "error", text: problemText(e) });
		}
	};
	const create = async (e: Event) => {
		e.preventDefault();
		setMsg(null);
		setErrors({});
		try {
			const r = (await call(staff.POST("/api/v1/businesses/{business}/webhooks", { params: { path }, body: { url: doc.url, description: doc.description, events: doc.events } } as never))) as Endpoint & { secret: string };
			setSecret({ id: r.id, value: r.secret });
			setDoc({ url: "", description: "", events: [] });
			setOpen(r.id);
			await load();
		} catch (err) {
			setErrors(fieldErrors(err));
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const rotate = (h: Endpoint) =>
		act(async () => {
			const r = (await call(staff.POST("/api/v1/businesses/{business}/webhooks/{webhook}/rotate", { params: { path: { ...path, webhook: h.id } }, body: { overlap_s: 86400 } } as never))) as { secret: string };
			setSecret({ id: h.id, value: r.secret });
		}, t("webhooks.rotated"));
	const toggle = (h: Endpoint) =>
		act(() => call(staff.PATCH("/api/v1/businesses/{business}/webhooks/{webhook}", { params: { path: { ...path, webhook: h.id } }, body: { enabled: !h.enabled } } as never)), h.enabled ? t("webhooks.disabled_now") : t("webhooks.enabled_now"));
	const test = (h: Endpoint) => act(() => call(staff.POST("/api/v1/businesses/{business}/webhooks/{webhook}/test", { params: { path: { ...path, webhook: h.id } } })), t("webhooks.test_sent"));
	const remove = (h: Endpoint) => {
		if (!confirm(t("webhooks.delete_confirm", { url: h.url }))) return;
		if (open === h.id) setOpen("");
		act(() => call(staff.DELETE("/api/v1/businesses/{business}/webhooks/{webhook}", { params: { path: { ...path, webhook: h.id } } })), t("webhooks.deleted"));
	};
	const replay = (h: string, d: Delivery) => act(() => call(staff.POST("/api/v1/businesses/{business}/webhooks/{webhook}/deliveries/{delivery}/replay", { params: { path: { ...path, webhook: h, delivery: d.id } } })), t("webhooks.replayed"));
	const pick = (ty: string, on: boolean) => setDoc({ ...doc, events: on ? [...doc.events, ty] : doc.events.filter((x) => x !== ty) });
	const err = (k: string) => (errors[k] ? <span class="ad-field-error" id={"wh-" + k + "-err"}>{errors[k]}</span> : null);
	const state = (h: Endpoint) => (h.enabled ? (h.failures > 0 ? t("webhooks.state.failing", { n: h.failures }) : t("webhooks.state.on")) : t("webhooks.state.off"));
	const shown = list.find((h) => h.id === open);
	return (
		<section aria-labelledby="wh-title" class="ad-webhooks">
			<h1 id="wh-title" class="ad-title">{t("webhooks.title")}</h1>
			<p class="ad-muted">{t("webhooks.intro")}</p>
			<div aria-live="polite">
				{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
				{secret ? (
					<div class="ad-secret" data-webhook-secret={secret.id}>
						<Notice kind="ok">{t("webhooks.secret_once")}</Notice>
						<label class="ad-field"><span>{t("webhooks.secret")}</span><input name="webhook_secret" readOnly value={secret.value} onFocus={(e) => (e.target as HTMLInputElement).select()} /></label>
						<div class="ad-actions">
							<button type="button" class="ad-btn" onClick={() => navigator.clipboard?.writeText(secret.value).then(() => setMsg({ kind: "ok", text: t("tokens.copied") }), () => {})}>{t("tokens.copy")}</button>
							<button type="button" class="ad-btn" onClick={() => setSecret(null)}>{t("tokens.hide")}</button>
						</div>
					</div>
				) : null}
			</div>
			{list.length === 0 ? <p>{t("webhooks.none")}</p> : (
				<div class="ad-table-wrap">
					<table class="ad-table ad-stack">
						<thead><tr><th scope="col">{t("webhooks.url")}</th><th scope="col">{t("webhooks.events")}</th><th scope="col">{t("webhooks.state")}</th><th scope="col">{t("webhooks.last_success")}</th><th scope="col"><span class="ad-sr">{t("setup.actions")}</span></th></tr></thead>
						<tbody>
							{list.map((h) => (
								<tr key={h.id} data-webhook={h.id} data-enabled={String(h.enabled)}>
									<th scope="row" data-label={t("webhooks.url")}><span class="ad-wh-url">{h.url}</span>{h.description ? <div class="ad-muted">{h.description}</div> : null}</th>
									<td data-label={t("webhooks.events")}>{h.events.map((e) => <span key={e} class="ad-code">{e}</span>)}</td>
									<td data-label={t("webhooks.state")}>{state(h)}{h.disabled_reason ? <div class="ad-muted">{h.disabled_reason}</div> : null}{h.previous_secret_until ? <div class="ad-muted">{t("webhooks.overlap", { when: when(h.previous_secret_until) })}</div> : null}</td>
									<td data-label={t("webhooks.last_success")}>{when(h.last_success_at) || "—"}</td>
									<td>
										<div class="ad-row-actions">
											<button class="ad-btn" type="button" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? "" : h.id)}>{t("webhooks.log")}</button>
											<button class="ad-btn" type="button" onClick={() => test(h)}>{t("webhooks.test")}</button>
											<button class="ad-btn" type="button" onClick={() => rotate(h)}>{t("webhooks.rotate")}</button>
											<button class="ad-btn" type="button" onClick={() => toggle(h)}>{h.enabled ? t("webhooks.disable") : t("webhooks.enable")}</button>
											<button class="ad-btn ad-btn-danger" type="button" onClick={() => remove(h)}>{t("webhooks.delete")}</button>
										</div>
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{shown ? (
				<section class="ad-wh-log" aria-labelledby="wh-log-title">
					<h2 id="wh-log-title" class="ad-h2">{t("webhooks.log_of", { url: shown.url })}</h2>
					{log.length === 0 ? <p>{t("webhooks.log_none")}</p> : (
						<div class="ad-table-wrap">
							<table class="ad-table ad-stack">
								<thead><tr><th scope="col">{t("webhooks.event")}</th><th scope="col">{t("webhooks.created")}</th><th scope="col">{t("webhooks.delivery_state")}</th><th scope="col">{t("webhooks.attempts")}</th><th scope="col"><span class="ad-sr">{t("setup.actions")}</span></th></tr></thead>
								<tbody>
									{log.map((d) => (
										<tr key={d.id} data-delivery={d.id} data-status={d.status} class={d.status === "failed" ? "ad-failed" : undefined}>
											<th scope="row" data-label={t("webhooks.event")}><span class="ad-code">{d.type}</span>{d.replay_of ? <div class="ad-muted">{t("webhooks.replay_of")}</div> : null}</th>
											<td data-label={t("webhooks.created")}>{when(d.created_at)}</td>
											<td data-label={t("webhooks.delivery_state")}>{t("webhooks.status." + d.status)}{d.status === "pending" && d.next_attempt_at && d.attempts > 0 ? <div class="ad-muted">{t("webhooks.next", { when: when(d.next_attempt_at) })}</div> : null}</td>
											<td data-label={t("webhooks.attempts")}>
												{d.log.length === 0 ? "—" : (
													<details class="ad-details">
														<summary>{t("webhooks.attempt_count", { n: d.log.length, code: d.last_code || "—" })}</summary>
														<ul class="ad-list">
															{d.log.map((a, i) => (
																<li key={i} data-code={a.code}>{when(a.at)} · {a.code ? "HTTP " + a.code : t("webhooks.no_answer")} · {t("webhooks.latency", { ms: a.latency_ms })}{a.error ? " · " + a.error : ""}{a.response ? <pre class="ad-preview-text">{a.response}</pre> : null}</li>
															))}
														</ul>
													</details>
												)}
											</td>
											<td><button class="ad-btn" type="button" onClick={() => replay(shown.id, d)}>{t("webhooks.replay")}</button></td>
										</tr>
									))}
								</tbody>
							</table>
						</div>
					)}
				</section>
			) : null}
			<form class="ad-form ad-wh-new" onSubmit={create} aria-labelledby="wh-new">
				<h2 id="wh-new" class="ad-h2">{t("webhooks.new")}</h2>
				<label class="ad-field"><span>{t("webhooks.url")}</span><input name="url" type="url" required maxLength={2048} placeholder="https://" value={doc.url} onInput={(e) => setDoc({ ...doc, url: (e.target as HTMLInputElement).value })} aria-invalid={errors.url ? "true" : undefined} aria-describedby={errors.url ? "wh-url-err" : undefined} />{err("url")}</label>
				<label class="ad-field"><span>{t("webhooks.description")}</span><input name="description" maxLength={200} value={doc.description} onInput={(e) => setDoc({ ...doc, description: (e.target as HTMLInputElement).value })} /></label>
				<fieldset class="ad-fieldset ad-inline-checks">
					<legend>{t("webhooks.events")}</legend>
					{types.map((ty) => (
						<label key={ty} class="ad-check"><input type="checkbox" name="events" value={ty} checked={doc.events.includes(ty)} onChange={(e) => pick(ty, (e.target as HTMLInputElement).checked)} /> {ty}</label>
					))}
					{err("events")}
				</fieldset>
				<div class="ad-actions"><button class="ad-btn ad-btn-primary" type="submit" disabled={!doc.events.length}>{t("webhooks.create")}</button></div>
			</form>
		</section>
	);
}
