// Group.tsx - group bookings: the organiser's form on the booking page (GroupBooking: who
// books, an optional company, one row per participant), and the group's own page
// /g/{group}?t=TOKEN (GroupApp), the link of the answer and of the summary email: the
// participants, adding and removing them, cancelling the whole group.
import { useEffect, useState } from "preact/hooks";
import { ApiError, type Business, type Service, call, client, clientToken } from "../shared/api";
import type { components } from "../shared/api-types";
import { locale, t } from "../shared/i18n";
import { formatTime } from "../shared/time";
import { Frame, Loading, Notice, StepHeading } from "../shared/ui";
import { Summary } from "./Summary";
import "./group.css";

export type Group = components["schemas"]["BookingGroup"];
export type GroupLimits = { service: string; min: number; max: number; late_join_s: number };
type Person = { name: string; email: string };

function errorText(e: unknown): string {
	const err = e as ApiError;
	return err.status === 0 ? t("error.network") : err.message || t("error.generic");
}

/** The services of a business that take groups, with their sizes ([] when none or on error). */
export async function groupLimits(slug: string): Promise<GroupLimits[]> {
	try {
		const r = await call(client.GET("/api/v1/public/{business}/group-rules", { params: { path: { business: slug } } }));
		return (r.services || []) as GroupLimits[];
	} catch {
		return [];
	}
}

/** "How many people": the size picker shown above the times of a service that takes groups.
 * 1 is a booking for oneself; more books a group. */
export function GroupSize({ limits, size, onSize }: { limits: GroupLimits; size: number; onSize: (n: number) => void }) {
	const sizes = [1];
	for (let n = limits.min; n <= limits.max; n++) if (n > 1) sizes.push(n);
	return (
		<div class="bk-field bk-field-inline bk-group-size">
			<label for="bk-group-size">{t("group.how_many")}</label>
			<select id="bk-group-size" value={String(size)} onChange={(e) => onSize(Number((e.target as HTMLSelectElement).value))}>
				{sizes.map((n) => (
					<option key={n} value={String(n)}>
						{n === 1 ? t("group.just_me") : t("group.people", { n: String(n) })}
					</option>
				))}
			</select>
		</div>
	);
}

