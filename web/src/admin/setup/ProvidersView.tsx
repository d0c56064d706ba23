// ProvidersView.tsx - the providers (admin): who can be booked, their own zone, and the staff
// login linked to each (a linked staff user sees only that provider's bookings). Making one
// inactive or deleting one is previewed first: the impact list shows what it strands.
import { useEffect, useState } from "preact/hooks";
import { t } from "../../shared/i18n";
import { Notice } from "../../shared/ui";
import type { Session } from "../staffApi";
import { cat } from "./catalog";
import { type Row, binder, changed, useWrite } from "./kit";

type User = { id?: string; name?: string; email?: string; role?: string };

export function ProvidersView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const [list, setList] = useState<Row[]>([]);
	const [users, setUsers] = useState<User[] | null>(null);
	const [open, setOpen] = useState<{ orig: Row | null; key: number } | null>(null);
	const [said, setSaid] = useState("");
	const load = async () => setList((await cat<{ providers?: Row[] }>("GET", slug, "/providers")).providers || []);
	useEffect(() => {
		load();
		// Only an owner may list users; others link by the user's id.
		if (session.user.role === "owner") cat<{ users?: User[] }>("GET", slug, "/users").then((r) => setUsers(r.users || []), () => setUsers(null));
	}, []);
	const userName = (id: unknown) => {
		const u = users?.find((x) => x.id === id);
		return u ? (u.name || u.email || "") : id ? String(id) : "—";
	};
	const edit = (orig: Row | null) => { setSaid(""); setOpen({ orig, key: Date.now() }); };
	return (
		<section aria-labelledby="prv-title">
			<h1 id="prv-title" class="ad-title">{t("providers.title")}</h1>
			<div class="ad-actions"><button class="ad-btn" type="button" onClick={() => edit(null)}>{t("providers.new")}</button></div>
			<div aria-live="polite">{said ? <Notice kind="ok">{said}</Notice> : null}</div>
			<div class="ad-table-wrap">
				<table class="ad-table">
					<thead><tr><th scope="col">{t("providers.name")}</th><th scope="col">{t("providers.email")}</th><th scope="col">{t("providers.user")}</th><th scope="col">{t("services.state")}</th><th scope="col"><span class="ad-sr">{t("setup.actions")}</span></th></tr></thead>
					<tbody>
						{list.map((p) => (
							<tr key={String(p.id)}>
								<th scope="row">{String(p.name)}</th>
								<td>{String(p.email || "")}</td>
								<td>{userName(p.user_id)}</td>
								<td>{p.active === false ? t("setup.archived") : t("setup.offered")}</td>
								<td><button class="ad-link" type="button" onClick={() => edit(p)}>{t("setup.edit_named", { name: String(p.name) })}</button></td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
			{open ? <ProviderForm key={open.key} slug={slug} zone={session.business.timezone || "UTC"} orig={open.orig} users={users} onDone={(text) => { setOpen(null); setSaid(text); load(); }} /> : null}
		</section>
	);
}

function ProviderForm({ slug, zone, orig, users, onDone }: { slug: string; zone: string; orig: Row | null; users: User[] | null; onDone: (said: string) => void }) {
	const [doc, setDoc] = useState<Row>(orig ? { ...orig, timezone: orig.timezone || "" } : { name: "", email: "", timezone: "", user_id: null, active: true });
	const w = useWrite(zone);
	const f = binder(doc, setDoc, w.errors);
	const body = () => {
		const b = orig ? changed({ ...orig, timezone: orig.timezone || "" }, doc, ["id"]) : { ...doc };
		if (b.timezone === "") b.timezone = null;
		return b;
	};
	const save = (e: Event) => {
		e.preventDefault();
		const b = body();
		if (!orig) return w.write("", () => cat("POST", slug, "/providers", { body: b }), false, () => onDone(t("providers.created", { name: String(doc.name) })));
		w.write(t("services.changing", { name: String(orig.name) }), (dry) => cat("PATCH", slug, "/providers/{provider}", { params: { provider: String(orig.id) }, body: b, dry }), b.active === false,
			() => onDone(t("services.saved", { name: String(doc.name) })));
	};
	const remove = () =>
		w.write(t("services.removing", { name: String(orig?.name) }), (dry) => cat("DELETE", slug, "/providers/{provider}", { params: { provider: String(orig?.id) }, dry }), true,
			(r) => onDone((r as Row).id ? t("services.withdrawn", { name: String(orig?.name) }) : t("services.deleted", { name: String(orig?.name) })));
	return (
		<form class="ad-form" onSubmit={save} aria-labelledby="prv-form-title">
			<h2 id="prv-form-title" class="ad-h2">{orig ? t("services.edit", { name: String(orig.name) }) : t("providers.new")}</h2>
			<div class="ad-grid">
				{f.text("name", t("providers.name"), { required: true })}
				{f.text("email", t("providers.email"), { type: "email" })}
				{f.text("timezone", t("providers.timezone"), { hint: t("providers.timezone_hint") })}
				{users
					? f.select("user_id", t("providers.user"), [{ value: "", label: t("providers.no_user") }, ...users.map((u) => ({ value: u.id || "", label: (u.name || u.email || "") + " (" + t("role." + (u.role || "staff")) + ")" }))])
					: f.text("user_id", t("providers.user_id"), { hint: t("providers.user_hint") })}
			</div>
			{f.check("active", t("providers.active"))}
			<div class="ad-actions">
				<button class="ad-btn ad-btn-primary" type="submit">{orig ? t("setup.check_save") : t("providers.create")}</button>
				{orig ? <button class="ad-btn ad-btn-danger" type="button" onClick={remove}>{t("services.remove")}</button> : null}
				<button class="ad-link" type="button" onClick={() => onDone("")}>{t("setup.close")}</button>
			</div>
			{w.panel}
		</form>
	);
}
