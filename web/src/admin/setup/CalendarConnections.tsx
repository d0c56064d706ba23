// CalendarConnections.tsx - external calendars of providers and resources: each with its
// health (state, last success, last error, lag, next attempt), resync, delete and its
// fail-closed minutes; a new one by ICS address, CalDAV (address, user name, password) or an
// account at Google or Microsoft (their consent page, then back here); and how long a
// connection may fail before the owners are emailed.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../../shared/i18n";
import { formatWhen } from "../../shared/time";
import { Notice } from "../../shared/ui";
import type { components } from "../../shared/api-types";
import { type Session } from "../staffApi";
import { type Errors, Field, fieldErrors, problemText } from "./kit";
import { type Named, cat } from "./catalog";
import { whoseName } from "./CalendarsView";

type Conn = components["schemas"]["CalendarConnection"];
type Kind = "ics" | "caldav" | "google" | "microsoft";
const KINDS: Kind[] = ["ics", "caldav", "google", "microsoft"];

/** "4 min", "2 h 5 min", "3 d" for a lag in seconds. */
export function lagText(s?: number | null): string {
	if (s == null) return t("calsync.never");
	if (s < 60) return t("calsync.lag_s", { n: String(s) });
	if (s < 3600) return t("calsync.lag_min", { n: String(Math.round(s / 60)) });
	if (s < 172800) return t("calsync.lag_h", { h: String(Math.floor(s / 3600)), m: String(Math.round((s % 3600) / 60)) });
	return t("calsync.lag_d", { n: String(Math.round(s / 86400)) });
}

