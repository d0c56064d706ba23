// WaitlistView.tsx - the dashboard's waiting lists (admin and owner, as the staff waiting
// list routes): every list (a class session's, an appointment service's) with its entries in
// offer order: place, priority, status, offers and their expiry. Staff move an entry up or
// down among those of its priority, change its priority, offer it a place by hand (a session's
// seat, or a free time of an appointment service in its window), remove it, and read its
// history.
import { useEffect, useState } from "preact/hooks";
import type { components } from "../shared/api-types";
import { ApiError, call, client } from "../shared/api";
import { locale, t } from "../shared/i18n";
import { formatCivil, formatShortWhen, formatWhen } from "../shared/time";
import { Loading, Notice } from "../shared/ui";
import { type Session, staff } from "./staffApi";
import "./waitlist.css";

type Entry = components["schemas"]["WaitlistEntry"];
type WlEvent = NonNullable<Entry["history"]>[number];
type Service = { id?: string; name?: string; kind?: string };
const PRIORITIES = ["high", "normal", "low"] as const;
const STATUSES = ["waiting", "offered", "booked", "declined", "expired", "left", "removed"];

function problemText(e: unknown): string {
	if (!(e instanceof ApiError)) return t("error.generic");
	const fields = (e.problem.errors || []).map((x) => x.detail).filter(Boolean);
	return fields.length ? fields.join("; ") : e.problem.detail || e.message;
}

/** One list: a session's, or an appointment service's (session null). */
function listKey(e: Entry): string {
	return e.service + "|" + (e.session || "");
}