/** The organiser's form for a group of `size` at `start`, then the booked group. */
export function GroupBooking({ slug, business, service, start, end, zone, size, limits, onBack }: { slug: string; business: Business; service: Service; start: string; end: string; zone: string; size: number; limits: GroupLimits; onBack: () => void }) {
	const [organiser, setOrganiser] = useState<Person>({ name: "", email: "" });
	const [company, setCompany] = useState("");
	const [people, setPeople] = useState<Person[]>(() => Array.from({ length: size }, () => ({ name: "", email: "" })));
	const [busy, setBusy] = useState(false);
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [formError, setFormError] = useState("");
	const [booked, setBooked] = useState<Group | undefined>();

	async function submit() {
		setBusy(true);
		setErrors({});
		setFormError("");
		const body: Record<string, unknown> = {
			service: service.id,
			start,
			organiser: { name: organiser.name.trim(), email: organiser.email.trim(), timezone: zone },
			participants: people.map((p) => ({ name: p.name.trim(), email: p.email.trim() })),
			client: clientToken(),
		};
		if (company.trim()) body.company = company.trim();
		try {
			setBooked((await call(client.POST("/api/v1/public/{business}/groups", { params: { path: { business: slug } }, body: body as never }))) as Group);
		} catch (e) {
			const err = e as ApiError;
			if (err.status === 422 && err.problem.errors?.length) {
				const f: Record<string, string> = {};
				for (const x of err.problem.errors) f[x.field || ""] = x.detail || "";
				setErrors(f);
				setFormError(err.message + ": " + err.problem.errors.map((x) => x.detail).join("; "));
			} else if (err.status === 409) {
				setFormError(t("group.no_room"));
			} else if (err.status === 429) {
				setFormError(err.message);
			} else {
				setFormError(errorText(e));
			}
		} finally {
			setBusy(false);
		}
	}

	const summary = <Summary business={business} service={service.name!} start={start} end={end} zone={zone} seats={people.length} />;
	if (booked) {
		const link = booked.link || "/g/" + encodeURIComponent(booked.id) + "?t=" + encodeURIComponent(booked.token || "");
		return (
			<section class="bk-done bk-group-done" data-group={booked.id}>
				<StepHeading>{t("group.booked_title")}</StepHeading>
				<Notice kind="ok">
					<p>{t("group.booked_email", { email: organiser.email.trim() })}</p>
					<p>
						{t("group.reference")} <strong data-group-reference>{booked.reference}</strong>
					</p>
				</Notice>
				{summary}
				<ul class="bk-group-people">
					{booked.participants.map((p) => (
						<li key={p.reference}>
							{p.name} · {p.email} · {p.reference}
						</li>
					))}
				</ul>
				<p>
					<a class="bk-btn" href={link} data-group-link>
						{t("group.manage")}
					</a>
				</p>
			</section>
		);
	}
	const input = (id: string, label: string, type: string, value: string, set: (v: string) => void, err?: string, required = true) => (
		<div class="bk-field">
			<label for={id}>
				{label}
				{required ? null : <span class="bk-optional"> {t("details.optional")}</span>}
			</label>
			<input id={id} type={type as "text"} required={required} value={value} onInput={(e) => set((e.target as HTMLInputElement).value)} aria-invalid={err ? true : undefined} aria-describedby={err ? id + "-error" : undefined} />
			{err ? (
				<p class="bk-field-error" id={id + "-error"}>
					{err}
				</p>
			) : null}
		</div>
	);
	const setPerson = (i: number, k: keyof Person, v: string) => setPeople(people.map((p, j) => (j === i ? { ...p, [k]: v } : p)));
	return (
		<section class="bk-group">
			<StepHeading>{t("group.title")}</StepHeading>
			<form
				class="bk-details"
				noValidate
				onSubmit={(e) => {
					e.preventDefault();
					if (!busy && (e.target as HTMLFormElement).reportValidity()) submit();
				}}
			>
				{summary}
				<fieldset class="bk-fieldset">
					<legend>{t("group.organiser")}</legend>
					{input("bk-org-name", t("details.name"), "text", organiser.name, (v) => setOrganiser({ ...organiser, name: v }), errors["organiser.name"])}
					{input("bk-org-email", t("details.email"), "email", organiser.email, (v) => setOrganiser({ ...organiser, email: v }), errors["organiser.email"])}
					{input("bk-company", t("group.company"), "text", company, setCompany, errors.company, false)}
				</fieldset>
				<fieldset class="bk-fieldset" data-participants>
					<legend>{t("group.participants", { n: String(people.length) })}</legend>
					{people.map((p, i) => (
						<div class="bk-group-row" key={i} data-participant={i}>
							{input("bk-p" + i + "-name", t("group.participant_name", { n: String(i + 1) }), "text", p.name, (v) => setPerson(i, "name", v), errors["participants[" + i + "].name"])}
							{input("bk-p" + i + "-email", t("group.participant_email", { n: String(i + 1) }), "email", p.email, (v) => setPerson(i, "email", v), errors["participants[" + i + "].email"])}
							{people.length > limits.min ? (
								<button type="button" class="bk-btn bk-btn-small" onClick={() => setPeople(people.filter((_, j) => j !== i))}>
									{t("group.remove_row", { n: String(i + 1) })}
								</button>
							) : null}
						</div>
					))}
					{people.length < limits.max ? (
						<button type="button" class="bk-btn" onClick={() => setPeople([...people, { name: "", email: "" }])}>
							{t("group.add_row")}
						</button>
					) : null}
				</fieldset>
				{formError ? <Notice kind="error">{formError}</Notice> : null}
				<div class="bk-actions">
					<button type="button" class="bk-btn" onClick={onBack}>
						{t("nav.back")}
					</button>
					<button type="submit" class="bk-btn bk-btn-primary" disabled={busy}>
						{busy ? t("details.booking") : t("group.book", { n: String(people.length) })}
					</button>
				</div>
			</form>
		</section>
	);
}

