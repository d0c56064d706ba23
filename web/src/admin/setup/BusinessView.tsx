// BusinessView.tsx - the business's settings (admin): name, zone, contact, branding, hold
// time, no-show grace; and the protection limits of its public booking page. Each form
// sends only what changed (PATCH), and the API's words show at the field at fault. A new
// zone is previewed first (?dry_run=1): it moves every weekly hour.
import { useEffect, useState } from "preact/hooks";
import { t } from "../../shared/i18n";
import { allZones } from "../../shared/time";
import { Loading } from "../../shared/ui";
import type { Session } from "../staffApi";
import { AssignSettings } from "./AssignSettings";
import { OverlapSettings } from "./OverlapSettings";
import { cat } from "./catalog";
import { type Row, binder, changed, useWrite } from "./kit";

const PROTECTION = ["holds_per_client", "holds_per_address", "hold_day_share", "bookings_per_address_hour", "bookings_per_address_day", "bookings_per_email_hour", "bookings_per_email_day"];

export function BusinessView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [orig, setOrig] = useState<Row | null>(null);
	const [doc, setDoc] = useState<Row>({});
	const [porig, setPorig] = useState<Row | null>(null);
	const [prot, setProt] = useState<Row>({});
	const biz = useWrite(zone);
	const pw = useWrite(zone);
	useEffect(() => {
		cat("GET", slug, "").then((b) => { setOrig(b); setDoc(b); }, (e) => biz.setMsg({ kind: "error", text: String(e) }));
		cat("GET", slug, "/protection").then((p) => { setPorig(p); setProt(p); }, () => {});
	}, []);
	if (!orig) return <section><h1 class="ad-title">{t("business.title")}</h1>{biz.panel}<Loading /></section>;
	const f = binder(doc, setDoc, biz.errors);
	const p = binder(prot, setProt, pw.errors);
	const saveBiz = (e: Event) => {
		e.preventDefault();
		const body = changed(orig, doc, ["id", "slug"]);
		// A new zone moves every weekly hour: previewed first.
		biz.write(t("business.moving", { zone: String(doc.timezone) }), (dry) => cat("PATCH", slug, "", { body, dry }), "timezone" in body, (r) => { setOrig(r as Row); setDoc(r as Row); });
	};
	const saveProt = (e: Event) => {
		e.preventDefault();
		const body = changed(porig || {}, prot);
		pw.write("", () => cat("PATCH", slug, "/protection", { body }), false, (r) => { setPorig(r as Row); setProt(r as Row); });
	};
	return (
		<section aria-labelledby="biz-title">
			<h1 id="biz-title" class="ad-title">{t("business.title")}</h1>
			<form class="ad-form" onSubmit={saveBiz} aria-labelledby="biz-general">
				<h2 id="biz-general" class="ad-h2">{t("business.general")}</h2>
				<div class="ad-grid">
					{f.text("name", t("business.name"), { required: true })}
					{f.text("timezone", t("business.timezone"), { required: true, list: "ad-zones", hint: t("business.timezone_hint") })}
					{f.text("currency", t("business.currency"))}
					{f.text("locale", t("business.locale"))}
					{f.text("address", t("business.address"))}
					{f.text("phone", t("business.phone"), { type: "tel" })}
					{f.text("logo_url", t("business.logo_url"), { type: "url", hint: t("business.logo_hint") })}
					{f.text("accent_colour", t("business.accent_colour"), { hint: t("business.accent_hint") })}
				</div>
				<datalist id="ad-zones">{allZones([String(orig.timezone || "")]).map((z) => <option key={z} value={z} />)}</datalist>
				<h2 class="ad-h2">{t("business.policies")}</h2>
				<div class="ad-grid">
					{f.secs("hold_ttl_s", t("business.hold_ttl"), "min", t("business.hold_ttl_hint"))}
					{f.secs("no_show_grace_s", t("business.no_show_grace"), "min", t("business.no_show_grace_hint"))}
				</div>
				{f.check("auto_no_show", t("business.auto_no_show"))}
				{f.check("require_phone", t("business.require_phone"))}
				{f.check("listed", t("business.listed"))}
				<p class="ad-muted">{t("business.service_policies")}</p>
				<button class="ad-btn ad-btn-primary" type="submit">{t("setup.save")}</button>
				{biz.panel}
			</form>
			{porig ? (
				<form class="ad-form" onSubmit={saveProt} aria-labelledby="biz-protection">
					<h2 id="biz-protection" class="ad-h2">{t("protection.title")}</h2>
					<p class="ad-muted">{t("protection.intro")}</p>
					<div class="ad-grid">
						{PROTECTION.map((k) => <div key={k}>{p.int(k, t("protection." + k), { min: 0 })}</div>)}
						{p.secs("confirm_within_s", t("protection.confirm_within"), "min")}
					</div>
					{p.check("confirm_by_email", t("protection.confirm_by_email"))}
					<button class="ad-btn ad-btn-primary" type="submit">{t("protection.save")}</button>
					{pw.panel}
				</form>
			) : null}
			<AssignSettings slug={slug} zone={zone} />
			<OverlapSettings slug={slug} zone={zone} />
		</section>
	);
}