export function WaitlistView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const loc = locale();
	const [entries, setEntries] = useState<Entry[] | null>(null);
	const [services, setServices] = useState<Service[]>([]);
	const [service, setService] = useState("");
	const [status, setStatus] = useState("");
	const [error, setError] = useState("");
	const [said, setSaid] = useState("");
	const [busy, setBusy] = useState(false);
	const [history, setHistory] = useState<Record<string, WlEvent[]>>({});
	const [offering, setOffering] = useState<Entry | null>(null);

	const load = async () => {
		try {
			const query: Record<string, string> = {};
			if (service) query.service = service;
			if (status) query.status = status;
			const r = (await call(staff.GET("/api/v1/businesses/{business}/waitlist", { params: { path: { business: slug }, query: query as never } }))) as { entries: Entry[] };
			setEntries(r.entries || []);
		} catch (e) {
			setError(problemText(e));
		}
	};
	useEffect(() => {
		call(staff.GET("/api/v1/businesses/{business}/services", { params: { path: { business: slug } } }))
			.then((r) => setServices(((r as { services?: Service[] }).services || []).filter((s) => s.kind !== "rental")))
			.catch(() => {});
	}, []);
	useEffect(() => {
		load();
	}, [service, status]);

	const path = (e: Entry) => ({ business: slug, entry: e.id });
	async function act(what: string, e: Entry, run: () => Promise<unknown>) {
		setBusy(true);
		setError("");
		setSaid("");
		try {
			const x = (await run()) as Entry | undefined;
			if (x?.history && history[e.id]) setHistory({ ...history, [e.id]: x.history });
			setSaid(t("wl.done." + what, { name: e.customer?.name || "" }));
			await load();
		} catch (err) {
			setError(problemText(err));
		} finally {
			setBusy(false);
		}
	}
	const move = (e: Entry, rank: number) => act("moved", e, () => call(staff.PATCH("/api/v1/businesses/{business}/waitlist/{entry}", { params: { path: path(e) }, body: { position: rank } as never })));
	const setPriority = (e: Entry, p: string) => act("priority", e, () => call(staff.PATCH("/api/v1/businesses/{business}/waitlist/{entry}", { params: { path: path(e) }, body: { priority: p } as never })));
	const remove = (e: Entry) => act("removed", e, () => call(staff.DELETE("/api/v1/businesses/{business}/waitlist/{entry}", { params: { path: path(e) } })));
	const offer = (e: Entry, start?: string, provider?: string) =>
		act("offered", e, async () => {
			const body: Record<string, string> = {};
			if (start) body.start = start;
			if (provider) body.provider = provider;
			const x = await call(staff.POST("/api/v1/businesses/{business}/waitlist/{entry}/offer", { params: { path: path(e) }, body: body as never }));
			setOffering(null);
			return x;
		});
	async function toggleHistory(e: Entry) {
		if (history[e.id]) {
			const h = { ...history };
			delete h[e.id];
			setHistory(h);
			return;
		}
		try {
			const x = (await call(staff.GET("/api/v1/businesses/{business}/waitlist/{entry}", { params: { path: path(e) } }))) as Entry;
			setHistory({ ...history, [e.id]: x.history || [] });
		} catch (err) {
			setError(problemText(err));
		}
	}

	const nameOf = (id: string) => services.find((s) => s.id === id)?.name || id;
	const groups: { key: string; entries: Entry[] }[] = [];
	for (const e of entries || []) {
		const k = listKey(e);
		let g = groups.find((x) => x.key === k);
		if (!g) groups.push((g = { key: k, entries: [] }));
		g.entries.push(e);
	}
	/** An entry's place among the waiting entries of its priority in its list (1-based), and
	 * how many there are: what PATCH position counts in. */
	const rankOf = (g: Entry[], e: Entry) => {
		const same = g.filter((x) => x.status === "waiting" && x.priority === e.priority);
		return [same.findIndex((x) => x.id === e.id) + 1, same.length];
	};
	const title = (e: Entry) =>
		e.session ? t("wl.list_session", { service: nameOf(e.service), when: e.start ? formatWhen(e.start, zone, loc) : "" }) : t("wl.list_appointment", { service: nameOf(e.service) });

	return (
		<section aria-labelledby="wl-title" class="ad-wl">
			<h1 id="wl-title" class="ad-title">{t("wl.title")}</h1>
			<p class="ad-muted">{t("wl.explain")}</p>
			<div class="ad-toolbar ad-wl-filters">
				<label class="ad-field">
					<span>{t("wl.service")}</span>
					<select name="service" value={service} onChange={(e) => setService((e.target as HTMLSelectElement).value)}>
						<option value="">{t("wl.all_services")}</option>
						{services.map((s) => (
							<option key={s.id} value={s.id}>
								{s.name}
							</option>
						))}
					</select>
				</label>
				<label class="ad-field">
					<span>{t("wl.status")}</span>
					<select name="status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
						<option value="">{t("wl.all_statuses")}</option>
						{STATUSES.map((s) => (
							<option key={s} value={s}>
								{t("wl.st." + s)}
							</option>
						))}
					</select>
				</label>
			</div>
			<div aria-live="polite">{said ? <Notice kind="ok">{said}</Notice> : null}</div>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{offering ? <OfferPicker slug={slug} zone={zone} entry={offering} busy={busy} onOffer={(start, provider) => offer(offering, start, provider)} onClose={() => setOffering(null)} /> : null}
			{entries === null ? <Loading /> : groups.length === 0 ? <p data-wl-empty>{t("wl.none")}</p> : null}
			{groups.map((g) => (
				<section class="ad-wl-list" key={g.key} data-wl-list={g.key} aria-label={title(g.entries[0])}>
					<h2 class="ad-h2">{title(g.entries[0])}</h2>
					<div class="ad-table-wrap">
						<table class="ad-table ad-stack ad-wl-table">
							<thead>
								<tr>
									<th scope="col">{t("wl.position")}</th>
									<th scope="col">{t("wl.customer")}</th>
									<th scope="col">{t("wl.priority")}</th>
									<th scope="col">{t("wl.status")}</th>
									<th scope="col">{t("wl.offers")}</th>
									<th scope="col">
										<span class="ad-sr">{t("setup.actions")}</span>
									</th>
								</tr>
							</thead>
							<tbody>
								{g.entries.map((e) => {
									const [rank, of] = rankOf(g.entries, e);
									const live = e.status === "waiting" || e.status === "offered";
									const who = e.customer?.name || "";
									return [
										<tr key={e.id} data-wl-entry={e.id} data-status={e.status}>
											<td data-label={t("wl.position")} data-position={e.position ?? ""}>
												{e.position ?? "–"}
											</td>
											<th scope="row" data-label={t("wl.customer")} data-wl-name={who}>
												<span class="ad-break">{who}</span>
												<br />
												<span class="ad-muted ad-break">{e.customer?.email}</span>
												{e.window ? (
													<span class="ad-wl-window">
														{t("wl.window", { from: formatCivil(e.window.from || "", loc, { day: "numeric", month: "short" }), to: formatCivil(e.window.to || "", loc, { day: "numeric", month: "short" }) })}
														{e.window.time_from ? " · " + e.window.time_from + "–" + e.window.time_to : ""}
														{e.window.provider ? " · " + e.window.provider : ""}
													</span>
												) : null}
											</th>
											<td data-label={t("wl.priority")}>
												{e.status === "waiting" ? (
													<select aria-label={t("wl.priority_of", { name: who })} data-wl-priority value={e.priority} disabled={busy} onChange={(x) => setPriority(e, (x.target as HTMLSelectElement).value)}>
														{PRIORITIES.map((p) => (
															<option key={p} value={p}>
																{t("wl.pr." + p)}
															</option>
														))}
													</select>
												) : (
													t("wl.pr." + (e.priority || "normal"))
												)}
											</td>
											<td data-label={t("wl.status")}>
												<span class={"ad-wl-status ad-wl-" + e.status}>{t("wl.st." + e.status)}</span>
												{e.reference ? <span class="ad-muted"> {e.reference}</span> : null}
											</td>
											<td data-label={t("wl.offers")}>
												{e.offers || 0}
												{e.status === "offered" && e.offer?.expires_at ? (
													<span class="ad-wl-expiry" data-wl-expires={e.offer.expires_at}>
														{" · " + t("wl.offer_until", { time: formatShortWhen(e.offer.expires_at, zone, loc) })}
													</span>
												) : null}
												{e.status === "offered" && e.start && !e.session ? <span class="ad-muted"> ({formatShortWhen(e.start, zone, loc)})</span> : null}
											</td>
											<td>
												<div class="ad-wl-actions">
												{e.status === "waiting" ? (
													<>
														<button type="button" class="ad-btn ad-wl-btn" data-wl-up disabled={busy || rank <= 1} aria-label={t("wl.up_named", { name: who })} onClick={() => move(e, rank - 1)}>
															↑
														</button>
														<button type="button" class="ad-btn ad-wl-btn" data-wl-down disabled={busy || rank >= of} aria-label={t("wl.down_named", { name: who })} onClick={() => move(e, rank + 1)}>
															↓
														</button>
														<button type="button" class="ad-btn ad-wl-btn" data-wl-offer disabled={busy} onClick={() => (e.session ? offer(e) : setOffering(e))}>
															{t("wl.offer")}
														</button>
													</>
												) : null}
												{live ? (
													<button type="button" class="ad-btn ad-wl-btn ad-btn-danger" data-wl-remove disabled={busy} onClick={() => remove(e)}>
														{t("wl.remove")}
													</button>
												) : null}
												<button type="button" class="ad-link" data-wl-history aria-expanded={!!history[e.id]} onClick={() => toggleHistory(e)}>
													{t("wl.history")}
												</button>
												</div>
											</td>
										</tr>,
										history[e.id] ? (
											<tr key={e.id + "-h"} class="ad-wl-history-row">
												<td colSpan={6}>
													<ol class="ad-wl-history" data-wl-history-of={e.id}>
														{history[e.id].map((h, i) => (
															<li key={i} data-kind={h.kind}>
																<time>{formatWhen(h.at || "", zone, loc)}</time> <strong>{t("wl.ev." + h.kind)}</strong> <span class="ad-muted">{h.actor}</span>
																{h.reason ? <span> · {h.reason}</span> : null}
																{h.booking ? <span class="ad-muted"> · {h.booking}</span> : null}
															</li>
														))}
													</ol>
												</td>
											</tr>
										) : null,
									];
								})}
							</tbody>
						</table>
					</div>
				</section>
			))}
		</section>
	);
}

