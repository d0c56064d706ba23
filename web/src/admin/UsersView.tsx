// UsersView.tsx - the business's staff users (owner only): invite one by email or create one
// with a password, change a role, link a user to the provider whose schedule they keep (the
// staff role then sees that provider only), force a password reset, remove a user. Every
// change goes through the staff API (…/users, …/providers/{id}); the server keeps the last
// owner an owner.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { problemText } from "./problem";
import { type Session, type StaffUser, call, staff } from "./staffApi";

type Provider = { id?: string; name?: string; user_id?: string | null };
const ROLES = ["staff", "admin", "owner"] as const;

export function UsersView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const P = { params: { path: { business: slug } } };
	const [users, setUsers] = useState<StaffUser[]>([]);
	const [providers, setProviders] = useState<Provider[]>([]);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const [f, setF] = useState({ email: "", name: "", role: "staff", invite: true, password: "" });

	const load = async () => {
		try {
			const [u, p] = await Promise.all([
				call(staff.GET("/api/v1/businesses/{business}/users", P)),
				call(staff.GET("/api/v1/businesses/{business}/providers", P)),
			]);
			setUsers(u.users || []);
			setProviders(((p as { providers?: Provider[] }).providers) || []);
		} catch (e) {
			setMsg({ kind: "error", text: problemText(e) });
		}
	};
	useEffect(() => { load(); }, []);
	const done = (text: string) => { setMsg({ kind: "ok", text }); load(); };
	const run = async (what: () => Promise<unknown>, ok: string) => {
		setMsg(null);
		try {
			await what();
			done(ok);
		} catch (e) {
			setMsg({ kind: "error", text: problemText(e) });
		}
	};

	const create = (e: Event) => {
		e.preventDefault();
		const body = f.invite ? { email: f.email, name: f.name, role: f.role, invite: true } : { email: f.email, name: f.name, role: f.role, password: f.password };
		run(async () => {
			await call(staff.POST("/api/v1/businesses/{business}/users", { ...P, body } as never));
			setF({ email: "", name: "", role: "staff", invite: true, password: "" });
		}, t(f.invite ? "users.invited" : "users.created", { email: f.email }));
	};
	const U = (id: string) => ({ params: { path: { business: slug, user: id } } });
	const setRole = (u: StaffUser, role: string) =>
		run(() => call(staff.PATCH("/api/v1/businesses/{business}/users/{user}", { ...U(u.id), body: { role } } as never)), t("users.role_changed", { email: u.email, role: t("role." + role) }));
	const reset = (u: StaffUser) => {
		if (!confirm(t("users.reset_confirm", { email: u.email }))) return;
		run(() => call(staff.POST("/api/v1/businesses/{business}/users/{user}/password-reset", U(u.id) as never)), t("users.reset_sent", { email: u.email }));
	};
	const remove = (u: StaffUser) => {
		if (!confirm(t("users.remove_confirm", { email: u.email }))) return;
		run(() => call(staff.DELETE("/api/v1/businesses/{business}/users/{user}", U(u.id))), t("users.removed", { email: u.email }));
	};
	/** Links u to provider id ("" unlinks): the provider it had is unlinked first. */
	const link = (u: StaffUser, id: string) =>
		run(async () => {
			const patch = (pid: string, user_id: string | null) =>
				call(staff.PATCH("/api/v1/businesses/{business}/providers/{provider}", { params: { path: { business: slug, provider: pid } }, body: { user_id } } as never));
			if (u.provider_id && u.provider_id !== id) await patch(u.provider_id, null);
			if (id) await patch(id, u.id);
		}, id ? t("users.linked", { email: u.email, provider: providers.find((p) => p.id === id)?.name || id }) : t("users.unlinked", { email: u.email }));

	return (
		<section aria-labelledby="users-title">
			<h1 id="users-title" class="ad-title">{t("users.title")}</h1>
			<p class="ad-muted">{t("users.intro")}</p>
			<div aria-live="polite">{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}</div>
			<div class="ad-table-wrap" tabIndex={0} role="region" aria-labelledby="users-caption">
				<table class="ad-table ad-stack ad-users">
					<caption id="users-caption" class="ad-muted">{t("users.caption")}</caption>
					<thead>
						<tr>
							<th scope="col">{t("users.col.user")}</th>
							<th scope="col">{t("users.col.role")}</th>
							<th scope="col">{t("users.col.provider")}</th>
							<th scope="col">{t("users.col.actions")}</th>
						</tr>
					</thead>
					<tbody>
						{users.map((u) => {
							const me = u.id === session.user.id;
							return (
								<tr key={u.id} data-email={u.email}>
									<td>
										<strong>{u.name || u.email}</strong>
										<br />
										<span class="ad-muted">{u.email} · {t("users.since", { when: formatWhen(u.created_at, zone, locale()) })}</span>
									</td>
									<td>
										<select aria-label={t("users.role_of", { email: u.email })} value={u.role} onChange={(e) => setRole(u, (e.target as HTMLSelectElement).value)}>
											{ROLES.map((r) => <option key={r} value={r}>{t("role." + r)}</option>)}
										</select>
									</td>
									<td>
										<select aria-label={t("users.provider_of", { email: u.email })} value={u.provider_id || ""} onChange={(e) => link(u, (e.target as HTMLSelectElement).value)}>
											<option value="">{t("users.no_provider")}</option>
											{providers.filter((p) => !p.user_id || p.user_id === u.id).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
										</select>
									</td>
									<td>
										<div class="ad-row-actions">
											<button type="button" class="ad-btn" onClick={() => reset(u)} disabled={me}>{t("users.reset")}</button>
											<button type="button" class="ad-btn ad-btn-danger" onClick={() => remove(u)} disabled={me}>{t("users.remove")}</button>
										</div>
									</td>
								</tr>
							);
						})}
					</tbody>
				</table>
			</div>
			<h2 class="ad-h2">{t("users.add")}</h2>
			<form class="ad-form ad-user-new" onSubmit={create}>
				<label class="ad-field"><span>{t("users.email")}</span><input name="email" type="email" required value={f.email} onInput={(e) => setF({ ...f, email: (e.target as HTMLInputElement).value })} /></label>
				<label class="ad-field"><span>{t("users.name")}</span><input name="name" value={f.name} onInput={(e) => setF({ ...f, name: (e.target as HTMLInputElement).value })} /></label>
				<label class="ad-field"><span>{t("users.role")}</span>
					<select name="role" value={f.role} onChange={(e) => setF({ ...f, role: (e.target as HTMLSelectElement).value })}>
						{ROLES.map((r) => <option key={r} value={r}>{t("role." + r)}</option>)}
					</select>
				</label>
				<label class="ad-check"><input type="checkbox" name="invite" checked={f.invite} onChange={(e) => setF({ ...f, invite: (e.target as HTMLInputElement).checked })} /> {t("users.invite")}</label>
				{!f.invite ? (
					<label class="ad-field"><span>{t("users.password")}</span><input name="password" type="password" autocomplete="new-password" minLength={8} required value={f.password} onInput={(e) => setF({ ...f, password: (e.target as HTMLInputElement).value })} /></label>
				) : null}
				<div class="ad-actions"><button class="ad-btn ad-btn-primary" type="submit">{t(f.invite ? "users.send_invite" : "users.create")}</button></div>
			</form>
		</section>
	);
}
