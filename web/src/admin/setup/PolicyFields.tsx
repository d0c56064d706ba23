// PolicyFields.tsx - a service's booking policies: notice, booking window, cancel and
// reschedule cut-offs, approval, and the refund tiers of a cancellation (the first tier whose
// notice the cancellation meets gives its refund).
import { t } from "../../shared/i18n";
import { type Errors, type Row, binder } from "./kit";

type Tier = { min_notice_s?: number; refund_percent?: number };

export function PolicyFields({ doc, setDoc, errors }: { doc: Row; setDoc: (d: Row) => void; errors: Errors }) {
	const f = binder(doc, setDoc, errors);
	const tiers = (doc.refund_tiers as Tier[]) || [];
	const setTier = (i: number, k: keyof Tier, v: string) =>
		setDoc({ ...doc, refund_tiers: tiers.map((x, j) => (j === i ? { ...x, [k]: v === "" ? undefined : Math.round(Number(v) * (k === "min_notice_s" ? 3600 : 1)) } : x)) });
	return (
		<>
			<div class="ad-grid">
				{f.secs("min_notice_s", t("policy.notice"), "h", t("policy.notice_hint"))}
				{f.secs("max_advance_s", t("policy.window"), "d", t("policy.window_hint"))}
				{f.secs("cancel_until_s", t("policy.cancel_until"), "h", t("policy.cancel_hint"))}
				{f.secs("reschedule_until_s", t("policy.reschedule_until"), "h", t("policy.reschedule_hint"))}
			</div>
			{f.check("requires_approval", t("policy.requires_approval"))}
			<fieldset class="ad-fieldset">
				<legend>{t("policy.refunds")}</legend>
				<p class="ad-muted">{t("policy.refunds_hint")}</p>
				{tiers.map((tier, i) => {
					const en = errors["refund_tiers[" + i + "].min_notice_s"], ep = errors["refund_tiers[" + i + "].refund_percent"];
					return (
						<div class="ad-rule" key={i} data-tier={i}>
							<label class="ad-field-inline"><span>{t("policy.tier_notice", { n: i + 1 })}</span>
								<input type="number" min="0" step="any" value={tier.min_notice_s === undefined ? "" : String(tier.min_notice_s / 3600)} aria-invalid={en ? true : undefined}
									onInput={(e) => setTier(i, "min_notice_s", (e.target as HTMLInputElement).value)} /></label>
							<label class="ad-field-inline"><span>{t("policy.tier_percent", { n: i + 1 })}</span>
								<input type="number" min="0" max="100" step="1" value={tier.refund_percent === undefined ? "" : String(tier.refund_percent)} aria-invalid={ep ? true : undefined}
									onInput={(e) => setTier(i, "refund_percent", (e.target as HTMLInputElement).value)} /></label>
							<button class="ad-btn" type="button" onClick={() => setDoc({ ...doc, refund_tiers: tiers.filter((_, j) => j !== i) })}>{t("policy.tier_remove", { n: i + 1 })}</button>
							{en || ep ? <span class="ad-field-error">{[en, ep].filter(Boolean).join(" ")}</span> : null}
						</div>
					);
				})}
				{errors.refund_tiers ? <span class="ad-field-error">{errors.refund_tiers}</span> : null}
				<button class="ad-btn" type="button" onClick={() => setDoc({ ...doc, refund_tiers: [...tiers, { min_notice_s: 86400, refund_percent: 100 }] })}>{t("policy.tier_add")}</button>
			</fieldset>
		</>
	);
}
