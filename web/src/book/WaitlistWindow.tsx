// WaitlistWindow.tsx - the waiting list of an appointment service, from the booking page's
// time step: when no time suits (none free in the customer's window, or they want an earlier
// one) they name a window of dates, optionally a provider and a range of start times, and
// their details; the answer is their place, with the link to the entry's own page (/w/...,
// WaitlistApp in Waitlist.tsx) where they see it, leave, and book an offered time in one step.
import { useRef, useState } from "preact/hooks";
import { ApiError, type Business, type Service, call, client, clientToken } from "../shared/api";
import type { components } from "../shared/api-types";
import { locale, t } from "../shared/i18n";
import { addDays, civilOf, formatCivil } from "../shared/time";
import { Notice, StepHeading } from "../shared/ui";
import "./waitwin.css";

type Entry = components["schemas"]["WaitlistEntry"];

/** The line under the times of an appointment service that opens the form. */
export function WaitlistWindowLink({ onOpen }: { onOpen: () => void }) {
	return (
		<p class="bk-waitwin-link">
			{t("waitwin.prompt")}{" "}
			<button type="button" class="bk-linkbtn" data-waitwin-open onClick={onOpen}>
				{t("waitlist.join")}
			</button>
		</p>
	);
}

const FIELDS = ["from", "to", "provider", "time_from", "time_to", "name", "email", "phone"];

