// ServicesView.tsx - the services (admin): the catalogue as a table, and the form of a new
// or chosen service (ServiceForm).
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../../shared/i18n";
import { formatDuration, formatMoney } from "../../shared/time";
import { Notice } from "../../shared/ui";
import type { Session } from "../staffApi";
import { bookables, cat, type Named } from "./catalog";
import type { Row } from "./kit";
import { PaymentSettings } from "./PaymentSettings";
import { PricingRules } from "./PricingRules";
import { ServiceForm } from "./ServiceForm";
import { GroupRulesEditor } from "../Groups";

export function ServicesView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const [list, setList] = useState<Row[]>([]);
	const [people, setPeople] = useState<{ providers: Named[]; resources: Named[] }>({ providers: [], resources: [] });
	const [open, setOpen] = useState<{ orig: Row | null; key: number } | null>(null);
	const [currency, setCurrency] = useState("EUR");
	const [said, setSaid] = useState("");
	const load = async () => setList((await cat<{ services?: Row[] }>("GET", slug, "/services")).services || []);
	useEffect(() => {
		load();
		bookables(slug).then(setPeople, () => {});
		cat("GET", slug, "").then((b) => setCurrency(String(b.currency || "EUR")), () => {});
	}, []);
	return (
		<section aria-labelledby="svc-title">
			<h1 id="svc-title" class="ad-title">{t("services.title")}</h1>
			<div class="ad-actions"><button class="ad-btn" type="button" onClick={() => { setSaid(""); setOpen({ orig: null, key: Date.now() }); }}>{t("services.new")}</button></div>
			<div aria-live="polite">{said ? <Notice kind="ok">{said}</Notice> : null}</div>
			<div class="ad-table-wrap">
				<table class="ad-table ad-services">
					<thead><tr><th scope="col">{t("services.name")}</th><th scope="col">{t("services.kind")}</th><th scope="col">{t("services.duration")}</th><th scope="col">{t("services.price")}</th><th scope="col">{t("services.state")}</th><th scope="col"><span class="ad-sr">{t("setup.actions")}</span></th></tr></thead>
					<tbody>
						{list.map((s) => (
							<tr key={String(s.id)} data-service={String(s.id)}>
								<th scope="row">{String(s.name)}</th>
								<td>{t("kind." + String(s.kind))}</td>
								<td>{formatDuration(Number(s.duration_s || 0), locale())}</td>
								<td>{formatMoney({ amount_minor: Number(s.price_minor || 0), currency }, locale())}</td>
								<td>{s.active === false ? t("setup.archived") : t("setup.offered")}</td>
								<td><button class="ad-link" type="button" onClick={() => { setSaid(""); setOpen({ orig: s, key: Date.now() }); }}>{t("setup.edit_named", { name: String(s.name) })}</button></td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
			{open ? <ServiceForm key={open.key} slug={slug} zone={session.business.timezone || "UTC"} orig={open.orig} providers={people.providers} resources={people.resources}
				onDone={(text) => { setOpen(null); setSaid(text); load(); }} /> : null}
			{open?.orig ? <GroupRulesEditor key={"gr" + open.key} slug={slug} serviceId={String(open.orig.id)} kind={String(open.orig.kind)} /> : null}
			{open?.orig?.id ? <PaymentSettings key={"pay" + open.key} slug={slug} service={String(open.orig.id)} /> : null}
			{open?.orig?.id ? <PricingRules key={"price" + open.key} slug={slug} service={String(open.orig.id)} kind={String(open.orig.kind)} currency={currency} /> : null}
		</section>
	);
}
