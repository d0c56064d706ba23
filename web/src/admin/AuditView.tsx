// AuditView.tsx - the audit log (admin): every staff change and sign-in, newest first,
// filtered on the server (text in the action, path, email or detail; dates in the business
// zone; refused requests only) and paged with its cursor ("Show more").
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { problemText } from "./problem";
import { type Session, call, staff } from "./staffApi";
import type { components } from "../shared/api-types";

type Entry = components["schemas"]["AuditEntry"];
type Filter = { q: string; from: string; to: string; failed: boolean };

/** "POST /api/v1/businesses/{business}/bookings/{booking}/reschedule" -> "POST …/bookings/{booking}/reschedule". */
function shortAction(a: string): string {
	return a.replace("/api/v1/businesses/{business}", "…");
}

export function AuditView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [f, setF] = useState<Filter>({ q: "", from: "", to: "", failed: false });
	const [entries, setEntries] = useState<Entry[]>([]);
	const [next, setNext] = useState<string | null>(null);
	const [msg, setMsg] = useState("");
	const [loaded, setLoaded] = useState(false);

	const load = async (cursor?: string) => {
		setMsg("");
		try {
			const query: Record<string, string> = { limit: "50" };
			if (f.q) query.q = f.q;
			if (f.from) query.from = f.from;
			if (f.to) query.to = f.to;
			if (f.failed) query.failed = "1";
			if (cursor) query.cursor = cursor;
			const r = await call(staff.GET("/api/v1/businesses/{business}/audit", { params: { path: { business: slug }, query } } as never)) as { entries?: Entry[]; next_cursor?: string | null };
			setEntries(cursor ? [...entries, ...(r.entries || [])] : r.entries || []);
			setNext(r.next_cursor || null);
			setLoaded(true);
		} catch (e) {
			setMsg(problemText(e));
		}
	};
	useEffect(() => { load(); }, []);
	const set = (k: keyof Filter) => (e: Event) => {
		const el = e.target as HTMLInputElement;
		setF({ ...f, [k]: el.type === "checkbox" ? el.checked : el.value });
	};

	return (
		<section aria-labelledby="audit-title">
			<h1 id="audit-title" class="ad-title">{t("audit.title")}</h1>
			<form class="ad-toolbar" onSubmit={(e) => { e.preventDefault(); load(); }}>
				<label class="ad-field-inline"><span>{t("audit.q")}</span><input name="q" type="search" maxLength={100} value={f.q} onInput={set("q")} /></label>
				<label class="ad-field-inline"><span>{t("audit.from")}</span><input name="from" type="date" value={f.from} onChange={set("from")} /></label>
				<label class="ad-field-inline"><span>{t("audit.to")}</span><input name="to" type="date" value={f.to} onChange={set("to")} /></label>
				<label class="ad-check"><input name="failed" type="checkbox" checked={f.failed} onChange={set("failed")} /> {t("audit.failed")}</label>
				<button class="ad-btn" type="submit">{t("audit.apply")}</button>
			</form>
			<div aria-live="polite">{msg ? <Notice kind="error">{msg}</Notice> : null}</div>
			{loaded && entries.length === 0 ? <p>{t("audit.none")}</p> : null}
			{entries.length ? (
				<div class="ad-table-wrap" tabIndex={0} role="region" aria-labelledby="audit-caption">
					<table class="ad-table ad-stack ad-audit">
						<caption id="audit-caption" class="ad-muted">{t("audit.caption", { zone })}</caption>
						<thead>
							<tr>
								<th scope="col">{t("audit.col.when")}</th>
								<th scope="col">{t("audit.col.who")}</th>
								<th scope="col">{t("audit.col.what")}</th>
								<th scope="col">{t("audit.col.status")}</th>
								<th scope="col">{t("audit.col.detail")}</th>
							</tr>
						</thead>
						<tbody>
							{entries.map((e) => (
								<tr key={e.id} class={(e.status || 0) >= 400 ? "ad-failed" : undefined}>
									<td>{e.at ? formatWhen(e.at, zone, locale()) : ""}</td>
									<td>{e.actor_email}{e.token_id ? " " + t("audit.by_token") : ""}<br /><span class="ad-muted">{e.remote_addr}</span></td>
									<td><code>{shortAction(e.action || "")}</code><br /><span class="ad-muted">{e.path}</span></td>
									<td>{e.status}</td>
									<td>{e.detail}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			) : null}
			{next ? <div class="ad-actions"><button type="button" class="ad-btn" onClick={() => load(next)}>{t("audit.more")}</button></div> : null}
		</section>
	);
}
