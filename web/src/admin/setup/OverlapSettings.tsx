// OverlapSettings.tsx - double bookings by one customer (admin): whether a public booking
// is refused when the same email already holds one at an overlapping time, and the
// services whose bookings may overlap (GET, PATCH …/customer-overlap). The API's words show
// at the field at fault.
import { useEffect, useState } from "preact/hooks";
import { t } from "../../shared/i18n";
import { cat } from "./catalog";
import { type Row, binder, useWrite } from "./kit";

type Svc = { id: string; name?: string; allow_overlap: boolean };

export function OverlapSettings({ slug, zone }: { slug: string; zone: string }) {
	const [doc, setDoc] = useState<Row | null>(null);
	const [svcs, setSvcs] = useState<Svc[]>([]);
	const w = useWrite(zone);
	const take = (r: Row) => {
		const list = (r.services as Svc[]) || [];
		setSvcs(list);
		setDoc({ policy: r.policy, allowed: list.filter((s) => s.allow_overlap).map((s) => s.id) });
	};
	useEffect(() => { cat("GET", slug, "/customer-overlap").then(take, () => {}); }, []);
	if (!doc) return null;
	const f = binder(doc, setDoc, w.errors);
	const save = (e: Event) => {
		e.preventDefault();
		const allowed = (doc.allowed as string[]) || [];
		const body = { policy: doc.policy, services: svcs.map((s) => ({ id: s.id, allow_overlap: allowed.includes(s.id) })) };
		w.write("", () => cat("PATCH", slug, "/customer-overlap", { body }), false, (r) => take(r as Row));
	};
	return (
		<form class="ad-form" onSubmit={save} aria-labelledby="biz-overlap">
			<h2 id="biz-overlap" class="ad-h2">{t("overlap.title")}</h2>
			<p class="ad-muted">{t("overlap.intro")}</p>
			<div class="ad-grid">
				{f.select("policy", t("overlap.policy"), ["refuse", "allow"].map((p) => ({ value: p, label: t("overlap.policy_" + p) })))}
			</div>
			{doc.policy === "refuse" ? f.many("allowed", t("overlap.services"), svcs.map((s) => ({ value: s.id, label: s.name || s.id }))) : null}
			<button class="ad-btn ad-btn-primary" type="submit">{t("overlap.save")}</button>
			{w.panel}
		</form>
	);
}
