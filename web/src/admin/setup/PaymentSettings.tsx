// PaymentSettings.tsx - the payment part of the service editor
// (GET/PUT …/services/{service}/payment): nothing in advance, a deposit (an amount or a
// percent of the price) or the full price, and the fee a no-show keeps. Saved on its own:
// it changes no one's time, so there is nothing to preview.
import { useEffect, useState } from "preact/hooks";
import type { components } from "../../shared/api-types";
import { locale, t } from "../../shared/i18n";
import { Notice } from "../../shared/ui";
import { ApiError, call, staff } from "../staffApi";

type Settings = components["schemas"]["PaymentSettings"];

export function PaymentSettings({ slug, service }: { slug: string; service: string }) {
	const [s, setS] = useState<Settings | null>(null);
	const [kindOfDeposit, setKindOfDeposit] = useState<"percent" | "amount">("percent");
	const [error, setError] = useState("");
	const [fieldErr, setFieldErr] = useState<Record<string, string>>({});
	const [saved, setSaved] = useState("");
	const path = { business: slug, service };
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/services/{service}/payment", { params: { path } }))
			.then((x) => {
				setS(x);
				setKindOfDeposit(x.deposit_minor ? "amount" : "percent");
			})
			.catch(() => setError(t("error.load")));
	}, [service]);
	if (!s) return error ? <Notice kind="error">{error}</Notice> : null;
	const currency = s.currency || "EUR";
	const digits = new Intl.NumberFormat(locale(), { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
	const toMajor = (m?: number) => (m ? String(m / Math.pow(10, digits)) : "");
	const toMinor = (v: string) => (v === "" ? 0 : Math.round(Number(v) * Math.pow(10, digits)));
	const save = async (e: Event) => {
		e.preventDefault();
		setError("");
		setSaved("");
		setFieldErr({});
		const body = {
			mode: s.mode,
			deposit_minor: s.mode === "deposit" && kindOfDeposit === "amount" ? s.deposit_minor || 0 : 0,
			deposit_percent: s.mode === "deposit" && kindOfDeposit === "percent" ? s.deposit_percent || 0 : 0,
			no_show_fee_minor: s.no_show_fee_minor || 0,
		};
		try {
			setS(await call(staff.PUT("/api/v1/businesses/{business}/services/{service}/payment", { params: { path }, body })));
			setSaved(t("paycfg.saved"));
		} catch (err) {
			if (err instanceof ApiError) {
				const f: Record<string, string> = {};
				for (const x of err.problem.errors || []) if (x.field) f[x.field] = x.detail || "";
				setFieldErr(f);
				setError(err.problem.detail || err.message);
			} else setError(t("error.generic"));
		}
	};
	const methods = (s.methods || []).map((m) => t("paymethod." + m)).join(", ");
	return (
		<form class="ad-form ad-pay-settings" onSubmit={save} aria-labelledby="paycfg-title">
			<h3 id="paycfg-title" class="ad-h3">{t("paycfg.title")}</h3>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{saved ? <Notice kind="ok">{saved}</Notice> : null}
			<fieldset class="ad-fieldset">
				<legend>{t("paycfg.mode")}</legend>
				{(["none", "deposit", "full"] as const).map((m) => (
					<label key={m} class="ad-check">
						<input type="radio" name="pay_mode" value={m} checked={s.mode === m} onChange={() => setS({ ...s, mode: m })} /> {t("paymode_cfg." + m)}
					</label>
				))}
			</fieldset>
			{s.mode === "deposit" ? (
				<div class="ad-grid">
					<label class="ad-field">
						<span>{t("paycfg.deposit_as")}</span>
						<select name="deposit_as" value={kindOfDeposit} onChange={(e) => setKindOfDeposit((e.target as HTMLSelectElement).value as "percent" | "amount")}>
							<option value="percent">{t("paycfg.percent")}</option>
							<option value="amount">{t("paycfg.amount", { currency })}</option>
						</select>
					</label>
					{kindOfDeposit === "percent" ? (
						<label class="ad-field">
							<span>{t("paycfg.deposit_percent")}</span>
							<input name="deposit_percent" type="number" min="1" max="100" step="1" value={s.deposit_percent || ""} aria-invalid={!!fieldErr.deposit_percent || !!fieldErr.deposit_minor}
								onInput={(e) => setS({ ...s, deposit_percent: Number((e.target as HTMLInputElement).value) || 0 })} />
							{fieldErr.deposit_percent || fieldErr.deposit_minor ? <span class="ad-field-error">{fieldErr.deposit_percent || fieldErr.deposit_minor}</span> : null}
						</label>
					) : (
						<label class="ad-field">
							<span>{t("paycfg.deposit_amount", { currency })}</span>
							<input name="deposit_amount" type="number" min="0" step={digits ? String(Math.pow(10, -digits)) : "1"} value={toMajor(s.deposit_minor)} aria-invalid={!!fieldErr.deposit_minor}
								onInput={(e) => setS({ ...s, deposit_minor: toMinor((e.target as HTMLInputElement).value) })} />
							{fieldErr.deposit_minor ? <span class="ad-field-error">{fieldErr.deposit_minor}</span> : null}
						</label>
					)}
				</div>
			) : null}
			<label class="ad-field">
				<span>{t("paycfg.no_show_fee", { currency })}</span>
				<input name="no_show_fee" type="number" min="0" step={digits ? String(Math.pow(10, -digits)) : "1"} value={toMajor(s.no_show_fee_minor)}
					onInput={(e) => setS({ ...s, no_show_fee_minor: toMinor((e.target as HTMLInputElement).value) })} />
			</label>
			<p class="ad-muted">{methods ? t("paycfg.methods", { methods }) : t("paycfg.no_methods")}</p>
			<button type="submit" class="ad-btn">{t("paycfg.save")}</button>
		</form>
	);
}
