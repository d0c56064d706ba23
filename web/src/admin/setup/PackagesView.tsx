// PackagesView.tsx - packages (admin): N sessions of a service sold at a price (tracked,
// not charged), defined here and sold from a customer's profile; one no longer sold is
// made inactive (sales already made keep their terms).
import { useEffect, useState } from "preact/hooks";
import { client } from "../../shared/api";
import type { components } from "../../shared/api-types";
import { locale, t } from "../../shared/i18n";
import { formatMoney } from "../../shared/time";
import { Notice } from "../../shared/ui";
import { type Session, call, staff } from "../staffApi";
import { fieldErrors, problemText } from "./kit";

export type Package = components["schemas"]["Package"];
type Svc = { id?: string; name?: string };

export function PackagesView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const [currency, setCurrency] = useState("");
	const [list, setList] = useState<Package[]>([]);
	const [services, setServices] = useState<Svc[]>([]);
	const [doc, setDoc] = useState({ name: "", service: "", sessions: 5, price: "" });
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const load = async () => setList(((await call(staff.GET("/api/v1/businesses/{business}/packages", { params: { path: { business: slug } } }))) as { packages?: Package[] }).packages || []);
	useEffect(() => {
		load();
		call(client.GET("/api/v1/public/{business}", { params: { path: { business: slug } } })).then((b) => setCurrency(b.currency || ""), () => {});
		call(client.GET("/api/v1/public/{business}/services", { params: { path: { business: slug } } })).then((r) => {
			const s = (r.services || []) as Svc[];
			setServices(s);
			if (s[0]) setDoc((d) => ({ ...d, service: d.service || s[0].id || "" }));
		}, () => {});
	}, []);
	const name = (id: string) => services.find((s) => s.id === id)?.name || id;
	const create = async (e: Event) => {
		e.preventDefault();
		setMsg(null);
		setErrors({});
		const minor = Math.round(Number(doc.price.replace(",", ".")) * 100);
		try {
			await call(staff.POST("/api/v1/businesses/{business}/packages", { params: { path: { business: slug } }, body: { name: doc.name, service: doc.service, sessions: doc.sessions, price: { amount_minor: Number.isFinite(minor) ? minor : -1 } } } as never));
			setMsg({ kind: "ok", text: t("packages.created", { name: doc.name }) });
			setDoc({ ...doc, name: "", price: "" });
			load();
		} catch (err) {
			setErrors(fieldErrors(err));
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const toggle = async (p: Package) => {
		setMsg(null);
		try {
			await call(staff.PATCH("/api/v1/businesses/{business}/packages/{package}", { params: { path: { business: slug, package: p.id } }, body: { active: !p.active } } as never));
			load();
		} catch (err) {
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const err = (k: string) => (errors[k] ? <span class="ad-field-error" id={"pkg-" + k + "-err"}>{errors[k]}</span> : null);
	return (
		<section aria-labelledby="pkg-title">
			<h1 id="pkg-title" class="ad-title">{t("packages.title")}</h1>
			<p class="ad-muted">{t("packages.intro")}</p>
			<div aria-live="polite">{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}</div>
			{list.length === 0 ? <p>{t("packages.none")}</p> : (
				<div class="ad-table-wrap">
					<table class="ad-table ad-stack">
						<thead><tr><th scope="col">{t("packages.name")}</th><th scope="col">{t("packages.service")}</th><th scope="col">{t("packages.sessions")}</th><th scope="col">{t("packages.price")}</th><th scope="col">{t("services.state")}</th><th scope="col"><span class="ad-sr">{t("setup.actions")}</span></th></tr></thead>
						<tbody>
							{list.map((p) => (
								<tr key={p.id}>
									<th scope="row" data-label={t("packages.name")}>{p.name}</th>
									<td data-label={t("packages.service")}>{name(p.service)}</td>
									<td data-label={t("packages.sessions")}>{p.sessions}</td>
									<td data-label={t("packages.price")}>{formatMoney(p.price, locale())}</td>
									<td data-label={t("services.state")}>{p.active ? t("packages.sold") : t("packages.not_sold")}</td>
									<td><button class="ad-link" type="button" onClick={() => toggle(p)}>{p.active ? t("packages.stop", { name: p.name }) : t("packages.resume", { name: p.name })}</button></td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<form class="ad-form" onSubmit={create} aria-labelledby="pkg-new">
				<h2 id="pkg-new" class="ad-h2">{t("packages.new")}</h2>
				<div class="ad-grid">
					<label class="ad-field"><span>{t("packages.name")}</span><input name="name" required maxLength={200} value={doc.name} onInput={(e) => setDoc({ ...doc, name: (e.target as HTMLInputElement).value })} aria-describedby={errors.name ? "pkg-name-err" : undefined} />{err("name")}</label>
					<label class="ad-field"><span>{t("packages.service")}</span>
						<select name="service" value={doc.service} onChange={(e) => setDoc({ ...doc, service: (e.target as HTMLSelectElement).value })}>{services.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select>{err("service")}
					</label>
					<label class="ad-field"><span>{t("packages.sessions")}</span><input name="sessions" type="number" min={1} max={1000} required value={String(doc.sessions)} onInput={(e) => setDoc({ ...doc, sessions: Number((e.target as HTMLInputElement).value) })} />{err("sessions")}</label>
					<label class="ad-field"><span>{t("packages.price_in", { currency })}</span><input name="price" inputMode="decimal" required value={doc.price} onInput={(e) => setDoc({ ...doc, price: (e.target as HTMLInputElement).value })} />{err("price")}</label>
				</div>
				<div class="ad-actions"><button class="ad-btn ad-btn-primary" type="submit">{t("packages.create")}</button></div>
			</form>
		</section>
	);
}