export function CalendarConnections({ session, who }: { session: Session; who: { providers: Named[]; resources: Named[] } }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [conns, setConns] = useState<Conn[]>([]);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const [errors, setErrors] = useState<Errors>({});
	const [f, setF] = useState({ kind: "ics" as Kind, owner: "", name: "", url: "", username: "", password: "", fail_closed: "" });
	const [alertMin, setAlertMin] = useState("");
	const [closed, setClosed] = useState<Record<string, string>>({});

	const load = async () => {
		try {
			const r = await cat<{ connections?: Conn[] }>("GET", slug, "/calendar-connections");
			setConns(r.connections || []);
			setClosed(Object.fromEntries((r.connections || []).map((c) => [c.id || "", c.fail_closed_after_min ? String(c.fail_closed_after_min) : ""])));
		} catch (e) {
			setMsg({ kind: "error", text: problemText(e) });
		}
	};
	useEffect(() => {
		load();
		cat<{ alert_after_min?: number }>("GET", slug, "/calendar-settings").then((s) => setAlertMin(String(s.alert_after_min ?? "")), () => {});
		// Back from a provider's consent page: ?connected=ID or ?oauth_error=words.
		const q = new URLSearchParams(location.search);
		if (q.get("connected")) setMsg({ kind: "ok", text: t("calsync.connected") });
		else if (q.get("oauth_error")) setMsg({ kind: "error", text: t("calsync.oauth_failed", { why: t("calsync.oauth_error." + (q.get("oauth_error") || "failed")) }) });
		// Health moves on its own: read it again every half minute while the page is open.
		const timer = setInterval(load, 30000);
		return () => clearInterval(timer);
	}, []);

	const when = (s?: string | null) => (s ? formatWhen(s, zone, locale()) : t("calsync.never"));
	const owner = () => {
		const [k, id] = f.owner.split(":");
		return k === "provider" ? { provider_id: id } : k === "resource" ? { resource_id: id } : {};
	};
	const act = async (run: () => Promise<unknown>, ok: string) => {
		setMsg(null);
		try {
			await run();
			setMsg({ kind: "ok", text: ok });
			load();
		} catch (e) {
			setMsg({ kind: "error", text: problemText(e) });
		}
	};

	const add = async (e: Event) => {
		e.preventDefault();
		setMsg(null);
		setErrors({});
		const fc = f.fail_closed ? { fail_closed_after_min: Math.round(Number(f.fail_closed)) } : {};
		const name = f.name ? { name: f.name } : {};
		try {
			if (f.kind === "google" || f.kind === "microsoft") {
				// The provider's consent page; it sends the browser back to bookd, then here.
				const r = await cat<{ authorize_url?: string }>("POST", slug, "/calendar-oauth/{service}", { params: { service: f.kind }, body: { ...owner(), ...name, ...fc } });
				if (r.authorize_url) location.assign(r.authorize_url);
				return;
			}
			const body = f.kind === "caldav" ? { kind: "caldav", url: f.url, username: f.username, password: f.password } : { kind: "ics", url: f.url };
			await cat("POST", slug, "/calendar-connections", { body: { ...body, ...owner(), ...name, ...fc } });
			setF({ ...f, name: "", url: "", username: "", password: "", fail_closed: "" });
			setMsg({ kind: "ok", text: t("calsync.added") });
			load();
		} catch (err) {
			setErrors(fieldErrors(err));
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	// A Google or Microsoft connection whose grant was refused: the consent again, for it.
	const reconnect = (c: Conn) => act(async () => {
		const r = await cat<{ authorize_url?: string }>("POST", slug, "/calendar-oauth/{service}", { params: { service: c.kind || "" }, body: { connection_id: c.id } });
		if (r.authorize_url) location.assign(r.authorize_url);
	}, "");
	const saveClosed = (c: Conn) => {
		const v = closed[c.id || ""];
		return act(() => cat("PATCH", slug, "/calendar-connections/{connection}", { params: { connection: c.id || "" }, body: { fail_closed_after_min: v ? Math.round(Number(v)) : null } }), t("calsync.saved"));
	};
	const remove = (c: Conn) => {
		if (!confirm(t("calsync.delete_confirm", { name: c.name || whoseName(who, c.provider_id, c.resource_id) }))) return;
		act(() => cat("DELETE", slug, "/calendar-connections/{connection}", { params: { connection: c.id || "" } }), t("calsync.deleted"));
	};
	const saveAlert = (e: Event) => {
		e.preventDefault();
		act(() => cat("PUT", slug, "/calendar-settings", { body: { alert_after_min: Math.round(Number(alertMin)) } }), t("calsync.saved"));
	};
	const bind = (key: keyof typeof f, label: string, type: "text" | "url" | "password" | "number" = "text", required = false) => (
		<Field label={label} error={errors[key === "fail_closed" ? "fail_closed_after_min" : key]}>
			{(a) => <input id={a.id} name={key} type={type as "text"} required={required} aria-invalid={a.invalid} aria-describedby={a.describedBy} value={f[key]}
				autoComplete={type === "password" ? "new-password" : "off"} onInput={(e) => setF({ ...f, [key]: (e.target as HTMLInputElement).value })} />}
		</Field>
	);

	return (
		<>
			<h2 class="ad-h2">{t("calsync.connections")}</h2>
			<div aria-live="polite">{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}</div>
			<p id="calconn-caption" class="ad-muted">{t("calsync.connections_caption")}</p>
			<div class="ad-table-wrap" tabIndex={0} role="region" aria-labelledby="calconn-caption">
				<table aria-labelledby="calconn-caption" class="ad-table ad-stack ad-calconns">
					<thead>
						<tr>
							<th scope="col">{t("calsync.col.calendar")}</th>
							<th scope="col">{t("calsync.col.state")}</th>
							<th scope="col">{t("calsync.col.last_success")}</th>
							<th scope="col">{t("calsync.col.last_error")}</th>
							<th scope="col">{t("calsync.col.lag")}</th>
							<th scope="col">{t("calsync.col.next")}</th>
							<th scope="col">{t("calsync.col.fail_closed")}</th>
							<th scope="col">{t("calsync.col.actions")}</th>
						</tr>
					</thead>
					<tbody>
						{conns.map((c) => {
							const h = c.health || ({} as NonNullable<Conn["health"]>);
							return (
								<tr key={c.id} data-id={c.id} data-state={h.state}>
									<td data-label={t("calsync.col.calendar")}>
										<strong>{c.name || whoseName(who, c.provider_id, c.resource_id)}</strong>
										<br /><span class="ad-muted">{t("calsync.kind." + c.kind)} · {whoseName(who, c.provider_id, c.resource_id)}{c.account ? " · " + c.account : c.url_hint ? " · " + c.url_hint : ""}{c.username ? " · " + c.username : ""}</span>
									</td>
									<td data-label={t("calsync.col.state")}>
										<span class={"ad-calstate ad-calstate-" + h.state}>{t("calsync.state." + h.state)}</span>
										{h.pushed_events != null ? <><br /><span class="ad-muted">{t("calsync.pushed", { n: String(h.pushed_events) })}</span></> : null}
										{h.needs_attention ? <><br /><span class="ad-field-error">{t("calsync.attention", { n: String(h.needs_attention) })}</span></> : null}
									</td>
									<td data-label={t("calsync.col.last_success")}>{when(h.last_success_at)}</td>
									<td data-label={t("calsync.col.last_error")}>{h.last_error ? <>{h.last_error}<br /><span class="ad-muted">{when(h.last_error_at)}{h.failures ? " · " + t("calsync.failures", { n: String(h.failures) }) : ""}</span></> : t("calsync.none")}</td>
									<td data-label={t("calsync.col.lag")}>{lagText(h.lag_s)}</td>
									<td data-label={t("calsync.col.next")}>{when(h.next_attempt_at)}</td>
									<td data-label={t("calsync.col.fail_closed")}>
										<form class="ad-rule" onSubmit={(e) => { e.preventDefault(); saveClosed(c); }}>
											<input type="number" min="1" max="10080" step="1" inputMode="numeric" class="ad-calmin" name="fail_closed_after_min" aria-label={t("calsync.fail_closed_for", { name: c.name || whoseName(who, c.provider_id, c.resource_id) })}
												placeholder={t("calsync.fail_open")} value={closed[c.id || ""] ?? ""} onInput={(e) => setClosed({ ...closed, [c.id || ""]: (e.target as HTMLInputElement).value })} />
											<button type="submit" class="ad-btn">{t("calsync.save")}</button>
										</form>
									</td>
									<td data-label={t("calsync.col.actions")}>
										<div class="ad-row-actions">
											<button type="button" class="ad-btn" onClick={() => act(() => cat("POST", slug, "/calendar-connections/{connection}/resync", { params: { connection: c.id || "" } }), t("calsync.resynced"))}>{t("calsync.resync")}</button>
											{h.state === "needs_credentials" && (c.kind === "google" || c.kind === "microsoft") ? (
												<button type="button" class="ad-btn" onClick={() => reconnect(c)}>{t("calsync.reconnect")}</button>
											) : null}
											<button type="button" class="ad-btn ad-btn-danger" onClick={() => remove(c)}>{t("calsync.delete")}</button>
										</div>
									</td>
								</tr>
							);
						})}
					</tbody>
				</table>
			</div>
			{conns.length === 0 ? <p>{t("calsync.no_connections")}</p> : null}

			<h3 class="ad-h3">{t("calsync.add")}</h3>
			<form class="ad-form ad-calconn-new" onSubmit={add}>
				<Field label={t("calsync.kind")}>
					{(a) => (
						<select id={a.id} name="kind" value={f.kind} onChange={(e) => setF({ ...f, kind: (e.target as HTMLSelectElement).value as Kind })}>
							{KINDS.map((k) => <option key={k} value={k}>{t("calsync.kind." + k)}</option>)}
						</select>
					)}
				</Field>
				<Field label={t("calsync.whose")} error={errors.provider_id || errors.resource_id}>
					{(a) => (
						<select id={a.id} name="owner" required value={f.owner} aria-invalid={a.invalid} aria-describedby={a.describedBy} onChange={(e) => setF({ ...f, owner: (e.target as HTMLSelectElement).value })}>
							<option value="">{t("calsync.choose")}</option>
							{who.providers.map((p) => <option key={p.id} value={"provider:" + p.id}>{p.name}</option>)}
							{who.resources.map((r) => <option key={r.id} value={"resource:" + r.id}>{t("setup.resource_named", { name: r.name || "" })}</option>)}
						</select>
					)}
				</Field>
				{bind("name", t("calsync.name"))}
				{f.kind === "ics" ? <p class="ad-muted">{t("calsync.ics_help")}</p> : null}
				{f.kind === "ics" || f.kind === "caldav" ? bind("url", f.kind === "ics" ? t("calsync.ics_url") : t("calsync.caldav_url"), "url", true) : null}
				{f.kind === "caldav" ? <>{bind("username", t("calsync.username"), "text", true)}{bind("password", t("calsync.password"), "password", true)}</> : null}
				{f.kind === "google" || f.kind === "microsoft" ? <p class="ad-muted">{t("calsync.oauth_help", { service: t("calsync.kind." + f.kind) })}</p> : null}
				{bind("fail_closed", t("calsync.fail_closed_min"), "number")}
				<div class="ad-actions">
					<button class="ad-btn ad-btn-primary" type="submit">
						{f.kind === "google" || f.kind === "microsoft" ? t("calsync.connect_with", { service: t("calsync.kind." + f.kind) }) : t("calsync.connect")}
					</button>
				</div>
			</form>

			<h3 class="ad-h3">{t("calsync.alerts")}</h3>
			<form class="ad-form ad-calalert" onSubmit={saveAlert}>
				<Field label={t("calsync.alert_after")} hint={t("calsync.alert_hint")}>
					{(a) => <input id={a.id} name="alert_after_min" type="number" min="1" max="10080" step="1" required aria-describedby={a.describedBy} value={alertMin} onInput={(e) => setAlertMin((e.target as HTMLInputElement).value)} />}
				</Field>
				<div class="ad-actions"><button class="ad-btn" type="submit">{t("calsync.save")}</button></div>
			</form>
		</>
	);
}