/** /g/{group}?t=TOKEN: the organiser's page. */
export function GroupApp({ groupId, resolveBusiness }: { groupId: string; resolveBusiness: (slug: string) => Promise<Business> }) {
	const token = new URLSearchParams(location.search).get("t") || "";
	const [group, setGroup] = useState<Group | undefined>();
	const [business, setBusiness] = useState<Business | undefined>();
	const [missing, setMissing] = useState(false);
	const [error, setError] = useState("");
	const [done, setDone] = useState("");
	const [busy, setBusy] = useState(false);
	const [add, setAdd] = useState<Person>({ name: "", email: "" });
	const [confirming, setConfirming] = useState(false);
	const q = { t: token };

	useEffect(() => {
		call(client.GET("/api/v1/public/groups/{group}", { params: { path: { group: groupId }, query: q } }))
			.then(async (g) => {
				const x = g as Group;
				setGroup(x);
				if (x.business?.slug) setBusiness(await resolveBusiness(x.business.slug).catch(() => undefined));
			})
			.catch((e) => ((e as ApiError).status === 404 ? setMissing(true) : setError(errorText(e))));
	}, [groupId]);

	async function act(fn: () => Promise<unknown>, said: string) {
		setBusy(true);
		setError("");
		setDone("");
		try {
			setGroup({ ...(group as Group), ...((await fn()) as Group) });
			setDone(said);
			return true;
		} catch (e) {
			const err = e as ApiError;
			setError(err.status === 409 && err.problem.reason ? t("group.no_room") : err.problem.errors?.length ? err.problem.errors.map((x) => x.detail).join("; ") : errorText(e));
			return false;
		} finally {
			setBusy(false);
		}
	}

	if (missing) {
		return (
			<Frame>
				<StepHeading focus={false}>{t("group.not_found")}</StepHeading>
			</Frame>
		);
	}
	if (!group) return <Frame>{error ? <Notice kind="error">{error}</Notice> : <Loading />}</Frame>;
	const zone = group.business?.timezone || "UTC";
	const fake = business || ({ name: group.business?.name, timezone: zone, slug: group.business?.slug } as Business);
	const live = group.participants.filter((p) => !["cancelled", "expired", "no_show"].includes(p.status));
	const active = group.status === "active";
	const min = group.limits?.min ?? 1, max = group.limits?.max ?? 50;
	return (
		<Frame business={business}>
			<section class="bk-group-page" data-group-status={group.status}>
				<StepHeading>{t("group.page_title")}</StepHeading>
				<p>
					{t("group.reference")} <strong>{group.reference}</strong> · {t("group.organised_by", { name: group.organiser.name })}
					{group.company?.name ? " · " + group.company.name : ""}
				</p>
				<Summary business={fake} service={group.service_name} start={group.start} end={group.end || group.start} zone={zone} seats={live.length} status={active ? undefined : "cancelled"} />
				{done ? <Notice kind="ok">{done}</Notice> : null}
				{error ? <Notice kind="error">{error}</Notice> : null}
				<h2 class="bk-h2">{t("group.participants", { n: String(live.length) })}</h2>
				<ul class="bk-group-people" data-people>
					{group.participants.map((p) => (
						<li key={p.reference} data-person={p.email} data-status={p.status}>
							<span>
								{p.name} · {p.email} · {p.reference}
								{p.status === "cancelled" ? " · " + t("group.removed") : ""}
							</span>
							{active && p.status !== "cancelled" && live.length > min ? (
								<button
									type="button"
									class="bk-btn bk-btn-small"
									disabled={busy}
									onClick={() => act(() => call(client.DELETE("/api/v1/public/groups/{group}/participants/{member}", { params: { path: { group: group.id, member: p.reference }, query: q } })), t("group.removed_done", { name: p.name }))}
								>
									{t("group.remove", { name: p.name })}
								</button>
							) : null}
						</li>
					))}
				</ul>
				{active && live.length < max ? (
					<form
						class="bk-details bk-group-add"
						noValidate
						onSubmit={async (e) => {
							e.preventDefault();
							if (busy || !(e.target as HTMLFormElement).reportValidity()) return;
							const name = add.name.trim();
							if (await act(() => call(client.POST("/api/v1/public/groups/{group}/participants", { params: { path: { group: group.id }, query: q }, body: { name, email: add.email.trim() } })), t("group.added_done", { name }))) setAdd({ name: "", email: "" });
						}}
					>
						<h2 class="bk-h2">{t("group.add_title")}</h2>
						<div class="bk-field">
							<label for="bk-add-name">{t("details.name")}</label>
							<input id="bk-add-name" type="text" autocomplete="name" required value={add.name} onInput={(e) => setAdd({ ...add, name: (e.target as HTMLInputElement).value })} />
						</div>
						<div class="bk-field">
							<label for="bk-add-email">{t("details.email")}</label>
							<input id="bk-add-email" type="email" required value={add.email} onInput={(e) => setAdd({ ...add, email: (e.target as HTMLInputElement).value })} />
						</div>
						<div class="bk-actions">
							<button type="submit" class="bk-btn" disabled={busy}>
								{t("group.add")}
							</button>
						</div>
					</form>
				) : null}
				{active ? (
					<div class="bk-actions">
						{confirming ? (
							<>
								<button type="button" class="bk-btn" onClick={() => setConfirming(false)}>
									{t("group.keep")}
								</button>
								<button type="button" class="bk-btn bk-btn-danger" disabled={busy} data-confirm-cancel onClick={() => act(() => call(client.POST("/api/v1/public/groups/{group}/cancel", { params: { path: { group: group.id }, query: q }, body: {} })), t("group.cancelled_done"))}>
									{t("group.cancel_confirm", { n: String(live.length) })}
								</button>
							</>
						) : (
							<button type="button" class="bk-btn" onClick={() => setConfirming(true)}>
								{t("group.cancel")}
							</button>
						)}
					</div>
				) : (
					<Notice kind="info">{t("group.is_cancelled")}</Notice>
				)}
			</section>
		</Frame>
	);
}

