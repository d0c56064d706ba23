// BookingsView.tsx - the bookings list with server-side filters (dates, status, provider)
// and cursor paging (GET …/bookings); a row opens the booking's detail and actions.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { BookingDetail } from "./BookingDetail";
import { type BookingItem, type Session, call, staff } from "./staffApi";
import { plusDays, todayIn } from "./zone";

const STATUSES = ["pending", "confirmed", "checked_in", "completed", "cancelled", "no_show"];

export function BookingsView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [from, setFrom] = useState(todayIn(zone));
	const [to, setTo] = useState(plusDays(todayIn(zone), 30));
	const [status, setStatus] = useState("");
	const [q, setQ] = useState("");
	const [referral, setReferral] = useState("");
	const [rows, setRows] = useState<BookingItem[]>([]);
	const [cursor, setCursor] = useState<string | null>(null);
	const [error, setError] = useState("");
	const [open, setOpen] = useState(new URLSearchParams(location.search).get("open") || "");

	const fetchPage = async (after: string | null) => {
		setError("");
		try {
			const r = await call(staff.GET("/api/v1/businesses/{business}/bookings", {
				params: { path: { business: slug }, query: { from, to, status: status || undefined, q: q.trim() || undefined, referral: referral.trim() || undefined, cursor: after || undefined, limit: "50" } },
			}));
			setRows((old) => (after ? [...old, ...(r.bookings || [])] : r.bookings || []));
			setCursor(r.next_cursor || null);
		} catch (e) {
			const bad = (e as { problem?: { errors?: { field?: string }[] } }).problem?.errors?.some((x) => x.field === "referral");
			setError(bad ? t("bookings.referral_bad") : t("error.load"));
		}
	};
	useEffect(() => { fetchPage(null); }, []);

	return (
		<section aria-labelledby="bk-title">
			<h1 id="bk-title" class="ad-title">{t("bookings.title")}</h1>
			<form class="ad-toolbar" onSubmit={(e) => { e.preventDefault(); fetchPage(null); }}>
				<label class="ad-field-inline"><span>{t("bookings.from")}</span><input type="date" value={from} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
				<label class="ad-field-inline"><span>{t("bookings.to")}</span><input type="date" value={to} onChange={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
				<label class="ad-field-inline">
					<span>{t("bookings.status")}</span>
					<select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
						<option value="">{t("bookings.any")}</option>
						{STATUSES.map((s) => <option key={s} value={s}>{t("status." + s)}</option>)}
					</select>
				</label>
				<label class="ad-field-inline"><span>{t("bookings.search")}</span><input type="search" name="q" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} /></label>
				<label class="ad-field-inline"><span>{t("bookings.referral")}</span><input type="search" name="referral" value={referral} onInput={(e) => setReferral((e.target as HTMLInputElement).value)} /></label>
				<button class="ad-btn ad-btn-primary" type="submit">{t("bookings.apply")}</button>
			</form>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{rows.length === 0 ? <p>{t("bookings.none")}</p> : (
				<div class="ad-table-wrap">
					<table class="ad-table">
						<thead>
							<tr>
								<th scope="col">{t("bookings.col.when")}</th>
								<th scope="col">{t("bookings.col.customer")}</th>
								<th scope="col">{t("bookings.col.service")}</th>
								<th scope="col">{t("bookings.col.provider")}</th>
								<th scope="col">{t("bookings.col.status")}</th>
								<th scope="col">{t("bookings.col.ref")}</th>
							</tr>
						</thead>
						<tbody>
							{rows.map((b) => (
								<tr key={b.id}>
									<td>{formatWhen(b.start, zone, locale())}</td>
									<td>{b.customer?.name}</td>
									<td>{b.service?.name}</td>
									<td>{b.provider?.name || b.resource?.name || ""}</td>
									<td>{t("status." + b.status)}</td>
									<td><button type="button" class="ad-link" aria-label={t("bookings.open", { reference: b.reference })} onClick={() => setOpen(b.reference)}>{b.reference}</button></td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{cursor ? <button type="button" class="ad-btn" onClick={() => fetchPage(cursor)}>{t("bookings.more")}</button> : null}
			{open ? <BookingDetail slug={slug} zone={zone} reference={open} onClose={() => setOpen("")} onChanged={() => fetchPage(null)} /> : null}
		</section>
	);
}