/** Offering an appointment entry a time by hand: the free times of its service in its window
 * (its provider's when it named one), from the public availability. */
function OfferPicker({ slug, zone, entry, busy, onOffer, onClose }: { slug: string; zone: string; entry: Entry; busy: boolean; onOffer: (start: string, provider?: string) => void; onClose: () => void }) {
	const loc = locale();
	const [slots, setSlots] = useState<{ start: string; providers?: string[] }[] | null>(null);
	const [pick, setPick] = useState("");
	useEffect(() => {
		const query: Record<string, string> = { service: entry.service, from: entry.window?.from || "", to: entry.window?.to || "", tz: zone };
		if (entry.window?.provider) query.provider = entry.window.provider;
		call(client.GET("/api/v1/public/{business}/availability", { params: { path: { business: slug }, query: query as never } }))
			.then((a) => {
				const all = ((a as { days?: { slots?: { start: string; providers?: string[] }[] }[] }).days || []).flatMap((d) => d.slots || []);
				setSlots(all.slice(0, 60));
				if (all[0]) setPick(all[0].start);
			})
			.catch(() => setSlots([]));
	}, [entry.id]);
	const chosen = slots?.find((s) => s.start === pick);
	return (
		<form
			class="ad-form ad-wl-offer"
			aria-labelledby="wl-offer-title"
			onSubmit={(ev) => {
				ev.preventDefault();
				if (chosen) onOffer(chosen.start, entry.window?.provider || chosen.providers?.[0]);
			}}
		>
			<h2 id="wl-offer-title" class="ad-h2">
				{t("wl.offer_to", { name: entry.customer?.name || "" })}
			</h2>
			{slots === null ? (
				<Loading />
			) : slots.length === 0 ? (
				<p>{t("wl.no_free")}</p>
			) : (
				<label class="ad-field">
					<span>{t("wl.free_time")}</span>
					<select name="start" value={pick} onChange={(e) => setPick((e.target as HTMLSelectElement).value)}>
						{slots.map((s) => (
							<option key={s.start} value={s.start}>
								{formatWhen(s.start, zone, loc)}
							</option>
						))}
					</select>
				</label>
			)}
			<div class="ad-actions">
				<button type="submit" class="ad-btn ad-btn-primary" disabled={busy || !chosen}>
					{t("wl.offer")}
				</button>
				<button type="button" class="ad-btn" onClick={onClose}>
					{t("companies.close")}
				</button>
			</div>
		</form>
	);
}