export function WaitlistWindow({ slug, business, service, provider, zone, onBack }: { slug: string; business: Business; service: Service; provider?: string; zone: string; onBack: () => void }) {
	const today = civilOf(Date.now(), business.timezone || zone);
	const [from, setFrom] = useState(today);
	const [to, setTo] = useState(addDays(today, 13));
	const [who, setWho] = useState(provider || "");
	const [timeFrom, setTimeFrom] = useState("");
	const [timeTo, setTimeTo] = useState("");
	const [name, setName] = useState("");
	const [email, setEmail] = useState("");
	const [phone, setPhone] = useState("");
	const [sms, setSms] = useState(false);
	const [busy, setBusy] = useState(false);
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [formError, setFormError] = useState("");
	const [joined, setJoined] = useState<Entry | undefined>();
	const form = useRef<HTMLFormElement>(null);
	const providers = service.providers || [];

	async function join() {
		setBusy(true);
		setErrors({});
		setFormError("");
		const customer: Record<string, unknown> = { name: name.trim(), email: email.trim() };
		if (phone.trim()) customer.phone = phone.trim();
		if (sms) customer.sms = true;
		const body: Record<string, unknown> = { service: service.id, from, to, customer, client: clientToken() };
		if (who) body.provider = who;
		if (timeFrom || timeTo) {
			body.time_from = timeFrom;
			body.time_to = timeTo;
		}
		try {
			const e = await call(client.POST("/api/v1/public/{business}/waitlist", { params: { path: { business: slug } }, body: body as never }));
			setJoined(e as Entry);
		} catch (e) {
			const err = e as ApiError;
			if (err.status === 422 && err.problem.errors?.length) {
				const f: Record<string, string> = {};
				for (const x of err.problem.errors) f[(x.field || "").replace(/^customer\./, "")] = x.detail || "";
				setErrors(f);
				if (!FIELDS.some((k) => f[k])) setFormError(err.message);
			} else {
				setFormError(err.status === 0 ? t("error.network") : err.message || t("error.generic"));
			}
		} finally {
			setBusy(false);
		}
	}

	const loc = locale();
	if (joined) {
		const link = joined.link || "/w/" + encodeURIComponent(joined.id!) + "?t=" + encodeURIComponent(joined.token || "");
		return (
			<section class="bk-waitlist-joined" data-waitlist={joined.id}>
				<StepHeading>{t("waitlist.joined_title")}</StepHeading>
				<Notice kind="ok">
					<p data-position={joined.position ?? ""}>{t("waitlist.position", { n: String(joined.position ?? "") })}</p>
					<p>{t("waitwin.joined_email", { email: email.trim() })}</p>
				</Notice>
				<p class="bk-window">{t("waitlist.window", { service: service.name || "", from: formatCivil(from, loc), to: formatCivil(to, loc) })}</p>
				<p>
					<a class="bk-btn" href={link} data-entry-link>
						{t("waitlist.see_entry")}
					</a>
				</p>
			</section>
		);
	}
	const err = (k: string) =>
		errors[k] ? (
			<p class="bk-field-error" id={"bk-wl-" + k + "-error"}>
				{errors[k]}
			</p>
		) : null;
	const aria = (k: string) => (errors[k] ? { "aria-invalid": true, "aria-describedby": "bk-wl-" + k + "-error" } : {});
	const input = (k: string, label: string, type: string, value: string, set: (v: string) => void, required: boolean, auto?: string, extra: Record<string, unknown> = {}) => (
		<div class="bk-field">
			<label for={"bk-wl-" + k}>
				{label}
				{required ? null : <span class="bk-optional"> {t("details.optional")}</span>}
			</label>
			<input id={"bk-wl-" + k} name={k} type={type as "text"} autocomplete={auto} required={required} value={value} onInput={(e) => set((e.target as HTMLInputElement).value)} {...aria(k)} {...extra} />
			{err(k)}
		</div>
	);
	return (
		<section class="bk-waitwin">
			<StepHeading>{t("waitlist.title")}</StepHeading>
			<p class="bk-sub">{service.name}</p>
			<p>{t("waitwin.explain")}</p>
			<form
				ref={form}
				class="bk-details"
				noValidate
				onSubmit={(e) => {
					e.preventDefault();
					if (busy || !form.current?.reportValidity()) return;
					join();
				}}
			>
				<fieldset class="bk-waitwin-when">
					<legend>{t("waitwin.when")}</legend>
					<div class="bk-waitwin-pair">
						{input("from", t("waitwin.from"), "date", from, setFrom, true, undefined, { min: today })}
						{input("to", t("waitwin.to"), "date", to, setTo, true, undefined, { min: from })}
					</div>
					{providers.length > 1 ? (
						<div class="bk-field">
							<label for="bk-wl-provider">{t("waitwin.provider")}</label>
							<select id="bk-wl-provider" name="provider" value={who} onChange={(e) => setWho((e.target as HTMLSelectElement).value)} {...aria("provider")}>
								<option value="">{t("provider.any")}</option>
								{providers.map((p) => (
									<option key={p.id} value={p.id}>
										{p.name}
									</option>
								))}
							</select>
							{err("provider")}
						</div>
					) : null}
					<p class="bk-hint">{t("waitwin.times_hint")}</p>
					<div class="bk-waitwin-pair">
						{input("time_from", t("waitwin.time_from"), "time", timeFrom, setTimeFrom, false)}
						{input("time_to", t("waitwin.time_to"), "time", timeTo, setTimeTo, false)}
					</div>
				</fieldset>
				{input("name", t("details.name"), "text", name, setName, true, "name")}
				{input("email", t("details.email"), "email", email, setEmail, true, "email")}
				{input("phone", t("details.phone"), "tel", phone, setPhone, !!business.require_phone, "tel")}
				<div class="bk-check">
					<input id="bk-wl-sms" type="checkbox" checked={sms} onChange={(e) => setSms((e.target as HTMLInputElement).checked)} />
					<label for="bk-wl-sms">{t("waitwin.sms")}</label>
				</div>
				{formError ? <Notice kind="error">{formError}</Notice> : null}
				<div class="bk-actions">
					<button type="button" class="bk-btn" onClick={onBack}>
						{t("nav.back")}
					</button>
					<button type="submit" class="bk-btn bk-btn-primary" disabled={busy}>
						{busy ? t("waitlist.joining") : t("waitlist.join")}
					</button>
				</div>
			</form>
		</section>
	);
}
