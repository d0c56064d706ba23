// ResourcesView.tsx - the resources (admin): rooms, chairs, cars, with how many bookings each
// takes at once. Fewer places, making one inactive or deleting one is previewed first.
import { useEffect, useState } from "preact/hooks";
import { t } from "../../shared/i18n";
import { Notice } from "../../shared/ui";
import type { Session } from "../staffApi";
import { cat } from "./catalog";
import { type Row, binder, changed, useWrite } from "./kit";
import { Blackouts } from "./Blackouts";

export function ResourcesView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const [list, setList] = useState<Row[]>([]);
	const [open, setOpen] = useState<{ orig: Row | null; key: number } | null>(null);
	const [said, setSaid] = useState("");
	const load = async () => setList((await cat<{ resources?: Row[] }>("GET", slug, "/resources")).resources || []);
	useEffect(() => { load(); }, []);
	const edit = (orig: Row | null) => { setSaid(""); setOpen({ orig, key: Date.now() }); };
	return (
		<section aria-labelledby="res-title">
			<h1 id="res-title" class="ad-title">{t("resources.title")}</h1>
			<div class="ad-actions"><button class="ad-btn" type="button" onClick={() => edit(null)}>{t("resources.new")}</button></div>
			<div aria-live="polite">{said ? <Notice kind="ok">{said}</Notice> : null}</div>
			{list.length === 0 ? <p>{t("resources.none")}</p> : (
				<div class="ad-table-wrap">
					<table class="ad-table">
						<thead><tr><th scope="col">{t("resources.name")}</th><th scope="col">{t("resources.capacity")}</th><th scope="col">{t("services.state")}</th><th scope="col"><span class="ad-sr">{t("setup.actions")}</span></th></tr></thead>
						<tbody>
							{list.map((r) => (
								<tr key={String(r.id)}>
									<th scope="row">{String(r.name)}</th>
									<td>{String(r.capacity)}</td>
									<td>{r.active === false ? t("setup.archived") : t("setup.offered")}</td>
									<td><button class="ad-link" type="button" onClick={() => edit(r)}>{t("setup.edit_named", { name: String(r.name) })}</button></td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{open ? <ResourceForm key={open.key} slug={slug} zone={session.business.timezone || "UTC"} orig={open.orig} onDone={(text) => { setOpen(null); setSaid(text); load(); }} /> : null}
		</section>
	);
}

function ResourceForm({ slug, zone, orig, onDone }: { slug: string; zone: string; orig: Row | null; onDone: (said: string) => void }) {
	const [doc, setDoc] = useState<Row>(orig ? { ...orig } : { name: "", capacity: 1, active: true });
	const w = useWrite(zone);
	const f = binder(doc, setDoc, w.errors);
	const save = (e: Event) => {
		e.preventDefault();
		if (!orig) return w.write("", () => cat("POST", slug, "/resources", { body: doc }), false, () => onDone(t("resources.created", { name: String(doc.name) })));
		const body = changed(orig, doc, ["id"]);
		const risky = body.active === false || (typeof body.capacity === "number" && body.capacity < Number(orig.capacity)) ||
			"buffer_before_s" in body || "buffer_after_s" in body || body.overnight === false;
		w.write(t("services.changing", { name: String(orig.name) }), (dry) => cat("PATCH", slug, "/resources/{resource}", { params: { resource: String(orig.id) }, body, dry }), risky,
			() => onDone(t("services.saved", { name: String(doc.name) })));
	};
	const remove = () =>
		w.write(t("services.removing", { name: String(orig?.name) }), (dry) => cat("DELETE", slug, "/resources/{resource}", { params: { resource: String(orig?.id) }, dry }), true,
			(r) => onDone((r as Row).id ? t("services.withdrawn", { name: String(orig?.name) }) : t("services.deleted", { name: String(orig?.name) })));
	return (
		<>
		<form class="ad-form" onSubmit={save} aria-labelledby="res-form-title">
			<h2 id="res-form-title" class="ad-h2">{orig ? t("services.edit", { name: String(orig.name) }) : t("resources.new")}</h2>
			<div class="ad-grid">
				{f.text("name", t("resources.name"), { required: true })}
				{f.int("capacity", t("resources.capacity"), { min: 1, hint: t("resources.capacity_hint") })}
				{f.secs("buffer_before_s", t("resources.buffer_before"), "h")}
				{f.secs("buffer_after_s", t("resources.buffer_after"), "h")}
			</div>
			{f.check("overnight", t("resources.overnight"))}
			{f.check("active", t("providers.active"))}
			<div class="ad-actions">
				<button class="ad-btn ad-btn-primary" type="submit">{orig ? t("setup.check_save") : t("resources.create")}</button>
				{orig ? <button class="ad-btn ad-btn-danger" type="button" onClick={remove}>{t("services.remove")}</button> : null}
				<button class="ad-link" type="button" onClick={() => onDone("")}>{t("setup.close")}</button>
			</div>
			{w.panel}
		</form>
		{orig ? <Blackouts slug={slug} zone={zone} resource={String(orig.id)} name={String(orig.name)} /> : null}
		</>
	);
}
