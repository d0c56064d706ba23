// HoursView.tsx - weekly hours (admin): the business's or one provider's rules by weekday,
// several ranges a day (the gap between two is a break). Every change is first a dry run
// (?dry_run=1) that lists the future bookings it would strand; then it is saved.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { weekdayNames } from "../shared/time";
import { Notice } from "../shared/ui";
import { ImpactList } from "./ImpactList";
import { ApiError, type ImpactPreview, type Session, call, staff } from "./staffApi";

type Rule = { id?: string; owner?: string; weekday?: string; start?: string; end?: string };
type Pending = { label: string; run: (dry: boolean) => Promise<unknown> };
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export function HoursView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const names = weekdayNames(locale(), "long");
	const [owner, setOwner] = useState("business");
	const [owners, setOwners] = useState<{ id: string; name: string }[]>([]);
	const [rules, setRules] = useState<Rule[]>([]);
	const [add, setAdd] = useState({ weekday: "mon", start: "09:00", end: "17:00" });
	const [pending, setPending] = useState<Pending | null>(null);
	const [impact, setImpact] = useState<ImpactPreview | null>(null);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const biz = { path: { business: slug } };

	const load = async () => {
		const r = await call(staff.GET("/api/v1/businesses/{business}/schedules", { params: { ...biz, query: { owner } } } as never)) as { schedules?: Rule[] };
		setRules((r.schedules || []).filter((x) => x.owner === owner || (owner === "business" && x.owner === "business")));
	};
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/providers", { params: biz })).then((r) => {
			const list = ((r as { providers?: { id?: string; name?: string }[] }).providers || []).map((p) => ({ id: p.id || "", name: p.name || "" }));
			setOwners(list);
		}, () => {});
	}, []);
	useEffect(() => { load(); setPending(null); setImpact(null); }, [owner]);

	const failed = (e: unknown) => setMsg({ kind: "error", text: e instanceof ApiError ? (e.problem.errors?.map((x) => x.field + ": " + x.detail).join("; ") || e.problem.detail || e.message) : t("error.generic") });
	const preview = async (p: Pending) => {
		setMsg(null);
		try {
			setImpact((await p.run(true)) as ImpactPreview);
			setPending(p);
		} catch (e) {
			failed(e);
		}
	};
	const save = async () => {
		if (!pending) return;
		try {
			await pending.run(false);
			setMsg({ kind: "ok", text: t("hours.saved") });
			setPending(null);
			setImpact(null);
			load();
		} catch (e) {
			failed(e);
		}
	};
	const q = (dry: boolean) => (dry ? { dry_run: "1" } : {});
	const create = (body: Rule) => (dry: boolean) => call(staff.POST("/api/v1/businesses/{business}/schedules", { params: { ...biz, query: q(dry) }, body: { owner, ...body } } as never));
	const change = (id: string, body: Rule) => (dry: boolean) => call(staff.PATCH("/api/v1/businesses/{business}/schedules/{schedule}", { params: { path: { business: slug, schedule: id }, query: q(dry) }, body } as never));
	const remove = (id: string) => async (dry: boolean) => {
		const r = await staff.DELETE("/api/v1/businesses/{business}/schedules/{schedule}", { params: { path: { business: slug, schedule: id }, query: q(dry) } } as never);
		if (!r.response.ok) throw new ApiError(r.response.status, r.error as never);
		return r.data;
	};

	return (
		<section aria-labelledby="hours-title">
			<h1 id="hours-title" class="ad-title">{t("hours.title")}</h1>
			<label class="ad-field-inline">
				<span>{t("hours.owner")}</span>
				<select value={owner} onChange={(e) => setOwner((e.target as HTMLSelectElement).value)}>
					<option value="business">{t("hours.business")}</option>
					{owners.map((o) => <option key={o.id} value={"provider:" + o.id}>{o.name}</option>)}
				</select>
			</label>
			<div aria-live="polite">
				{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
				{impact && pending ? <><p class="ad-muted">{pending.label}</p><ImpactList impact={impact} zone={zone} save={save} saveLabel={t("hours.save")} /></> : null}
			</div>
			<table class="ad-table ad-hours">
				<caption class="ad-muted">{t("hours.caption")}</caption>
				<thead><tr><th scope="col">{t("hours.weekday")}</th><th scope="col">{t("hours.ranges")}</th></tr></thead>
				<tbody>
					{DAYS.map((d, i) => (
						<tr key={d}>
							<th scope="row">{names[i]}</th>
							<td><div class="ad-ranges">
								{rules.filter((r) => r.weekday === d).sort((a, b) => ((a.start || "") < (b.start || "") ? -1 : 1)).map((r) => (
									<RuleRow key={r.id} rule={r} day={names[i]}
										onChange={(body) => preview({ label: t("hours.change", { day: names[i], start: body.start || "", end: body.end || "" }), run: change(r.id || "", body) })}
										onDelete={() => preview({ label: t("hours.remove", { day: names[i], start: r.start || "", end: r.end || "" }), run: remove(r.id || "") })} />
								))}
							</div></td>
						</tr>
					))}
				</tbody>
			</table>
			<h2 class="ad-h2">{t("hours.add")}</h2>
			<form class="ad-toolbar" onSubmit={(e) => { e.preventDefault(); preview({ label: t("hours.adding", { day: names[DAYS.indexOf(add.weekday)], start: add.start, end: add.end }), run: create(add) }); }}>
				<label class="ad-field-inline"><span>{t("hours.weekday")}</span>
					<select name="weekday" value={add.weekday} onChange={(e) => setAdd({ ...add, weekday: (e.target as HTMLSelectElement).value })}>
						{DAYS.map((d, i) => <option key={d} value={d}>{names[i]}</option>)}
					</select>
				</label>
				<label class="ad-field-inline"><span>{t("hours.start")}</span><input name="start" type="time" value={add.start} onChange={(e) => setAdd({ ...add, start: (e.target as HTMLInputElement).value })} /></label>
				<label class="ad-field-inline"><span>{t("hours.end")}</span><input name="end" type="time" value={add.end} onChange={(e) => setAdd({ ...add, end: (e.target as HTMLInputElement).value })} /></label>
				<button class="ad-btn" type="submit">{t("closures.preview")}</button>
			</form>
		</section>
	);
}

function RuleRow({ rule, day, onChange, onDelete }: { rule: Rule; day: string; onChange: (b: Rule) => void; onDelete: () => void }) {
	const [start, setStart] = useState(rule.start || "");
	const [end, setEnd] = useState(rule.end || "");
	return (
		<form class="ad-rule" data-rule={rule.id} data-start={rule.start} onSubmit={(e) => { e.preventDefault(); onChange({ start, end }); }}>
			<input type="time" aria-label={t("hours.start_of", { day })} value={start} onChange={(e) => setStart((e.target as HTMLInputElement).value)} />
			<span aria-hidden="true">–</span>
			<input type="time" aria-label={t("hours.end_of", { day })} value={end} onChange={(e) => setEnd((e.target as HTMLInputElement).value)} />
			<button class="ad-btn" type="submit">{t("closures.preview")}</button>
			<button class="ad-link" type="button" onClick={onDelete}>{t("hours.delete")}</button>
		</form>
	);
}
