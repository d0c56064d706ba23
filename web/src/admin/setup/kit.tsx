// kit.tsx - what every setup editor shares: form fields bound to a row's JSON that show the
// API's problem+json error for their own key beside them, and the write flow (a change that
// can strand bookings is first a ?dry_run=1 whose answer ImpactList shows; the rest saves
// at once).
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { t } from "../../shared/i18n";
import { Notice } from "../../shared/ui";
import { ImpactList } from "../ImpactList";
import { ApiError, type ImpactPreview } from "../staffApi";

export type Row = Record<string, unknown>;
export type Errors = Record<string, string>;

/** The field errors of a refusal by field path ("duration_s", "refund_tiers[0].refund_percent"). */
export function fieldErrors(e: unknown): Errors {
	const out: Errors = {};
	if (e instanceof ApiError) for (const x of e.problem.errors || []) if (x.field && !(x.field in out)) out[x.field] = x.detail || "";
	return out;
}

/** A refusal in words: its detail, and the field errors no field of the form shows. */
export function problemText(e: unknown, shown: (f: string) => boolean = () => false): string {
	if (!(e instanceof ApiError)) return t("error.generic");
	const rest = (e.problem.errors || []).filter((x) => !shown(x.field || "")).map((x) => x.field + ": " + x.detail);
	return [e.problem.detail || e.message, ...rest].join(" ");
}

/** The keys of `doc` whose values differ from `orig` (the body of a PATCH). */
export function changed(orig: Row, doc: Row, skip: string[] = []): Row {
	const out: Row = {};
	for (const k of Object.keys(doc)) if (!skip.includes(k) && JSON.stringify(doc[k]) !== JSON.stringify(orig[k])) out[k] = doc[k];
	return out;
}

type Run = (dry: boolean) => Promise<unknown>;
/** After a write: may return the words of the notice (else "Saved."). */
type Done = (r: unknown) => string | void;

/** The write flow of one editor. `write(label, run, risky, done)`: risky writes are previewed
 * first (the impact list, then its save button runs them); the others run at once; done may
 * return the words of the notice. Errors land
 * in `errors` (by field) and the notice. `panel` is the notice and the preview to render. */
