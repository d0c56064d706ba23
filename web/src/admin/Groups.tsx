// Groups.tsx - the dashboard's parts for booking groups and companies: a booking's group on
// its detail (participants added, removed, the group cancelled), the companies list and
// editor, a customer's company on their profile, and the group and class rules of a service
// (sizes, minimum attendance, decision time) and of one session (its own minimum).
import { useEffect, useState } from "preact/hooks";
import type { components } from "../shared/api-types";
import { ApiError, call } from "../shared/api";
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { Loading, Notice } from "../shared/ui";
import { type Session, isAdmin, staff } from "./staffApi";
import "./groups.css";

type Group = components["schemas"]["BookingGroup"];
type Company = components["schemas"]["Company"];
type GroupRules = components["schemas"]["GroupRules"];
type SessionRules = components["schemas"]["SessionRules"];

function problemText(e: unknown): string {
	if (!(e instanceof ApiError)) return t("error.generic");
	const fields = (e.problem.errors || []).map((x) => x.detail).filter(Boolean);
	return fields.length ? fields.join("; ") : e.problem.detail || e.message;
}

const LIVE = ["held", "pending", "confirmed", "checked_in"];

/** The group of a booking, on its detail; nothing when the booking is in no group. */
export function BookingGroupPanel({ slug, zone, bookingId, onChanged }: { slug: string; zone: string; bookingId: string; onChanged: () => void }) {
	const [g, setG] = useState<Group | null>(null);
	const [error, setError] = useState("");
	const [done, setDone] = useState("");
	const [add, setAdd] = useState({ name: "", email: "" });
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/bookings/{booking}/group", { params: { path: { business: slug, booking: bookingId } } })).then(
			(x) => setG(x as Group),
			() => setG(null),
		);
	}, [bookingId]);
	if (!g) return null;
	const path = { business: slug, group: g.id };
	const run = async (p: Promise<unknown>, said: string) => {
		setError("");
		setDone("");
		try {
			setG({ ...g, ...((await p) as Group) });
			setDone(said);
			onChanged();
			return true;
		} catch (e) {
			setError(problemText(e));
			return false;
		}
	};
	const active = g.status === "active";
	const edit = active && isAdmin(); // the staff role reads the group; admins change it
	return (
		<section class="ad-group" aria-labelledby="grp-title" data-group={g.id}>
			<h3 id="grp-title" class="ad-h3">{t("group_admin.title", { reference: g.reference })}</h3>
			<p class="ad-muted">
				{t("group_admin.organiser", { name: g.organiser.name, email: g.organiser.email })}
				{g.company?.name ? " · " + t("group_admin.company", { name: g.company.name }) : ""}
				{active ? "" : " · " + t("status.cancelled")}
			</p>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{done ? <Notice kind="ok">{done}</Notice> : null}
			<ul class="ad-list" data-people>
				{g.participants.map((p) => (
					<li key={p.reference} data-person={p.email} data-status={p.status}>
						{p.name} · <span class="ad-break">{p.email}</span> · {p.reference} · {t("status." + p.status)}{" "}
						{edit && LIVE.includes(p.status) ? (
							<button type="button" class="ad-link" onClick={() => run(call(staff.DELETE("/api/v1/businesses/{business}/groups/{group}/participants/{member}", { params: { path: { ...path, member: p.booking || p.reference } } })), t("group_admin.removed", { name: p.name }))}>
								{t("group_admin.remove")}
								<span class="ad-sr"> {p.name}</span>
							</button>
						) : null}
					</li>
				))}
			</ul>
			{edit ? (
				<>
					<form
						class="ad-toolbar"
						onSubmit={async (e) => {
							e.preventDefault();
							const name = add.name.trim();
							if (await run(call(staff.POST("/api/v1/businesses/{business}/groups/{group}/participants", { params: { path }, body: { name, email: add.email.trim() } })), t("group_admin.added", { name }))) setAdd({ name: "", email: "" });
						}}
					>
						<label class="ad-field-inline">
							<span>{t("group_admin.add_name")}</span>
							<input name="group_add_name" required value={add.name} onInput={(e) => setAdd({ ...add, name: (e.target as HTMLInputElement).value })} />
						</label>
						<label class="ad-field-inline">
							<span>{t("group_admin.add_email")}</span>
							<input name="group_add_email" type="email" required value={add.email} onInput={(e) => setAdd({ ...add, email: (e.target as HTMLInputElement).value })} />
						</label>
						<button type="submit" class="ad-btn">{t("group_admin.add")}</button>
					</form>
					<button type="button" class="ad-btn ad-btn-danger" onClick={() => run(call(staff.POST("/api/v1/businesses/{business}/groups/{group}/cancel", { params: { path }, body: { reason: "cancelled by staff" } })), t("group_admin.cancelled"))}>
						{t("group_admin.cancel")}
					</button>
				</>
			) : null}
			<p class="ad-muted">{formatWhen(g.start, zone, locale())}</p>
		</section>
	);
}

