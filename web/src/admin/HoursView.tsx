// HoursView.tsx - weekly hours (admin): the business's or one provider's rules by weekday,
// several ranges a day (the gap between two is a break), all year or for a season (rules
// valid between two dates), and one day's ranges copied to other days. Every change is
// first a dry run (?dry_run=1) that lists the future bookings it would strand; then saved.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatCivil, weekdayNames } from "../shared/time";
import { Notice } from "../shared/ui";
import { ImpactList } from "./ImpactList";
import { type Errors, fieldErrors } from "./setup/kit";
import { ApiError, type ImpactPreview, type Session, call, staff } from "./staffApi";

type Rule = { id?: string; owner?: string; weekday?: string; start?: string; end?: string; valid_from?: string | null; valid_to?: string | null };
type Season = { from: string | null; to: string | null };
const seasonKey = (s: Season) => (s.from || "") + "|" + (s.to || "");
const ofSeason = (r: Rule, s: Season) => (r.valid_from || null) === s.from && (r.valid_to || null) === s.to;
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
	const [season, setSeason] = useState<Season>({ from: null, to: null });
	const [newSeason, setNewSeason] = useState<Season>({ from: null, to: null });
	const [copy, setCopy] = useState<{ from: string; to: string[] }>({ from: "mon", to: [] });
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
	useEffect(() => { setPending(null); setImpact(null); }, [seasonKey(season)]);

	const [errs, setErrs] = useState<Errors>({});
	const failed = (e: unknown) => {
		setErrs(fieldErrors(e));
		setMsg({ kind: "error", text: e instanceof ApiError ? (e.problem.errors?.map((x) => x.field + ": " + x.detail).join("; ") || e.problem.detail || e.message) : t("error.generic") });
	};
	const preview = async (p: Pending) => {
		setMsg(null);
		setErrs({});
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
	const create = (body: Rule) => (dry: boolean) => call(staff.POST("/api/v1/businesses/{business}/schedules", { params: { ...biz, query: q(dry) }, body: { owner, ...body, valid_from: season.from, valid_to: season.to } } as never));
	const copyTo = (dry: boolean) => call(staff.POST("/api/v1/businesses/{business}/schedules/copy", { params: { ...biz, query: q(dry) }, body: { owner, weekday: copy.from, to: copy.to, valid_from: season.from, valid_to: season.to } } as never));
	const seasons: Season[] = [{ from: null, to: null }];
	for (const r of rules) if (!seasons.some((x) => ofSeason(r, x))) seasons.push({ from: r.valid_from || null, to: r.valid_to || null });
	if (!seasons.some((x) => seasonKey(x) === seasonKey(season))) seasons.push(season);
	const seasonWords = (x: Season) => (x.from || x.to ? t("hours.season_span", { from: x.from ? formatCivil(x.from, locale()) : "…", to: x.to ? formatCivil(x.to, locale()) : "…" }) : t("hours.all_year"));
	const shown = rules.filter((r) => ofSeason(r, season));
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
			<div class="ad-toolbar">
				<label class="ad-field-inline">
					<span>{t("hours.season")}</span>
					<select name="season" value={seasonKey(season)} onChange={(e) => { const [f, to] = (e.target as HTMLSelectElement).value.split("|"); setSeason({ from: f || null, to: to || null }); }}>
						{seasons.map((x) => <option key={seasonKey(x)} value={seasonKey(x)}>{seasonWords(x)}</option>)}
					</select>
				</label>
			</div>
			<details class="ad-details">
				<summary>{t("hours.new_season")}</summary>
				<div class="ad-rule">
					<label class="ad-field-inline"><span>{t("hours.valid_from")}</span><input type="date" name="valid_from" aria-invalid={errs.valid_from ? true : undefined} value={newSeason.from || ""} onChange={(e) => setNewSeason({ ...newSeason, from: (e.target as HTMLInputElement).value || null })} /></label>
					<label class="ad-field-inline"><span>{t("hours.valid_to")}</span><input type="date" name="valid_to" aria-invalid={errs.valid_to ? true : undefined} value={newSeason.to || ""} onChange={(e) => setNewSeason({ ...newSeason, to: (e.target as HTMLInputElement).value || null })} /></label>
					<button class="ad-btn" type="button" disabled={!newSeason.from && !newSeason.to} onClick={() => setSeason(newSeason)}>{t("hours.use_season")}</button>
					{errs.valid_from || errs.valid_to ? <span class="ad-field-error">{errs.valid_from || errs.valid_to}</span> : null}
				</div>
			</details>
			<p class="ad-muted">{season.from || season.to ? t("hours.season_note") : t("hours.all_year_note")}</p>
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
								{shown.filter((r) => r.weekday === d).sort((a, b) => ((a.start || "") < (b.start || "") ? -1 : 1)).map((r) => (
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
				<label class="ad-field-inline"><span>{t("hours.start")}</span><input name="start" type="time" value={add.start} aria-invalid={errs.start ? true : undefined} onChange={(e) => setAdd({ ...add, start: (e.target as HTMLInputElement).value })} />{errs.start ? <span class="ad-field-error">{errs.start}</span> : null}</label>
				<label class="ad-field-inline"><span>{t("hours.end")}</span><input name="end" type="time" value={add.end} aria-invalid={errs.end ? true : undefined} onChange={(e) => setAdd({ ...add, end: (e.target as HTMLInputElement).value })} />{errs.end ? <span class="ad-field-error">{errs.end}</span> : null}</label>
				<button class="ad-btn" type="submit">{t("closures.preview")}</button>
			</form>
			<h2 class="ad-h2" id="hours-copy">{t("hours.copy")}</h2>
			<form class="ad-copy" aria-labelledby="hours-copy" onSubmit={(e) => {
				e.preventDefault();
				const to = copy.to.filter((d) => d !== copy.from);
				if (!to.length) return setMsg({ kind: "error", text: t("hours.copy_none") });
				preview({ label: t("hours.copying", { day: names[DAYS.indexOf(copy.from)], days: to.map((d) => names[DAYS.indexOf(d)]).join(", ") }), run: copyTo });
			}}>
				<label class="ad-field-inline"><span>{t("hours.copy_from")}</span>
					<select name="copy_from" value={copy.from} onChange={(e) => setCopy({ ...copy, from: (e.target as HTMLSelectElement).value })}>
						{DAYS.map((d, i) => <option key={d} value={d}>{names[i]}</option>)}
					</select>
				</label>
				<fieldset class="ad-fieldset ad-inline-checks">
					<legend>{t("hours.copy_to")}</legend>
					{errs.to ? <span class="ad-field-error">{errs.to}</span> : null}
					{DAYS.map((d, i) => d === copy.from ? null : (
						<label key={d} class="ad-check"><input type="checkbox" name="copy_to" value={d} checked={copy.to.includes(d)}
							onChange={(e) => setCopy({ ...copy, to: (e.target as HTMLInputElement).checked ? [...copy.to, d] : copy.to.filter((x) => x !== d) })} /> {names[i]}</label>
					))}
				</fieldset>
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