export function useWrite(zone: string) {
	const [pending, setPending] = useState<{ label: string; run: Run; done: Done } | null>(null);
	const [impact, setImpact] = useState<ImpactPreview | null>(null);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const [errors, setErrors] = useState<Errors>({});
	const fail = (e: unknown) => {
		const f = fieldErrors(e);
		setErrors(f);
		setMsg({ kind: "error", text: Object.keys(f).length ? t("setup.fix") + " " + problemText(e) : problemText(e) });
	};
	const reset = () => {
		setPending(null);
		setImpact(null);
		setMsg(null);
		setErrors({});
	};
	const commit = async (run: Run, done: Done) => {
		try {
			const r = await run(false);
			setPending(null);
			setImpact(null);
			setErrors({});
			const said = done(r);
			setMsg({ kind: "ok", text: typeof said === "string" ? said : t("setup.saved") });
		} catch (e) {
			setImpact(null);
			setPending(null);
			fail(e);
		}
	};
	const write = async (label: string, run: Run, risky: boolean, done: Done) => {
		setMsg(null);
		setErrors({});
		setImpact(null);
		if (!risky) return commit(run, done);
		try {
			setImpact((await run(true)) as ImpactPreview);
			setPending({ label, run, done });
		} catch (e) {
			fail(e);
		}
	};
	const panel = (
		<div aria-live="polite">
			{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
			{impact && pending ? (
				<>
					<p class="ad-muted">{pending.label}</p>
					<ImpactList impact={impact} zone={zone} save={() => commit(pending.run, pending.done)} saveLabel={t("hours.save")} />
					<button class="ad-link" type="button" onClick={() => { setImpact(null); setPending(null); }}>{t("setup.cancel")}</button>
				</>
			) : null}
		</div>
	);
	return { write, panel, errors, reset, setMsg };
}

let seq = 0;

/** One labelled control with the API's words for its key under it (aria-describedby). */
export function Field({ label, error, hint, children }: { label: string; error?: string; hint?: string; children: (a: { id: string; describedBy?: string; invalid?: boolean }) => ComponentChildren }) {
	const [id] = useState(() => "f" + ++seq);
	const note = error || hint ? id + "-note" : undefined;
	return (
		<div class="ad-field">
			<label for={id}>{label}</label>
			{children({ id, describedBy: note, invalid: error ? true : undefined })}
			{error ? <span id={note} class="ad-field-error">{error}</span> : hint ? <span id={note} class="ad-muted">{hint}</span> : null}
		</div>
	);
}

const UNIT: Record<string, number> = { s: 1, min: 60, h: 3600, d: 86400 };

/** Controls bound to doc[key] with setDoc; errors by key. */
export function binder(doc: Row, setDoc: (d: Row) => void, errors: Errors) {
	const set = (k: string, v: unknown) => setDoc({ ...doc, [k]: v });
	return {
		text: (key: string, label: string, o: { required?: boolean; type?: string; hint?: string; list?: string } = {}) => (
			<Field label={label} error={errors[key]} hint={o.hint}>
				{(a) => <input id={a.id} name={key} type={(o.type || "text") as "text"} list={o.list} required={o.required} aria-invalid={a.invalid} aria-describedby={a.describedBy}
					value={(doc[key] as string) ?? ""} onInput={(e) => set(key, (e.target as HTMLInputElement).value)} />}
			</Field>
		),
		/** A number of seconds shown in `unit` (min, h, d); empty leaves the key out. */
		secs: (key: string, label: string, unit: "s" | "min" | "h" | "d", hint?: string) => (
			<Field label={label + " (" + t("unit." + unit) + ")"} error={errors[key]} hint={hint}>
				{(a) => <input id={a.id} name={key} type="number" min="0" step="any" inputMode="decimal" aria-invalid={a.invalid} aria-describedby={a.describedBy}
					value={typeof doc[key] === "number" ? String((doc[key] as number) / UNIT[unit]) : ""}
					onInput={(e) => { const v = (e.target as HTMLInputElement).value; set(key, v === "" ? undefined : Math.round(Number(v) * UNIT[unit])); }} />}
			</Field>
		),
		int: (key: string, label: string, o: { min?: number; max?: number; hint?: string } = {}) => (
			<Field label={label} error={errors[key]} hint={o.hint}>
				{(a) => <input id={a.id} name={key} type="number" step="1" min={o.min} max={o.max} aria-invalid={a.invalid} aria-describedby={a.describedBy}
					value={typeof doc[key] === "number" ? String(doc[key]) : ""}
					onInput={(e) => { const v = (e.target as HTMLInputElement).value; set(key, v === "" ? undefined : Math.round(Number(v))); }} />}
			</Field>
		),
		check: (key: string, label: string) => (
			<div class="ad-field ad-check">
				<label><input type="checkbox" name={key} checked={!!doc[key]} aria-invalid={errors[key] ? true : undefined} onChange={(e) => set(key, (e.target as HTMLInputElement).checked)} /> {label}</label>
				{errors[key] ? <span class="ad-field-error">{errors[key]}</span> : null}
			</div>
		),
		select: (key: string, label: string, options: { value: string; label: string }[]) => (
			<Field label={label} error={errors[key]}>
				{(a) => (
					<select id={a.id} name={key} aria-invalid={a.invalid} aria-describedby={a.describedBy} value={(doc[key] as string) ?? ""} onChange={(e) => set(key, (e.target as HTMLSelectElement).value || null)}>
						{options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
					</select>
				)}
			</Field>
		),
		/** Ids from `options`, as a group of checkboxes. */
		many: (key: string, label: string, options: { value: string; label: string }[]) => {
			const ids = (doc[key] as string[]) || [];
			const bad = Object.keys(errors).filter((f) => f === key || f.startsWith(key + "["));
			return (
				<fieldset class="ad-fieldset">
					<legend>{label}</legend>
					{options.length === 0 ? <p class="ad-muted">{t("setup.none")}</p> : null}
					{options.map((o) => (
						<label key={o.value} class="ad-check">
							<input type="checkbox" name={key} value={o.value} checked={ids.includes(o.value)}
								onChange={(e) => set(key, (e.target as HTMLInputElement).checked ? [...ids, o.value] : ids.filter((x) => x !== o.value))} /> {o.label}
						</label>
					))}
					{bad.map((f) => <span key={f} class="ad-field-error">{errors[f]}</span>)}
				</fieldset>
			);
		},
	};
}

/** The owners of hours: the business, then each provider and resource. */
export function ownerOptions(providers: { id?: string; name?: string }[], resources: { id?: string; name?: string }[], business = true) {
	return [
		...(business ? [{ value: "business", label: t("hours.business") }] : []),
		...providers.map((p) => ({ value: "provider:" + p.id, label: p.name || "" })),
		...resources.map((r) => ({ value: "resource:" + r.id, label: t("setup.resource_named", { name: r.name || "" }) })),
	];
}