type UnderWay = { id: string; start: string; end: string; seats_left: number };

/** Sessions of a class that have begun and may still be joined: join one with name and email. */
export function LateJoin({ slug, service, zone }: { slug: string; service: Service; zone: string }) {
	const [list, setList] = useState<UnderWay[]>([]);
	const [open, setOpen] = useState<UnderWay | undefined>();
	const [who, setWho] = useState<Person>({ name: "", email: "" });
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState("");
	const [joined, setJoined] = useState<{ reference?: string; manage_token?: string } | undefined>();
	useEffect(() => {
		call(client.GET("/api/v1/public/{business}/sessions-under-way", { params: { path: { business: slug }, query: { service: service.id!, tz: zone } } })).then(
			(r) => setList((r.sessions || []) as UnderWay[]),
			() => setList([]),
		);
	}, [service.id]);
	if (!list.length && !joined) return null;
	if (joined) {
		return (
			<Notice kind="ok">
				<p data-late-joined>{t("late.joined", { reference: joined.reference || "" })}</p>
				<p>
					<a href={"/b/" + encodeURIComponent(joined.reference || "") + "#k=" + encodeURIComponent(joined.manage_token || "")}>{t("done.manage")}</a>
				</p>
			</Notice>
		);
	}
	const join = async (e: Event) => {
		e.preventDefault();
		if (!open || busy || !(e.target as HTMLFormElement).reportValidity()) return;
		setBusy(true);
		setError("");
		try {
			const r = await call(client.POST("/api/v1/public/{business}/sessions/{session}/late-join", { params: { path: { business: slug, session: open.id } }, body: { customer: { name: who.name.trim(), email: who.email.trim(), timezone: zone } } }));
			setJoined(r as { reference?: string; manage_token?: string });
		} catch (err) {
			const x = err as ApiError;
			setError(x.status === 409 ? t("late.full") : x.problem.errors?.length ? x.problem.errors.map((y) => y.detail).join("; ") : errorText(err));
		} finally {
			setBusy(false);
		}
	};
	return (
		<section class="bk-late" aria-labelledby="bk-late-title">
			<h2 id="bk-late-title" class="bk-h2">{t("late.title")}</h2>
			<ul class="bk-group-people">
				{list.map((s) => (
					<li key={s.id} data-under-way={s.id}>
						<span>{t("late.since", { time: formatTime(s.start, zone, locale()), n: String(s.seats_left) })}</span>
						<button type="button" class="bk-btn" onClick={() => setOpen(s)} aria-pressed={open?.id === s.id}>
							{t("late.join")}
						</button>
					</li>
				))}
			</ul>
			{open ? (
				<form class="bk-details" noValidate onSubmit={join}>
					<div class="bk-field">
						<label for="bk-late-name">{t("details.name")}</label>
						<input id="bk-late-name" type="text" autocomplete="name" required value={who.name} onInput={(e) => setWho({ ...who, name: (e.target as HTMLInputElement).value })} />
					</div>
					<div class="bk-field">
						<label for="bk-late-email">{t("details.email")}</label>
						<input id="bk-late-email" type="email" autocomplete="email" required value={who.email} onInput={(e) => setWho({ ...who, email: (e.target as HTMLInputElement).value })} />
					</div>
					{error ? <Notice kind="error">{error}</Notice> : null}
					<button type="submit" class="bk-btn bk-btn-primary" disabled={busy}>
						{busy ? t("details.booking") : t("late.confirm")}
					</button>
				</form>
			) : null}
		</section>
	);
}
