// PricingRules.tsx - the dynamic pricing part of the service editor
// (GET/PUT …/services/{service}/pricing): rental rates per hour and per day, rules (season,
// weekdays, time of day, lead time, length, location, item) that each add a percentage of the
// base or a fixed amount, and add-ons with their price and time. Saved on its own: existing
// bookings keep the price they were booked at, so there is nothing to preview.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { components } from "../../shared/api-types";
import { locale, t } from "../../shared/i18n";
import { weekdayNames } from "../../shared/time";
import { Notice } from "../../shared/ui";
import { call, staff } from "../staffApi";
import { fieldErrors, problemText, type Errors } from "./kit";

type Doc = components["schemas"]["PricingRules"];
type Rule = NonNullable<Doc["rules"]>[number];
type Addon = NonNullable<Doc["addons"]>[number];

/** A rule as the form edits it: text fields, empty meaning "no such condition". */
type RuleForm = {
	name: string; effect: "percent" | "amount"; value: string; weekdays: number[];
	from: string; to: string; timeFrom: string; timeTo: string;
	leadMinH: string; leadMaxH: string; lenMinH: string; lenMaxH: string; location: string; resource: string;
};
type AddonForm = { id: string; name: string; price: string; minutes: string };

const hours = (s?: number) => (s === undefined || s === null ? "" : String(s / 3600));
const secs = (h: string) => (h.trim() === "" ? undefined : Math.round(Number(h) * 3600));

