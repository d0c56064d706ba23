// LoyaltyView.tsx - the loyalty programme (admin; GET/PUT …/loyalty): on or off, points per
// unit of currency paid, whether tiers are reached by lifetime value or by visits, and the
// tiers with their threshold, points multiplier and discount on new bookings. Amounts are
// typed in the currency's units, multipliers as "1.5", discounts as percents; the API's
// minor units and basis points are computed here.
import { useEffect, useState } from "preact/hooks";
import { client } from "../../shared/api";
import type { components } from "../../shared/api-types";
import { t } from "../../shared/i18n";
import { Notice } from "../../shared/ui";
import { type Session, call, staff } from "../staffApi";
import { fieldErrors, problemText } from "./kit";
import "../loyalty.css";

type Settings = components["schemas"]["LoyaltySettings"];
type TierRow = { name: string; threshold: string; multiplier: string; discount: string };

const UNIT = 100; // minor units per unit of the currency (two decimals)

function toRows(s: Settings): TierRow[] {
	return (s.tiers || []).map((x) => ({
		name: x.name,
		threshold: String(s.tier_basis === "visits" ? x.threshold : x.threshold / UNIT),
		multiplier: String((x.multiplier_bp ?? 10000) / 10000),
		discount: String((x.discount_bp ?? 0) / 100),
	}));
}

function num(s: string): number {
	const n = Number(s.replace(",", "."));
	return Number.isFinite(n) ? n : -1;
}

export function LoyaltyView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const [currency, setCurrency] = useState("");
	const [enabled, setEnabled] = useState(false);
	const [rate, setRate] = useState("0");
	const [basis, setBasis] = useState<"value" | "visits">("value");
	const [tiers, setTiers] = useState<TierRow[]>([]);
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const path = { params: { path: { business: slug } } };
	const show = (s: Settings) => {
		setEnabled(!!s.enabled);
		setRate(String(s.points_per_unit ?? 0));
		setBasis(s.tier_basis === "visits" ? "visits" : "value");
		setTiers(toRows(s));
	};
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/loyalty", path)).then(show, () => setMsg({ kind: "error", text: t("error.load") }));
		call(client.GET("/api/v1/public/{business}", path)).then((b) => setCurrency(b.currency || ""), () => {});
	}, []);
	const save = async (e: Event) => {
		e.preventDefault();
		setMsg(null);
		setErrors({});
		const body: Settings = {
			enabled,
			points_per_unit: Math.round(num(rate)),
			tier_basis: basis,
			tiers: tiers.map((x) => ({
				name: x.name.trim(),
				threshold: Math.round(basis === "visits" ? num(x.threshold) : num(x.threshold) * UNIT),
				multiplier_bp: Math.round(num(x.multiplier) * 10000),
				discount_bp: Math.round(num(x.discount) * 100),
			})),
		};
		try {
			show(await call(staff.PUT("/api/v1/businesses/{business}/loyalty", { ...path, body })));
			setMsg({ kind: "ok", text: t("loyalty.saved") });
		} catch (err) {
			setErrors(fieldErrors(err));
			setMsg({ kind: "error", text: problemText(err, (f) => f === "points_per_unit" || f.startsWith("tiers[")) });
		}
	};
	const set = (i: number, k: keyof TierRow, v: string) => setTiers(tiers.map((x, j) => (j === i ? { ...x, [k]: v } : x)));
	const err = (k: string) => (errors[k] ? <span class="ad-field-error" id={"loy-" + k.replace(/[^a-z0-9]/gi, "-") + "-err"}>{errors[k]}</span> : null);
	const invalid = (k: string) => (errors[k] ? { "aria-invalid": "true" as const, "aria-describedby": "loy-" + k.replace(/[^a-z0-9]/gi, "-") + "-err" } : {});
	return (
		<section class="ad-setup ad-loyalty" aria-labelledby="loy-title">
			<h1 id="loy-title" class="ad-title">{t("loyalty.settings_title")}</h1>
			<p class="ad-muted">{t("loyalty.intro")}</p>
			<form onSubmit={save} noValidate>
				<label class="ad-check">
					<input type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.target as HTMLInputElement).checked)} data-loyalty-enabled />
					{t("loyalty.enabled")}
				</label>
				<label>
					{t("loyalty.rate", { currency })}
					<input type="number" min="0" max="1000" step="1" value={rate} onInput={(e) => setRate((e.target as HTMLInputElement).value)} data-loyalty-rate {...invalid("points_per_unit")} />
					{err("points_per_unit")}
				</label>
				<label>
					{t("loyalty.basis")}
					<select value={basis} onChange={(e) => setBasis((e.target as HTMLSelectElement).value as "value" | "visits")} data-loyalty-basis>
						<option value="value">{t("loyalty.basis.value")}</option>
						<option value="visits">{t("loyalty.basis.visits")}</option>
					</select>
				</label>
				<h2 class="ad-h2">{t("loyalty.tiers")}</h2>
				{tiers.length === 0 ? <p class="ad-muted">{t("loyalty.no_tiers")}</p> : null}
				{tiers.map((x, i) => (
					<fieldset key={i} class="ad-loyalty-tier" data-loyalty-tier-row={i}>
						<legend>{t("loyalty.tier_n", { n: String(i + 1) })}</legend>
						<label>
							{t("loyalty.tier_name")}
							<input type="text" maxLength={63} value={x.name} onInput={(e) => set(i, "name", (e.target as HTMLInputElement).value)} data-tier-name {...invalid(`tiers[${i}].name`)} />
							{err(`tiers[${i}].name`)}
						</label>
						<label>
							{basis === "visits" ? t("loyalty.threshold_visits") : t("loyalty.threshold_value", { currency })}
							<input type="number" min="0" step="any" value={x.threshold} onInput={(e) => set(i, "threshold", (e.target as HTMLInputElement).value)} data-tier-threshold {...invalid(`tiers[${i}].threshold`)} />
							{err(`tiers[${i}].threshold`)}
						</label>
						<label>
							{t("loyalty.multiplier")}
							<input type="number" min="0" max="5" step="0.05" value={x.multiplier} onInput={(e) => set(i, "multiplier", (e.target as HTMLInputElement).value)} data-tier-multiplier {...invalid(`tiers[${i}].multiplier_bp`)} />
							{err(`tiers[${i}].multiplier_bp`)}
						</label>
						<label>
							{t("loyalty.discount")}
							<input type="number" min="0" max="100" step="0.01" value={x.discount} onInput={(e) => set(i, "discount", (e.target as HTMLInputElement).value)} data-tier-discount {...invalid(`tiers[${i}].discount_bp`)} />
							{err(`tiers[${i}].discount_bp`)}
						</label>
						<button type="button" class="ad-btn" onClick={() => setTiers(tiers.filter((_, j) => j !== i))}>{t("loyalty.remove_tier")}</button>
					</fieldset>
				))}
				<p>
					{tiers.length < 8 ? <button type="button" class="ad-btn" onClick={() => setTiers([...tiers, { name: "", threshold: "", multiplier: "1", discount: "0" }])} data-loyalty-add-tier>{t("loyalty.add_tier")}</button> : null}{" "}
					<button type="submit" class="ad-btn ad-btn-primary" data-loyalty-save>{t("loyalty.save")}</button>
				</p>
			</form>
			{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
		</section>
	);
}
