// CalendarFeeds.tsx - subscribable iCalendar feeds of bookings: the business's, a provider's,
// a resource's or a customer's, in full or free/busy only. A new or rotated feed's address
// is shown this once with a copy button (the server keeps only its hash); rotating stops
// the old address at once; deleting stops it for good.
import { useEffect, useRef, useState } from "preact/hooks";
import { locale, t } from "../../shared/i18n";
import { formatWhen } from "../../shared/time";
import { Notice } from "../../shared/ui";
import type { components } from "../../shared/api-types";
import { type Session } from "../staffApi";
import { type Errors, Field, fieldErrors, problemText } from "./kit";
import { type Named, cat } from "./catalog";
import { whoseName } from "./CalendarsView";

type Feed = components["schemas"]["CalendarFeed"];
type Scope = "business" | "provider" | "resource" | "customer";
type Cust = { id?: string; name?: string; email?: string };

export function CalendarFeeds({ session, who }: { session: Session; who: { providers: Named[]; resources: Named[] } }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [feeds, setFeeds] = useState<Feed[]>([]);
	const [msg, setMsg] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
	const [errors, setErrors] = useState<Errors>({});
	const [f, setF] = useState({ scope: "provider" as Scope, subject: "", detail: "full", name: "", q: "" });
	const [custs, setCusts] = useState<Cust[]>([]);
	const [shown, setShown] = useState<{ url: string; name: string } | null>(null);
	const urlRef = useRef<HTMLInputElement>(null);

	const load = async () => {
		try {
			setFeeds((await cat<{ feeds?: Feed[] }>("GET", slug, "/calendar-feeds")).feeds || []);
		} catch (e) {
			setMsg({ kind: "error", text: problemText(e) });
		}
	};
	useEffect(() => { load(); }, []);
	useEffect(() => { if (shown) urlRef.current?.focus(); }, [shown]);
	// Customers are found by name or email as the admin types.
	useEffect(() => {
		if (f.scope !== "customer") return;
		const timer = setTimeout(() => {
			cat<{ customers?: Cust[] }>("GET", slug, "/customers", { query: f.q ? { q: f.q } : {} }).then((r) => setCusts(r.customers || []), () => setCusts([]));
		}, 250);
		return () => clearTimeout(timer);
	}, [f.scope, f.q]);

	const subjectName = (fd: Feed) => {
		if (fd.scope === "business") return t("calsync.scope.business");
		if (fd.scope === "customer") return t("calsync.scope.customer_named", { name: custs.find((c) => c.id === fd.subject_id)?.name || fd.subject_id || "" });
		return whoseName(who, fd.scope === "provider" ? fd.subject_id : null, fd.scope === "resource" ? fd.subject_id : null);
	};
	const answer = (r: Feed & { url?: string }, text: string) => {
		setShown({ url: r.url || "", name: r.name || subjectName(r) });
		setMsg({ kind: "ok", text });
		load();
	};
	const create = async (e: Event) => {
		e.preventDefault();
		setMsg(null);
		setErrors({});
		setShown(null);
		try {
			const body: Record<string, unknown> = { scope: f.scope, detail: f.detail };
			if (f.scope !== "business") body.subject_id = f.subject;
			if (f.name) body.name = f.name;
			answer(await cat<Feed & { url?: string }>("POST", slug, "/calendar-feeds", { body }), t("calsync.feed_created"));
			setF({ ...f, name: "" });
		} catch (err) {
			setErrors(fieldErrors(err));
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const rotate = async (fd: Feed) => {
		if (!confirm(t("calsync.rotate_confirm"))) return;
		setMsg(null);
		try {
			answer(await cat<Feed & { url?: string }>("POST", slug, "/calendar-feeds/{feed}/rotate", { params: { feed: fd.id || "" } }), t("calsync.feed_rotated"));
		} catch (err) {
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const remove = async (fd: Feed) => {
		if (!confirm(t("calsync.feed_delete_confirm"))) return;
		setMsg(null);
		setShown(null);
		try {
			await cat("DELETE", slug, "/calendar-feeds/{feed}", { params: { feed: fd.id || "" } });
			setMsg({ kind: "ok", text: t("calsync.feed_deleted") });
			load();
		} catch (err) {
			setMsg({ kind: "error", text: problemText(err) });
		}
	};
	const when = (s?: string | null) => (s ? formatWhen(s, zone, locale()) : t("calsync.never"));

	return (
		<>
			<h2 class="ad-h2">{t("calsync.feeds")}</h2>
			<p class="ad-muted">{t("calsync.feeds_intro")}</p>
			<div aria-live="polite">
				{msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
				{shown ? (
					<div class="ad-secret ad-feed-url">
						<p>{t("calsync.feed_once", { name: shown.name })}</p>
						<label class="ad-field"><span>{t("calsync.feed_url")}</span><input ref={urlRef} name="feed_url" readOnly value={shown.url} onFocus={(e) => (e.target as HTMLInputElement).select()} /></label>
						<div class="ad-actions">
							<button type="button" class="ad-btn" onClick={() => navigator.clipboard?.writeText(shown.url).then(() => setMsg({ kind: "ok", text: t("calsync.copied") }), () => setMsg({ kind: "error", text: t("calsync.copy_failed") }))}>{t("calsync.copy")}</button>
							<button type="button" class="ad-btn" onClick={() => setShown(null)}>{t("calsync.hide")}</button>
						</div>
					</div>
				) : null}
			</div>
			<p id="calfeed-caption" class="ad-muted">{t("calsync.feeds_caption")}</p>
			<div class="ad-table-wrap" tabIndex={0} role="region" aria-labelledby="calfeed-caption">
				<table aria-labelledby="calfeed-caption" class="ad-table ad-stack ad-calfeeds">
					<thead>
						<tr>
							<th scope="col">{t("calsync.col.feed")}</th>
							<th scope="col">{t("calsync.col.detail")}</th>
							<th scope="col">{t("calsync.col.window")}</th>
							<th scope="col">{t("calsync.col.last_read")}</th>
							<th scope="col">{t("calsync.col.actions")}</th>
						</tr>
					</thead>
					<tbody>
						{feeds.map((fd) => (
							<tr key={fd.id} data-id={fd.id}>
								<td data-label={t("calsync.col.feed")}><strong>{fd.name || subjectName(fd)}</strong><br /><span class="ad-muted">{subjectName(fd)} · …{fd.hint}</span></td>
								<td data-label={t("calsync.col.detail")}>{t("calsync.detail." + fd.detail)}</td>
								<td data-label={t("calsync.col.window")}>{t("calsync.window", { past: String(fd.past_days), future: String(fd.future_days) })}</td>
								<td data-label={t("calsync.col.last_read")}>{when(fd.last_read_at)}</td>
								<td data-label={t("calsync.col.actions")}>
									<div class="ad-row-actions">
										<button type="button" class="ad-btn" onClick={() => rotate(fd)}>{t("calsync.rotate")}</button>
										<button type="button" class="ad-btn ad-btn-danger" onClick={() => remove(fd)}>{t("calsync.delete")}</button>
									</div>
								</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
			{feeds.length === 0 ? <p>{t("calsync.no_feeds")}</p> : null}

			<h3 class="ad-h3">{t("calsync.feed_add")}</h3>
			<form class="ad-form ad-calfeed-new" onSubmit={create}>
				<Field label={t("calsync.scope")} error={errors.scope}>
					{(a) => (
						<select id={a.id} name="scope" value={f.scope} onChange={(e) => setF({ ...f, scope: (e.target as HTMLSelectElement).value as Scope, subject: "" })}>
							{(["provider", "resource", "customer", "business"] as Scope[]).map((s) => <option key={s} value={s}>{t("calsync.scope." + s)}</option>)}
						</select>
					)}
				</Field>
				{f.scope === "customer" ? (
					<Field label={t("calsync.find_customer")}>
						{(a) => <input id={a.id} name="q" type="search" value={f.q} onInput={(e) => setF({ ...f, q: (e.target as HTMLInputElement).value })} />}
					</Field>
				) : null}
				{f.scope !== "business" ? (
					<Field label={t("calsync.subject." + f.scope)} error={errors.subject_id}>
						{(a) => (
							<select id={a.id} name="subject_id" required value={f.subject} aria-invalid={a.invalid} aria-describedby={a.describedBy} onChange={(e) => setF({ ...f, subject: (e.target as HTMLSelectElement).value })}>
								<option value="">{t("calsync.choose")}</option>
								{f.scope === "provider" ? who.providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>) : null}
								{f.scope === "resource" ? who.resources.map((r) => <option key={r.id} value={r.id}>{r.name}</option>) : null}
								{f.scope === "customer" ? custs.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.email})</option>) : null}
							</select>
						)}
					</Field>
				) : null}
				<fieldset class="ad-fieldset">
					<legend>{t("calsync.detail")}</legend>
					{["full", "free_busy"].map((d) => (
						<label key={d} class="ad-check"><input type="radio" name="detail" value={d} checked={f.detail === d} onChange={() => setF({ ...f, detail: d })} /> {t("calsync.detail_long." + d)}</label>
					))}
				</fieldset>
				<Field label={t("calsync.name")} error={errors.name}>
					{(a) => <input id={a.id} name="feed_name" maxLength={200} value={f.name} onInput={(e) => setF({ ...f, name: (e.target as HTMLInputElement).value })} />}
				</Field>
				<div class="ad-actions"><button class="ad-btn ad-btn-primary" type="submit">{t("calsync.feed_create")}</button></div>
			</form>
		</>
	);
}