type CompanyForm = { name: string; billing_email: string; notes: string };

/** Companies: the list with their counts, and the editor of a new or chosen one. */
export function CompaniesView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const [list, setList] = useState<Company[] | null>(null);
	const [open, setOpen] = useState<Company | "new" | null>(null);
	const [form, setForm] = useState<CompanyForm>({ name: "", billing_email: "", notes: "" });
	const [error, setError] = useState("");
	const [said, setSaid] = useState("");
	const load = async () => {
		try {
			setList(((await call(staff.GET("/api/v1/businesses/{business}/companies", { params: { path: { business: slug } } }))) as { companies: Company[] }).companies);
		} catch {
			setError(t("error.load"));
		}
	};
	useEffect(() => {
		load();
	}, []);
	const edit = (k: Company | "new") => {
		setSaid("");
		setError("");
		setOpen(k);
		setForm(k === "new" ? { name: "", billing_email: "", notes: "" } : { name: k.name, billing_email: k.billing_email, notes: k.notes });
	};
	const save = async (e: Event) => {
		e.preventDefault();
		setError("");
		try {
			if (open === "new") await call(staff.POST("/api/v1/businesses/{business}/companies", { params: { path: { business: slug } }, body: form }));
			else if (open) await call(staff.PATCH("/api/v1/businesses/{business}/companies/{company}", { params: { path: { business: slug, company: open.id } }, body: form }));
			setSaid(t("companies.saved", { name: form.name }));
			setOpen(null);
			load();
		} catch (err) {
			setError(problemText(err));
		}
	};
	const remove = async (k: Company) => {
		setError("");
		try {
			await call(staff.DELETE("/api/v1/businesses/{business}/companies/{company}", { params: { path: { business: slug, company: k.id } } }));
			setSaid(t("companies.deleted", { name: k.name }));
			setOpen(null);
			load();
		} catch (err) {
			setError(problemText(err));
		}
	};
	const field = (k: keyof CompanyForm, label: string, type = "text") => (
		<label class="ad-field">
			<span>{label}</span>
			{k === "notes" ? (
				<textarea name={k} rows={3} value={form[k]} onInput={(e) => setForm({ ...form, [k]: (e.target as HTMLTextAreaElement).value })} />
			) : (
				<input name={k} type={type as "text"} required={k === "name"} value={form[k]} onInput={(e) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })} />
			)}
		</label>
	);
	return (
		<section aria-labelledby="cmp-title">
			<h1 id="cmp-title" class="ad-title">{t("companies.title")}</h1>
			<p class="ad-muted">{t("companies.explain")}</p>
			<div class="ad-actions">
				<button type="button" class="ad-btn" onClick={() => edit("new")}>{t("companies.new")}</button>
			</div>
			<div aria-live="polite">{said ? <Notice kind="ok">{said}</Notice> : null}</div>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{open ? (
				<form class="ad-form ad-company-form" onSubmit={save} aria-labelledby="cmp-edit">
					<h2 id="cmp-edit" class="ad-h2">{open === "new" ? t("companies.new") : t("companies.edit", { name: open.name })}</h2>
					{field("name", t("companies.name"))}
					{field("billing_email", t("companies.billing_email"), "email")}
					{field("notes", t("companies.notes"))}
					<div class="ad-actions">
						<button type="submit" class="ad-btn ad-btn-primary">{t("companies.save")}</button>
						<button type="button" class="ad-btn" onClick={() => setOpen(null)}>{t("companies.close")}</button>
						{open !== "new" ? <button type="button" class="ad-btn ad-btn-danger" onClick={() => remove(open)}>{t("companies.delete")}</button> : null}
					</div>
				</form>
			) : null}
			{list === null ? <Loading /> : list.length === 0 ? <p>{t("companies.none")}</p> : (
				<div class="ad-table-wrap">
					<table class="ad-table ad-stack ad-companies">
						<thead>
							<tr>
								<th scope="col">{t("companies.name")}</th>
								<th scope="col">{t("companies.billing_email")}</th>
								<th scope="col">{t("companies.customers")}</th>
								<th scope="col">{t("companies.groups")}</th>
								<th scope="col"><span class="ad-sr">{t("setup.actions")}</span></th>
							</tr>
						</thead>
						<tbody>
							{list.map((k) => (
								<tr key={k.id} data-company={k.name}>
									<th scope="row" data-label={t("companies.name")}>{k.name}</th>
									<td class="ad-break" data-label={t("companies.billing_email")}>{k.billing_email}</td>
									<td data-label={t("companies.customers")}>{k.customers}</td>
									<td data-label={t("companies.groups")}>{k.groups}</td>
									<td><button type="button" class="ad-link" onClick={() => edit(k)}>{t("setup.edit_named", { name: k.name })}</button></td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
		</section>
	);
}

/** A customer's company on their profile, with a picker to change it. */
export function CustomerCompany({ slug, customerId }: { slug: string; customerId: string }) {
	const [current, setCurrent] = useState<Company | null | undefined>(undefined);
	const [all, setAll] = useState<Company[]>([]);
	const [pick, setPick] = useState("");
	const [error, setError] = useState("");
	const [said, setSaid] = useState("");
	const path = { business: slug, customer: customerId };
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/customers/{customer}/company", { params: { path } })).then(
			(r) => {
				const k = (r as { company: Company | null }).company;
				setCurrent(k);
				setPick(k?.id || "");
			},
			() => setCurrent(null),
		);
		call(staff.GET("/api/v1/businesses/{business}/companies", { params: { path: { business: slug } } })).then(
			(r) => setAll((r as { companies: Company[] }).companies),
			() => {},
		);
	}, [customerId]);
	if (current === undefined) return null;
	const save = async (e: Event) => {
		e.preventDefault();
		setError("");
		setSaid("");
		try {
			const r = await call(staff.PUT("/api/v1/businesses/{business}/customers/{customer}/company", { params: { path }, body: { company: pick || null } }));
			setCurrent((r as { company: Company | null }).company);
			setSaid(t("customer.company_saved"));
		} catch (err) {
			setError(problemText(err));
		}
	};
	return (
		<form class="ad-toolbar ad-customer-company" onSubmit={save} aria-labelledby="cc-title">
			<h2 id="cc-title" class="ad-h2">{t("customer.company")}</h2>
			<p data-company-name>{current ? current.name + (current.billing_email ? " · " + t("customer.billing", { email: current.billing_email }) : "") : t("customer.no_company")}</p>
			<label class="ad-field-inline">
				<span>{t("customer.company_pick")}</span>
				<select name="company" value={pick} onChange={(e) => setPick((e.target as HTMLSelectElement).value)}>
					<option value="">{t("customer.no_company")}</option>
					{all.map((k) => (
						<option key={k.id} value={k.id}>{k.name}</option>
					))}
				</select>
			</label>
			<button type="submit" class="ad-btn">{t("customer.company_save")}</button>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{said ? <Notice kind="ok">{said}</Notice> : null}
		</form>
	);
}

/** The group and class rules of a service, in its editor. */
export function GroupRulesEditor({ slug, serviceId, kind }: { slug: string; serviceId: string; kind: string }) {
	const [r, setR] = useState<GroupRules | null>(null);
	const [error, setError] = useState("");
	const [said, setSaid] = useState("");
	const path = { business: slug, service: serviceId };
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/services/{service}/group-rules", { params: { path } })).then((x) => setR(x as GroupRules), () => setError(t("error.load")));
	}, [serviceId]);
	if (kind === "rental") return null;
	if (!r) return error ? <Notice kind="error">{error}</Notice> : null;
	const num = (k: "group_min" | "group_max" | "min_attendance", label: string, min: number) => (
		<label class="ad-field">
			<span>{label}</span>
			<input name={k} type="number" min={min} max={k === "min_attendance" ? 100000 : 50} value={r[k]} onInput={(e) => setR({ ...r, [k]: Number((e.target as HTMLInputElement).value) })} />
		</label>
	);
	const save = async (e: Event) => {
		e.preventDefault();
		setError("");
		setSaid("");
		const body = { group_min: r.group_min, group_max: r.group_max, min_attendance: r.min_attendance, decide_before_s: r.decide_before_s };
		try {
			setR((await call(staff.PUT("/api/v1/businesses/{business}/services/{service}/group-rules", { params: { path }, body }))) as GroupRules);
			setSaid(t("rules.saved"));
		} catch (err) {
			setError(problemText(err));
		}
	};
	return (
		<form class="ad-form ad-group-rules" onSubmit={save} aria-labelledby="gr-title">
			<h2 id="gr-title" class="ad-h2">{t("rules.title")}</h2>
			<p class="ad-muted">{t("rules.explain")}</p>
			<div class="ad-grid">
				{num("group_min", t("rules.group_min"), 1)}
				{num("group_max", t("rules.group_max"), 0)}
				{kind === "class" ? num("min_attendance", t("rules.min_attendance"), 0) : null}
				{kind === "class" ? (
					<label class="ad-field">
						<span>{t("rules.decide_hours")}</span>
						<input name="decide_hours" type="number" min={0} max={2160} value={Math.round(r.decide_before_s / 3600)} onInput={(e) => setR({ ...r, decide_before_s: Number((e.target as HTMLInputElement).value) * 3600 })} />
					</label>
				) : null}
			</div>
			<button type="submit" class="ad-btn ad-btn-primary">{t("rules.save")}</button>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{said ? <Notice kind="ok">{said}</Notice> : null}
		</form>
	);
}

