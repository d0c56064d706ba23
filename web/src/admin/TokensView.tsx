// TokensView.tsx - API tokens (admin): each token's name, creator, scope, expiry and last
// use; a new one with an optional expiry date and a read-only scope, whose secret is shown
// this once (the server keeps only its hash); revoking one.
import { useEffect, useRef, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { problemText } from "./problem";
import { type Session, call, staff } from "./staffApi";
import { instantOf } from "./zone";
import type { components } from "../shared/api-types";

type Token = components["schemas"]["ApiToken"];

export function TokensView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const P = { params: { path: { business: slug } } };
	const [tokens, setTokens] = useState<Token[]>([]);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const [f, setF] = useState({ name: "", expires: "", read_only: false });
	const [secret, setSecret] = useState("");
	const secretRef = useRef<HTMLInputElement>(null);

	const load = async () => {
		try {
			setTokens((await call(staff.GET("/api/v1/businesses/{business}/tokens", P))).tokens || []);
		} catch (e) {
			setMsg({ kind: "error", text: problemText(e) });
		}
	};
	useEffect(() => { load(); }, []);
	useEffect(() => { if (secret) secretRef.current?.focus(); }, [secret]);

	const create = async (e: Event) => {
		e.preventDefault();
		setMsg(null);
		try {
			// An expiry date means the end of that day in the business's zone.
			const expires_at = f.expires ? instantOf(new Date(f.expires + "T23:59:59Z"), zone) : undefined;
			const r = await call(staff.POST("/api/v1/businesses/{business}/tokens", { ...P, body: { name: f.name, expires_at, read_only: f.read_only } } as never)) as Token;
			setSecret(r.token || "");
			setF({ name: "", expires: "", read_only: false });
			load();
		} catch (err) {
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const revoke = async (tk: Token) => {
		if (!confirm(t("tokens.revoke_confirm", { name: tk.name || tk.hint || "" }))) return;
		try {
			await call(staff.DELETE("/api/v1/businesses/{business}/tokens/{token}", { params: { path: { business: slug, token: tk.id || "" } } }));
			setMsg({ kind: "ok", text: t("tokens.revoked", { name: tk.name || tk.hint || "" }) });
			load();
		} catch (err) {
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const when = (s?: string | null) => (s ? formatWhen(s, zone, locale()) : "");
	const now = Date.now();

	return (
		<section aria-labelledby="tokens-title">
			<h1 id="tokens-title" class="ad-title">{t("tokens.title")}</h1>
			<p class="ad-muted">{t("tokens.intro")}</p>
			<div aria-live="polite">
				{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
				{secret ? (
					<div class="ad-secret">
						<Notice kind="ok">{t("tokens.created")}</Notice>
						<label class="ad-field"><span>{t("tokens.secret")}</span><input ref={secretRef} readOnly value={secret} onFocus={(e) => (e.target as HTMLInputElement).select()} /></label>
						<div class="ad-actions">
							<button type="button" class="ad-btn" onClick={() => navigator.clipboard?.writeText(secret).then(() => setMsg({ kind: "ok", text: t("tokens.copied") }), () => {})}>{t("tokens.copy")}</button>
							<button type="button" class="ad-btn" onClick={() => setSecret("")}>{t("tokens.hide")}</button>
						</div>
					</div>
				) : null}
			</div>
			<div class="ad-table-wrap" tabIndex={0} role="region" aria-labelledby="tokens-caption">
				<table class="ad-table ad-stack ad-tokens">
					<caption id="tokens-caption" class="ad-muted">{t("tokens.caption")}</caption>
					<thead>
						<tr>
							<th scope="col">{t("tokens.col.name")}</th>
							<th scope="col">{t("tokens.col.user")}</th>
							<th scope="col">{t("tokens.col.scope")}</th>
							<th scope="col">{t("tokens.col.expires")}</th>
							<th scope="col">{t("tokens.col.last_used")}</th>
							<th scope="col">{t("tokens.col.actions")}</th>
						</tr>
					</thead>
					<tbody>
						{tokens.map((tk) => {
							const dead = !!tk.revoked_at || (!!tk.expires_at && Date.parse(tk.expires_at) <= now);
							return (
								<tr key={tk.id} data-name={tk.name}>
									<td>{tk.name || t("tokens.unnamed")} <span class="ad-muted">…{tk.hint}</span></td>
									<td>{tk.user?.email} <span class="ad-muted">({t("role." + (tk.role || "staff"))})</span></td>
									<td>{tk.read_only ? t("tokens.read_only") : t("tokens.read_write")}</td>
									<td>{tk.revoked_at ? t("tokens.revoked_at", { when: when(tk.revoked_at) }) : tk.expires_at ? when(tk.expires_at) : t("tokens.never")}</td>
									<td>{tk.last_used_at ? when(tk.last_used_at) : t("tokens.unused")}</td>
									<td>{dead ? null : <button type="button" class="ad-btn ad-btn-danger" onClick={() => revoke(tk)}>{t("tokens.revoke")}</button>}</td>
								</tr>
							);
						})}
					</tbody>
				</table>
			</div>
			{tokens.length === 0 ? <p>{t("tokens.none")}</p> : null}
			<h2 class="ad-h2">{t("tokens.add")}</h2>
			<form class="ad-form ad-token-new" onSubmit={create}>
				<label class="ad-field"><span>{t("tokens.name")}</span><input name="name" required maxLength={200} value={f.name} onInput={(e) => setF({ ...f, name: (e.target as HTMLInputElement).value })} /></label>
				<label class="ad-field"><span>{t("tokens.expires")}</span><input name="expires" type="date" value={f.expires} onChange={(e) => setF({ ...f, expires: (e.target as HTMLInputElement).value })} /></label>
				<label class="ad-check"><input type="checkbox" name="read_only" checked={f.read_only} onChange={(e) => setF({ ...f, read_only: (e.target as HTMLInputElement).checked })} /> {t("tokens.read_only_label")}</label>
				<div class="ad-actions"><button class="ad-btn ad-btn-primary" type="submit">{t("tokens.create")}</button></div>
			</form>
		</section>
	);
}
