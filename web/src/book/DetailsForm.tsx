// DetailsForm.tsx - who is booking: name, email, phone (required when the business says so),
// notes, SMS reminders. The server's field errors are shown at their fields.
import { useRef } from "preact/hooks";
import { t } from "../shared/i18n";

export type Details = { name: string; email: string; phone: string; notes: string; sms: boolean };
type Props = {
	value: Details;
	onChange: (d: Details) => void;
	requirePhone: boolean;
	errors: Record<string, string>;
	disabled: boolean; // the time is lost: nothing to confirm
	submitting: boolean;
	onSubmit: () => void;
	onBack: () => void;
	summary: preact.ComponentChildren;
};

export function DetailsForm(p: Props) {
	const form = useRef<HTMLFormElement>(null);
	const set = (k: keyof Details) => (e: Event) => {
		const el = e.target as HTMLInputElement;
		p.onChange({ ...p.value, [k]: el.type === "checkbox" ? el.checked : el.value });
	};
	const field = (k: "name" | "email" | "phone", type: "text" | "email" | "tel", auto: string, required: boolean) => {
		const err = p.errors[k];
		return (
			<div class="bk-field">
				<label for={"bk-" + k}>
					{t("details." + k)}
					{required ? null : <span class="bk-optional"> {t("details.optional")}</span>}
				</label>
				<input
					id={"bk-" + k}
					name={k}
					type={type as "text"}
					autocomplete={auto}
					required={required}
					value={p.value[k]}
					onInput={set(k)}
					aria-invalid={err ? true : undefined}
					aria-describedby={err ? "bk-" + k + "-error" : undefined}
				/>
				{err ? (
					<p class="bk-field-error" id={"bk-" + k + "-error"}>
						{err}
					</p>
				) : null}
			</div>
		);
	};
	return (
		<form
			ref={form}
			class="bk-details"
			noValidate
			onSubmit={(e) => {
				e.preventDefault();
				if (p.submitting || p.disabled) return;
				if (!form.current?.reportValidity()) return;
				p.onSubmit();
			}}
		>
			{p.summary}
			{field("name", "text", "name", true)}
			{field("email", "email", "email", true)}
			{field("phone", "tel", "tel", p.requirePhone)}
			<div class="bk-field">
				<label for="bk-notes">
					{t("details.notes")} <span class="bk-optional">{t("details.optional")}</span>
				</label>
				<textarea id="bk-notes" name="notes" rows={3} maxLength={2000} value={p.value.notes} onInput={set("notes")} aria-invalid={p.errors.notes ? true : undefined} aria-describedby={p.errors.notes ? "bk-notes-error" : undefined} />
				{p.errors.notes ? <p class="bk-field-error" id="bk-notes-error">{p.errors.notes}</p> : null}
			</div>
			<div class="bk-check">
				<input id="bk-sms" type="checkbox" checked={p.value.sms} onChange={set("sms")} />
				<label for="bk-sms">{t("details.sms")}</label>
			</div>
			<div class="bk-actions">
				<button type="button" class="bk-btn" onClick={p.onBack}>
					{t("nav.back")}
				</button>
				<button type="submit" class="bk-btn bk-btn-primary" disabled={p.disabled || p.submitting} aria-disabled={p.disabled || p.submitting}>
					{p.submitting ? t("details.booking") : t("details.confirm")}
				</button>
			</div>
		</form>
	);
}