export function PricingRules({ slug, service, kind, currency }: { slug: string; service: string; kind: string; currency: string }) {
	const [rules, setRules] = useState<RuleForm[] | null>(null);
	const [addons, setAddons] = useState<AddonForm[]>([]);
	const [rate, setRate] = useState({ hour: "", day: "" });
	const [error, setError] = useState("");
	const [errs, setErrs] = useState<Errors>({});
	const [saved, setSaved] = useState("");
	const path = { business: slug, service };
	const digits = new Intl.NumberFormat(locale(), { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
	const major = (m?: number) => (m === undefined || m === null ? "" : String(m / Math.pow(10, digits)));
	const minor = (v: string) => Math.round(Number(v || "0") * Math.pow(10, digits));
	const step = digits ? String(Math.pow(10, -digits)) : "1";
	const show = (d: Doc) => {
		setRate({ hour: d.rates?.hour_minor ? major(d.rates.hour_minor) : "", day: d.rates?.day_minor ? major(d.rates.day_minor) : "" });
		setRules((d.rules || []).map((r: Rule) => ({
			name: r.name, effect: r.multiplier_bp !== undefined ? "percent" : "amount",
			value: r.multiplier_bp !== undefined ? String((r.multiplier_bp - 10000) / 100) : major(r.adjust_minor),
			weekdays: r.weekdays || [], from: r.dates?.from || "", to: r.dates?.to || "", timeFrom: r.time?.from || "", timeTo: r.time?.to || "",
			leadMinH: hours(r.lead_s?.min), leadMaxH: hours(r.lead_s?.max), lenMinH: hours(r.length_s?.min), lenMaxH: hours(r.length_s?.max),
			location: r.location || "", resource: r.resource || "",
		})));
		setAddons((d.addons || []).map((a: Addon) => ({ id: a.id, name: a.name, price: major(a.price_minor), minutes: a.duration_s ? String(a.duration_s / 60) : "" })));
	};
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/services/{service}/pricing", { params: { path } }))
			.then(show)
			.catch(() => setError(t("error.load")));
	}, [service]);
	if (!rules) return error ? <Notice kind="error">{error}</Notice> : null;
	const doc = (): Doc => {
		const d: Doc = {};
		if (kind === "rental" && (rate.hour || rate.day)) d.rates = { ...(rate.hour ? { hour_minor: minor(rate.hour) } : {}), ...(rate.day ? { day_minor: minor(rate.day) } : {}) };
		if (rules.length) d.rules = rules.map((r) => {
			const o: Rule = { name: r.name };
			if (r.effect === "percent") o.multiplier_bp = Math.round(10000 + Number(r.value || "0") * 100);
			else o.adjust_minor = minor(r.value);
			if (r.weekdays.length) o.weekdays = [...r.weekdays].sort();
			if (r.from || r.to) o.dates = { from: r.from, to: r.to };
			if (r.timeFrom || r.timeTo) o.time = { from: r.timeFrom, to: r.timeTo };
			const lead = { min: secs(r.leadMinH), max: secs(r.leadMaxH) }, len = { min: secs(r.lenMinH), max: secs(r.lenMaxH) };
			if (lead.min !== undefined || lead.max !== undefined) o.lead_s = lead;
			if (len.min !== undefined || len.max !== undefined) o.length_s = len;
			if (r.location) o.location = r.location;
			if (r.resource) o.resource = r.resource;
			return o;
		});
		if (addons.length) d.addons = addons.map((a) => ({ id: a.id, name: a.name, price_minor: minor(a.price), ...(a.minutes ? { duration_s: Math.round(Number(a.minutes) * 60) } : {}) }));
		return d;
	};
	const save = async (e: Event) => {
		e.preventDefault();
		setError("");
		setSaved("");
		setErrs({});
		try {
			show(await call(staff.PUT("/api/v1/businesses/{business}/services/{service}/pricing", { params: { path }, body: doc() })));
			setSaved(t("pricing.saved"));
		} catch (err) {
			setErrs(fieldErrors(err));
			setError(problemText(err));
		}
	};
	const setRule = (i: number, patch: Partial<RuleForm>) => setRules(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
	const setAddon = (i: number, patch: Partial<AddonForm>) => setAddons(addons.map((a, j) => (j === i ? { ...a, ...patch } : a)));
	const bad = (prefix: string) => Object.keys(errs).some((k) => k.startsWith(prefix));
	const days = weekdayNames(locale());
	const field = (label: string, input: JSX.Element, key?: string) => (
		<label class="ad-field">
			<span>{label}</span>
			{input}
			{key && errs[key] ? <span class="ad-field-error">{errs[key]}</span> : null}
		</label>
	);
	const text = (v: string, on: (s: string) => void, name: string, type: "text" | "number" | "date" | "time" = "text", extra: Record<string, string> = {}) => (
		<input name={name} value={v} {...({ type, ...extra } as object)} onInput={(e) => on((e.target as HTMLInputElement).value)} />
	);
	return (
		<form class="ad-form ad-pricing" onSubmit={save} aria-labelledby="pricing-title">
			<h3 id="pricing-title" class="ad-h3">{t("pricing.title")}</h3>
			<p class="ad-muted">{t("pricing.help")}</p>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{saved ? <Notice kind="ok">{saved}</Notice> : null}
			{kind === "rental" ? (
				<fieldset class="ad-fieldset">
					<legend>{t("pricing.rates")}</legend>
					<p class="ad-muted">{t("pricing.rates_help")}</p>
					<div class="ad-grid">
						{field(t("pricing.per_hour", { currency }), text(rate.hour, (v) => setRate({ ...rate, hour: v }), "rate_hour", "number", { min: "0", step }), "rates.hour_minor")}
						{field(t("pricing.per_day", { currency }), text(rate.day, (v) => setRate({ ...rate, day: v }), "rate_day", "number", { min: "0", step }), "rates.day_minor")}
					</div>
				</fieldset>
			) : null}
			{rules.map((r, i) => (
				<fieldset class="ad-fieldset ad-pricing-rule" key={i} data-rule={i} aria-invalid={bad("rules[" + i + "]")}>
					<legend>{r.name || t("pricing.rule_n", { n: String(i + 1) })}</legend>
					<div class="ad-grid">
						{field(t("pricing.rule_name"), text(r.name, (v) => setRule(i, { name: v }), "rule_name", "text", { required: "", maxLength: "63" }), "rules[" + i + "].name")}
						{field(t("pricing.effect"), (
							<select name="rule_effect" value={r.effect} onChange={(e) => setRule(i, { effect: (e.target as HTMLSelectElement).value as "percent" | "amount" })}>
								<option value="percent">{t("pricing.effect_percent")}</option>
								<option value="amount">{t("pricing.effect_amount", { currency })}</option>
							</select>
						))}
						{field(r.effect === "percent" ? t("pricing.percent") : t("pricing.amount", { currency }),
							text(r.value, (v) => setRule(i, { value: v }), "rule_value", "number", { step: r.effect === "percent" ? "0.01" : step }),
							r.effect === "percent" ? "rules[" + i + "].multiplier_bp" : "rules[" + i + "].adjust_minor")}
					</div>
					<fieldset class="ad-fieldset">
						<legend>{t("pricing.weekdays")}</legend>
						{days.map((d, k) => (
							<label class="ad-check" key={k}>
								<input type="checkbox" name={"rule_day_" + (k + 1)} checked={r.weekdays.includes(k + 1)}
									onChange={(e) => setRule(i, { weekdays: (e.target as HTMLInputElement).checked ? [...r.weekdays, k + 1] : r.weekdays.filter((x) => x !== k + 1) })} /> {d}
							</label>
						))}
					</fieldset>
					<div class="ad-grid">
						{field(t("pricing.season_from"), text(r.from, (v) => setRule(i, { from: v }), "rule_from", "date"), "rules[" + i + "].dates")}
						{field(t("pricing.season_to"), text(r.to, (v) => setRule(i, { to: v }), "rule_to", "date"))}
						{field(t("pricing.time_from"), text(r.timeFrom, (v) => setRule(i, { timeFrom: v }), "rule_time_from", "time"), "rules[" + i + "].time")}
						{field(t("pricing.time_to"), text(r.timeTo, (v) => setRule(i, { timeTo: v }), "rule_time_to", "time"))}
						{field(t("pricing.lead_min"), text(r.leadMinH, (v) => setRule(i, { leadMinH: v }), "rule_lead_min", "number", { min: "0" }), "rules[" + i + "].lead_s")}
						{field(t("pricing.lead_max"), text(r.leadMaxH, (v) => setRule(i, { leadMaxH: v }), "rule_lead_max", "number", { min: "0" }))}
						{field(t("pricing.length_min"), text(r.lenMinH, (v) => setRule(i, { lenMinH: v }), "rule_len_min", "number", { min: "0" }), "rules[" + i + "].length_s")}
						{field(t("pricing.length_max"), text(r.lenMaxH, (v) => setRule(i, { lenMaxH: v }), "rule_len_max", "number", { min: "0" }))}
						{field(t("pricing.location"), text(r.location, (v) => setRule(i, { location: v }), "rule_location"), "rules[" + i + "].location")}
						{kind === "rental" ? field(t("pricing.item"), text(r.resource, (v) => setRule(i, { resource: v }), "rule_resource"), "rules[" + i + "].resource") : null}
					</div>
					<button type="button" class="ad-link" onClick={() => setRules(rules.filter((_, j) => j !== i))}>{t("pricing.remove_rule", { name: r.name || String(i + 1) })}</button>
				</fieldset>
			))}
			<div class="ad-actions">
				<button type="button" class="ad-btn" onClick={() => setRules([...rules, { name: "", effect: "percent", value: "", weekdays: [], from: "", to: "", timeFrom: "", timeTo: "", leadMinH: "", leadMaxH: "", lenMinH: "", lenMaxH: "", location: "", resource: "" }])}>{t("pricing.add_rule")}</button>
			</div>
			<fieldset class="ad-fieldset">
				<legend>{t("pricing.addons")}</legend>
				{addons.map((a, i) => (
					<div class="ad-grid ad-pricing-addon" key={i} data-addon={i}>
						{field(t("pricing.addon_id"), text(a.id, (v) => setAddon(i, { id: v }), "addon_id", "text", { required: "", maxLength: "63" }), "addons[" + i + "].id")}
						{field(t("pricing.addon_name"), text(a.name, (v) => setAddon(i, { name: v }), "addon_name", "text", { required: "", maxLength: "63" }), "addons[" + i + "].name")}
						{field(t("pricing.amount", { currency }), text(a.price, (v) => setAddon(i, { price: v }), "addon_price", "number", { min: "0", step }), "addons[" + i + "].price_minor")}
						{field(t("pricing.addon_minutes"), text(a.minutes, (v) => setAddon(i, { minutes: v }), "addon_minutes", "number", { min: "0" }), "addons[" + i + "].duration_s")}
						<button type="button" class="ad-link" onClick={() => setAddons(addons.filter((_, j) => j !== i))}>{t("pricing.remove_addon", { name: a.name || String(i + 1) })}</button>
					</div>
				))}
				<button type="button" class="ad-btn" onClick={() => setAddons([...addons, { id: "", name: "", price: "", minutes: "" }])}>{t("pricing.add_addon")}</button>
			</fieldset>
			<button type="submit" class="ad-btn">{t("pricing.save")}</button>
		</form>
	);
}
