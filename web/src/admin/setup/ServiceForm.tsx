// ServiceForm.tsx - one service, new or existing: what it is, its length and buffers, who
// and what can deliver it, and its policies. A change to what decides its times (length,
// buffers, grid, seats, who delivers it, withdrawing it) is previewed first: the impact list
// shows the future bookings the engine would no longer offer their own time.
import { useState } from "preact/hooks";
import { t } from "../../shared/i18n";
import { cat, type Named } from "./catalog";
import { Field, type Row, binder, changed, useWrite } from "./kit";
import { PolicyFields } from "./PolicyFields";

const RISKY = ["kind", "duration_s", "buffer_before_s", "buffer_after_s", "slot_interval_s", "capacity", "min_length_s", "max_length_s", "whole_days", "needs_resource", "providers", "resources", "active"];
export const NEW_SERVICE: Row = { kind: "appointment", duration_s: 1800, price_minor: 0, capacity: 1, slot_interval_s: 1800, buffer_before_s: 0, buffer_after_s: 0, active: true, providers: [], resources: [] };

export function ServiceForm({ slug, zone, orig, providers, resources, onDone }: { slug: string; zone: string; orig: Row | null; providers: Named[]; resources: Named[]; onDone: (said: string) => void }) {
	const [doc, setDoc] = useState<Row>(orig ? { ...orig } : { ...NEW_SERVICE });
	const w = useWrite(zone);
	const f = binder(doc, setDoc, w.errors);
	const kind = String(doc.kind || "appointment");
	const opts = (list: Named[]) => list.map((x) => ({ value: x.id || "", label: (x.name || "") + (x.active === false ? " (" + t("setup.archived") + ")" : "") }));
	const save = (e: Event) => {
		e.preventDefault();
		if (!orig) {
			w.write("", () => cat("POST", slug, "/services", { body: doc }), false, () => onDone(t("services.created", { name: String(doc.name) })));
			return;
		}
		const body = changed(orig, doc, ["id"]);
		const risky = Object.keys(body).some((k) => RISKY.includes(k));
		w.write(t("services.changing", { name: String(orig.name) }), (dry) => cat("PATCH", slug, "/services/{service}", { params: { service: String(orig.id) }, body, dry }), risky, () => onDone(t("services.saved", { name: String(doc.name) })));
	};
	const remove = () =>
		w.write(t("services.removing", { name: String(orig?.name) }), (dry) => cat("DELETE", slug, "/services/{service}", { params: { service: String(orig?.id) }, dry }), true,
			(r) => onDone((r as Row).id ? t("services.withdrawn", { name: String(orig?.name) }) : t("services.deleted", { name: String(orig?.name) })));
	const price = typeof doc.price_minor === "number" ? String((doc.price_minor as number) / 100) : "";
	return (
		<form class="ad-form" onSubmit={save} aria-labelledby="svc-form-title">
			<h2 id="svc-form-title" class="ad-h2">{orig ? t("services.edit", { name: String(orig.name) }) : t("services.new")}</h2>
			<div class="ad-grid">
				{f.text("name", t("services.name"), { required: true })}
				{f.select("kind", t("services.kind"), ["appointment", "class", "rental"].map((k) => ({ value: k, label: t("kind." + k) })))}
				{f.secs("duration_s", kind === "rental" ? t("services.default_length") : t("services.duration"), "min")}
				<Field label={t("services.price")} error={w.errors.price_minor}>
					{(a) => <input id={a.id} name="price" type="number" min="0" step="0.01" value={price} aria-invalid={a.invalid} aria-describedby={a.describedBy}
						onInput={(e) => { const v = (e.target as HTMLInputElement).value; setDoc({ ...doc, price_minor: v === "" ? undefined : Math.round(Number(v) * 100) }); }} />}
				</Field>
				{f.int("capacity", t("services.capacity"), { min: 1 })}
				{f.secs("buffer_before_s", t("services.buffer_before"), "min")}
				{f.secs("buffer_after_s", t("services.buffer_after"), "min")}
				{f.secs("slot_interval_s", t("services.slot_interval"), "min")}
				{kind === "rental" ? f.secs("min_length_s", t("services.min_length"), "h") : null}
				{kind === "rental" ? f.secs("max_length_s", t("services.max_length"), "h") : null}
			</div>
			{f.text("description", t("services.description"))}
			{kind === "rental" ? f.check("whole_days", t("services.whole_days")) : null}
			{f.check("needs_resource", t("services.needs_resource"))}
			{f.check("active", t("services.active"))}
			{f.many("providers", t("services.providers"), opts(providers))}
			{f.many("resources", t("services.resources"), opts(resources))}
			<h3 class="ad-h3">{t("policy.title")}</h3>
			<PolicyFields doc={doc} setDoc={setDoc} errors={w.errors} />
			<div class="ad-actions">
				<button class="ad-btn ad-btn-primary" type="submit">{orig ? t("setup.check_save") : t("services.create")}</button>
				{orig ? <button class="ad-btn ad-btn-danger" type="button" onClick={remove}>{t("services.remove")}</button> : null}
				<button class="ad-link" type="button" onClick={() => onDone("")}>{t("setup.close")}</button>
			</div>
			{w.panel}
		</form>
	);
}
