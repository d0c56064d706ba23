// CustomersView.tsx - customers for staff: a server-side search by name, email or phone
// with cursor paging (GET …/customers), the CSV export of what the search finds (admins:
// GET …/customers.csv), and a customer's profile (CustomerProfile.tsx). The staff role
// browses only the customers who booked with it and finds others by exact email or phone:
// the server decides, the page only says so.
import { useEffect, useState } from "preact/hooks";
import { t } from "../shared/i18n";
import { Notice } from "../shared/ui";
import { CustomerProfile } from "./CustomerProfile";
import { type Customer, type Session, call, staff } from "./staffApi";

export function CustomersView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const isStaff = session.user.role === "staff";
	const [q, setQ] = useState("");
	const [asked, setAsked] = useState("");
	const [rows, setRows] = useState<Customer[] | null>(null);
	const [cursor, setCursor] = useState<string | null>(null);
	const [error, setError] = useState("");
	const [open, setOpen] = useState(new URLSearchParams(location.search).get("customer") || "");

	const fetchPage = async (query: string, after: string | null) => {
		setError("");
		try {
			const r = await call(staff.GET("/api/v1/businesses/{business}/customers", {
				params: { path: { business: slug }, query: { q: query || undefined, cursor: after || undefined, limit: "50" } },
			}));
			setRows((old) => (after ? [...(old || []), ...(r.customers || [])] : r.customers || []));
			setCursor(r.next_cursor || null);
			setAsked(query);
		} catch {
			setError(t("error.load"));
		}
	};
	useEffect(() => { fetchPage("", null); }, []);

	const show = (id: string) => {
		const u = new URL(location.href);
		if (id) u.searchParams.set("customer", id);
		else u.searchParams.delete("customer");
		history.replaceState(null, "", u.pathname + u.search);
		setOpen(id);
	};
	if (open)
		return <CustomerProfile session={session} id={open} onBack={() => { show(""); fetchPage(asked, null); }} />;

	const exportHref = "/api/v1/businesses/" + encodeURIComponent(slug) + "/customers.csv" + (asked ? "?q=" + encodeURIComponent(asked) : "");
	return (
		<section aria-labelledby="cu-title">
			<h1 id="cu-title" class="ad-title">{t("customers.title")}</h1>
			{isStaff ? <p class="ad-muted">{t("customers.staff_hint")}</p> : null}
			<form class="ad-toolbar" role="search" onSubmit={(e) => { e.preventDefault(); fetchPage(q.trim(), null); }}>
				<label class="ad-field-inline ad-grow">
					<span>{t("customers.search")}</span>
					<input type="search" name="q" value={q} maxLength={200} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
				</label>
				<button class="ad-btn ad-btn-primary" type="submit">{t("customers.find")}</button>
				{!isStaff ? <a class="ad-btn" href={exportHref} download="customers.csv">{t("customers.export")}</a> : null}
			</form>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{rows === null ? null : rows.length === 0 ? <p>{asked ? t("customers.none_for", { q: asked }) : t("customers.none")}</p> : (
				<div class="ad-table-wrap">
					<table class="ad-table ad-customers ad-stack">
						<caption class="ad-sr">{asked ? t("customers.found_for", { q: asked }) : t("customers.title")}</caption>
						<thead>
							<tr>
								<th scope="col">{t("customers.col.name")}</th>
								<th scope="col">{t("customers.col.email")}</th>
								<th scope="col">{t("customers.col.phone")}</th>
							</tr>
						</thead>
						<tbody>
							{rows.map((c) => (
								<tr key={c.id}>
									<td><button type="button" class="ad-link" onClick={() => show(c.id || "")}>{c.name}</button></td>
									<td class="ad-break" data-label={t("customers.col.email")}>{c.email}</td>
									<td data-label={t("customers.col.phone")}>{c.phone}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{cursor ? <button type="button" class="ad-btn" onClick={() => fetchPage(asked, cursor)}>{t("customers.more")}</button> : null}
		</section>
	);
}
