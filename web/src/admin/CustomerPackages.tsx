// CustomerPackages.tsx - a customer's packages on their profile (GET
// …/customers/{customer}/packages): sessions left of each, and selling one of the
// business's active packages (POST, the price tracked, not charged). Bookings take their
// sessions through "package" on a new booking; a cancellation gives one back.
import { useEffect, useState } from "preact/hooks";
import type { components } from "../shared/api-types";
import { locale, t } from "../shared/i18n";
import { formatMoney, formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { ApiError, call, staff } from "./staffApi";

type Held = components["schemas"]["CustomerPackage"];
type Package = components["schemas"]["Package"];

export function CustomerPackages({ slug, zone, customer }: { slug: string; zone: string; customer: string }) {
	const [held, setHeld] = useState<Held[]>([]);
	const [offer, setOffer] = useState<Package[]>([]);
	const [pick, setPick] = useState("");
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const path = { business: slug, customer };
	const load = () => call(staff.GET("/api/v1/businesses/{business}/customers/{customer}/packages", { params: { path } })).then((r) => setHeld(((r as { packages?: Held[] }).packages) || []), () => setHeld([]));
	useEffect(() => {
		load();
		call(staff.GET("/api/v1/businesses/{business}/packages", { params: { path: { business: slug } } })).then((r) => {
			const list = (((r as { packages?: Package[] }).packages) || []).filter((p) => p.active);
			setOffer(list);
			if (list[0]) setPick(list[0].id);
		}, () => {});
	}, [customer]);
	const sell = async (e: Event) => {
		e.preventDefault();
		setMsg(null);
		try {
			await call(staff.POST("/api/v1/businesses/{business}/customers/{customer}/packages", { params: { path }, body: { package: pick } } as never));
			setMsg({ kind: "ok", text: t("cpackages.sold", { name: offer.find((p) => p.id === pick)?.name || pick }) });
			load();
		} catch (err) {
			setMsg({ kind: "error", text: err instanceof ApiError ? err.problem.detail || err.message : t("error.generic") });
		}
	};
	return (
		<section aria-labelledby="cp-packages" data-customer-packages>
			<h2 id="cp-packages" class="ad-h2">{t("cpackages.title")}</h2>
			{held.length === 0 ? <p>{t("cpackages.none")}</p> : (
				<ul class="ad-packages">
					{held.map((p) => (
						<li key={p.id} data-remaining={p.remaining}>
							<strong>{p.name}</strong>: {t("cpackages.left", { left: p.remaining, of: p.sessions })} · {formatMoney(p.price, locale())} · {t("cpackages.sold_at", { when: formatWhen(p.sold_at, zone, locale()) })}
							<span class="ad-muted"> · {p.id}</span>
						</li>
					))}
				</ul>
			)}
			{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
			{offer.length ? (
				<form class="ad-inline-form" onSubmit={sell}>
					<label class="ad-field"><span>{t("cpackages.sell_which")}</span>
						<select name="package" value={pick} onChange={(e) => setPick((e.target as HTMLSelectElement).value)}>
							{offer.map((p) => <option key={p.id} value={p.id}>{p.name} ({p.sessions} · {formatMoney(p.price, locale())})</option>)}
						</select>
					</label>
					<button class="ad-btn" type="submit">{t("cpackages.sell")}</button>
				</form>
			) : null}
		</section>
	);
}
