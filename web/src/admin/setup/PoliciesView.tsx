// PoliciesView.tsx - booking policies (admin), kept per service: pick a service, change its
// notice, window, cut-offs and refunds. They bind new bookings and customers' changes only,
// so no booking is stranded and the change is saved at once.
import { useEffect, useState } from "preact/hooks";
import { t } from "../../shared/i18n";
import type { Session } from "../staffApi";
import { cat } from "./catalog";
import { type Row, changed, useWrite } from "./kit";
import { PolicyFields } from "./PolicyFields";

const KEYS = ["min_notice_s", "max_advance_s", "cancel_until_s", "reschedule_until_s", "requires_approval", "refund_tiers"];

export function PoliciesView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const [services, setServices] = useState<Row[]>([]);
	const [id, setId] = useState("");
	const [doc, setDoc] = useState<Row>({});
	const w = useWrite(session.business.timezone || "UTC");
	const load = async (keep?: string) => {
		const list = (await cat<{ services?: Row[] }>("GET", slug, "/services")).services || [];
		setServices(list);
		const pick = list.find((s) => s.id === keep) || list[0];
		setId(String(pick?.id || ""));
		setDoc(pick ? { ...pick } : {});
	};
	useEffect(() => { load(); }, []);
	const orig = services.find((s) => s.id === id) || {};
	const pick = (v: string) => {
		setId(v);
		setDoc({ ...(services.find((s) => s.id === v) || {}) });
		w.reset();
	};
	const save = (e: Event) => {
		e.preventDefault();
		const body = changed(orig, doc);
		for (const k of Object.keys(body)) if (!KEYS.includes(k)) delete body[k];
		w.write("", () => cat("PATCH", slug, "/services/{service}", { params: { service: id }, body }), false, () => { load(id); });
	};
	return (
		<section aria-labelledby="pol-title">
			<h1 id="pol-title" class="ad-title">{t("policy.title")}</h1>
			<p class="ad-muted">{t("policy.intro")}</p>
			<label class="ad-field-inline">
				<span>{t("policy.service")}</span>
				<select name="service" value={id} onChange={(e) => pick((e.target as HTMLSelectElement).value)}>
					{services.map((s) => <option key={String(s.id)} value={String(s.id)}>{String(s.name)}{s.active === false ? " (" + t("setup.archived") + ")" : ""}</option>)}
				</select>
			</label>
			{id ? (
				<form class="ad-form" onSubmit={save}>
					<PolicyFields doc={doc} setDoc={setDoc} errors={w.errors} />
					<button class="ad-btn ad-btn-primary" type="submit">{t("setup.save")}</button>
					{w.panel}
				</form>
			) : <p>{t("services.none")}</p>}
		</section>
	);
}