/** One session's minimum attendance: its own or the service's, and the decision once taken. */
export function SessionMinimum({ slug, sessionId }: { slug: string; sessionId: string }) {
	const [r, setR] = useState<SessionRules | null>(null);
	const [value, setValue] = useState("");
	const [error, setError] = useState("");
	const path = { business: slug, session: sessionId };
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/sessions/{session}/rules", { params: { path } })).then(
			(x) => {
				const s = x as SessionRules;
				setR(s);
				setValue(s.own_minimum ? String(s.min_attendance) : "");
			},
			() => {},
		);
	}, [sessionId]);
	if (!r) return null;
	if (r.decision) return <span class="ad-tag" data-decision={r.decision}>{t(`rules.decision.${r.decision}`, { n: r.attendance })}</span>;
	const save = async (e: Event) => {
		e.preventDefault();
		setError("");
		try {
			const s = (await call(staff.PUT("/api/v1/businesses/{business}/sessions/{session}/rules", { params: { path }, body: { min_attendance: value === "" ? null : Number(value) } }))) as SessionRules;
			setR(s);
		} catch (err) {
			setError(problemText(err));
		}
	};
	return (
		<form class="ad-inline-form" onSubmit={save}>
			<label class="ad-field-inline">
				<span>{t("rules.session_min")}</span>
				<input name={"min_" + sessionId} type="number" min={0} size={4} value={value} placeholder={String(r.min_attendance)} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
			</label>
			<button type="submit" class="ad-btn">{t("rules.session_save")}</button>
			{error ? <span class="ad-field-error">{error}</span> : null}
		</form>
	);
}
