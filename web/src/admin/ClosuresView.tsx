// ClosuresView.tsx - business closures (admin): the dates closed, and a new one with its
// impact preview first (POST …/closures?dry_run=1 lists the future bookings that date would
// strand, by the slot engine), then saved.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatCivil } from "../shared/time";
import { Notice } from "../shared/ui";
import { ImpactList } from "./ImpactList";
import { ApiError, type Closure, type ImpactPreview, type Session, call, staff } from "./staffApi";
import { todayIn } from "./zone";

export function ClosuresView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [list, setList] = useState<Closure[]>([]);
	const [date, setDate] = useState(todayIn(zone));
	const [name, setName] = useState("");
	const [impact, setImpact] = useState<ImpactPreview | null>(null);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const P = { params: { path: { business: slug } } };
	const load = async () => {
		const r = await call(staff.GET("/api/v1/businesses/{business}/closures", P));
		setList(r.closures || []);
	};
	useEffect(() => { load(); }, []);
	const failed = (e: unknown) => setMsg({ kind: "error", text: e instanceof ApiError ? (e.problem.errors?.map((x) => x.field + ": " + x.detail).join("; ") || e.problem.detail || e.message) : t("error.generic") });
	const preview = async (e: Event) => {
		e.preventDefault();
		setMsg(null);
		try {
			const r = await call(staff.POST("/api/v1/businesses/{business}/closures", { params: { path: { business: slug }, query: { dry_run: "1" } }, body: { date, name } } as never));
			setImpact(r as unknown as ImpactPreview);
		} catch (err) {
			failed(err);
		}
	};
	const save = async () => {
		try {
			await call(staff.POST("/api/v1/businesses/{business}/closures", { ...P, body: { date, name } } as never));
			setImpact(null);
			setMsg({ kind: "ok", text: t("closures.saved") });
			load();
		} catch (err) {
			failed(err);
		}
	};
	const remove = async (id: string) => {
		await staff.DELETE("/api/v1/businesses/{business}/closures/{closure}", { params: { path: { business: slug, closure: id } } });
		load();
	};
	return (
		<section aria-labelledby="cl-title">
			<h1 id="cl-title" class="ad-title">{t("closures.title")}</h1>
			<form class="ad-toolbar" onSubmit={preview}>
				<label class="ad-field-inline"><span>{t("closures.date")}</span><input type="date" required value={date} onChange={(e) => { setDate((e.target as HTMLInputElement).value); setImpact(null); }} /></label>
				<label class="ad-field-inline"><span>{t("closures.name")}</span><input value={name} onInput={(e) => { setName((e.target as HTMLInputElement).value); setImpact(null); }} /></label>
				<button class="ad-btn" type="submit">{t("closures.preview")}</button>
			</form>
			<div aria-live="polite">
				{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
				{impact ? <ImpactList impact={impact} zone={zone} save={save} saveLabel={t("closures.save")} /> : null}
			</div>
			<h2 class="ad-h2">{t("closures.list")}</h2>
			{list.length === 0 ? <p>{t("closures.none")}</p> : (
				<ul class="ad-list">
					{list.map((c) => (
						<li key={c.id}>
							{formatCivil(c.date || "", locale())}{c.name ? " · " + c.name : ""}{" "}
							<button type="button" class="ad-link" onClick={() => remove(c.id || "")}>{t("closures.delete", { date: c.date || "" })}</button>
						</li>
					))}
				</ul>
			)}
		</section>
	);
}
