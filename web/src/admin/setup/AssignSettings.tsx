// AssignSettings.tsx - who takes an "any provider" booking (admin): the business's policy
// (first, round-robin, least booked in a window, priority order) and each provider's
// priority number (GET, PATCH …/assignment). The API's words show at the field at fault.
import { useEffect, useState } from "preact/hooks";
import { t } from "../../shared/i18n";
import { cat } from "./catalog";
import { Field, type Row, binder, useWrite } from "./kit";

const POLICIES = ["first", "round_robin", "least_booked", "priority"];

type Prio = { provider_id: string; name?: string; priority: number };

export function AssignSettings({ slug, zone }: { slug: string; zone: string }) {
	const [doc, setDoc] = useState<Row | null>(null);
	const [prios, setPrios] = useState<Prio[]>([]);
	const w = useWrite(zone);
	const take = (r: Row) => { setDoc({ policy: r.policy, window_days: r.window_days }); setPrios((r.priorities as Prio[]) || []); };
	useEffect(() => { cat("GET", slug, "/assignment").then(take, () => {}); }, []);
	if (!doc) return null;
	const f = binder(doc, setDoc, w.errors);
	const save = (e: Event) => {
		e.preventDefault();
		const body = { ...doc, priorities: prios.map((p) => ({ provider_id: p.provider_id, priority: p.priority })) };
		w.write("", () => cat("PATCH", slug, "/assignment", { body }), false, (r) => take(r as Row));
	};
	const bad = Object.keys(w.errors).filter((k) => k.startsWith("priorities"));
	return (
		<form class="ad-form" onSubmit={save} aria-labelledby="biz-assign">
			<h2 id="biz-assign" class="ad-h2">{t("assign.title")}</h2>
			<p class="ad-muted">{t("assign.intro")}</p>
			<div class="ad-grid">
				{f.select("policy", t("assign.policy"), POLICIES.map((p) => ({ value: p, label: t("assign.policy_" + p) })))}
				{doc.policy === "least_booked" ? f.int("window_days", t("assign.window_days"), { min: 1, max: 366, hint: t("assign.window_hint") }) : null}
			</div>
			<fieldset class="ad-fieldset">
				<legend>{t("assign.priorities")}</legend>
				<p class="ad-muted">{t("assign.priorities_hint")}</p>
				<div class="ad-grid">
					{prios.map((p, i) => (
						<Field key={p.provider_id} label={p.name || p.provider_id}>
							{(a) => <input id={a.id} name={"priority-" + p.provider_id} type="number" min="0" max="1000" step="1" value={String(p.priority)}
								onInput={(e) => { const v = Math.round(Number((e.target as HTMLInputElement).value)); setPrios(prios.map((q, j) => (j === i ? { ...q, priority: v } : q))); }} />}
						</Field>
					))}
				</div>
				{bad.map((k) => <span key={k} class="ad-field-error">{w.errors[k]}</span>)}
			</fieldset>
			<button class="ad-btn ad-btn-primary" type="submit">{t("assign.save")}</button>
			{w.panel}
		</form>
	);
}
