// CustomerProfile.tsx - one customer (GET …/customers/{customer}): figures (bookings,
// visits, no-shows, cancellations, spend), contact details and staff notes to edit (PATCH:
// the profile only; each booking keeps the details it was made with, shown beside it when
// they differ), and the booking history, each booking opening its detail.
import { useEffect, useState } from "preact/hooks";
import { locale, t } from "../shared/i18n";
import { formatMoney, formatWhen } from "../shared/time";
import { Loading, Notice } from "../shared/ui";
import { BookingDetail } from "./BookingDetail";
import { CustomerPackages } from "./CustomerPackages";
import { CustomerLoyalty } from "./CustomerLoyalty";
import { CustomerPayments } from "./CustomerPayments";
import { ApiError, type Customer, type Session, call, staff } from "./staffApi";
import { CustomerCompany } from "./Groups";

type Form = { name: string; email: string; phone: string; notes: string };

export function CustomerProfile({ session, id, onBack }: { session: Session; id: string; onBack: () => void }) {
	const slug = session.business.slug || "";
	const zone = session.business.timezone || "UTC";
	const [c, setC] = useState<Customer | null>(null);
	const [form, setForm] = useState<Form>({ name: "", email: "", phone: "", notes: "" });
	const [error, setError] = useState("");
	const [saved, setSaved] = useState("");
	const [fieldErr, setFieldErr] = useState<Record<string, string>>({});
	const [open, setOpen] = useState("");

	const take = (p: Customer) => {
		setC(p);
		setForm({ name: p.name || "", email: p.email || "", phone: p.phone || "", notes: p.notes || "" });
	};
	const load = async () => {
		try {
			take(await call(staff.GET("/api/v1/businesses/{business}/customers/{customer}", { params: { path: { business: slug, customer: id } } })));
		} catch (e) {
			setError(e instanceof ApiError && e.status === 404 ? t("customer.not_yours") : t("error.load"));
		}
	};
	useEffect(() => { load(); }, [id]);

	const save = async (e: Event) => {
		e.preventDefault();
		setError("");
		setSaved("");
		setFieldErr({});
		if (!c) return;
		// Only what changed is sent.
		const body: Partial<Form> = {};
		for (const k of ["name", "email", "phone", "notes"] as const) if (form[k] !== (c[k] || "")) body[k] = form[k];
		try {
			take(await call(staff.PATCH("/api/v1/businesses/{business}/customers/{customer}", { params: { path: { business: slug, customer: id } }, body })));
			setSaved(t("customer.saved"));
		} catch (err) {
			if (err instanceof ApiError) {
				const f: Record<string, string> = {};
				for (const x of err.problem.errors || []) if (x.field) f[x.field] = x.detail || "";
				setFieldErr(f);
				setError(err.problem.detail || err.message);
			} else setError(t("error.generic"));
		}
	};
	const input = (k: keyof Form, label: string, type: "text" | "email" | "tel" = "text") => (
		<label class="ad-field">
			<span>{label}</span>
			{k === "notes" ? (
				<textarea name={k} rows={4} value={form[k]} aria-invalid={fieldErr[k] ? "true" : undefined} aria-describedby={fieldErr[k] ? "cf-" + k : undefined}
					onInput={(e) => setForm({ ...form, [k]: (e.target as HTMLTextAreaElement).value })} />
			) : (
				<input name={k} type={type as "text"} value={form[k]} aria-invalid={fieldErr[k] ? "true" : undefined} aria-describedby={fieldErr[k] ? "cf-" + k : undefined}
					onInput={(e) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })} />
			)}
			{fieldErr[k] ? <span id={"cf-" + k} class="ad-field-error">{fieldErr[k]}</span> : null}
		</label>
	);
	const st = c?.stats;
	return (
		<section aria-labelledby="cp-title" class="ad-profile">
			<button type="button" class="ad-link" onClick={onBack}>{t("customer.back")}</button>
			<h1 id="cp-title" class="ad-title">{c ? c.name : t("customer.title")}</h1>
			{error ? <Notice kind="error">{error}</Notice> : null}
			{saved ? <Notice kind="ok">{saved}</Notice> : null}
			{!c && !error ? <Loading /> : null}
			{c ? (
				<>
					<dl class="ad-stats">
						<div><dt>{t("customer.stats.bookings")}</dt><dd>{st?.bookings ?? 0}</dd></div>
						<div><dt>{t("customer.stats.visits")}</dt><dd>{st?.visits ?? 0}</dd></div>
						<div><dt>{t("customer.stats.no_shows")}</dt><dd>{st?.no_shows ?? 0}</dd></div>
						<div><dt>{t("customer.stats.cancellations")}</dt><dd>{st?.cancellations ?? 0}</dd></div>
						<div><dt>{t("customer.stats.spend")}</dt><dd>{formatMoney(st?.spend, locale())}</dd></div>
					</dl>
					<form class="ad-contact" onSubmit={save} aria-labelledby="cp-contact" noValidate>
						<h2 id="cp-contact" class="ad-h2">{t("customer.contact")}</h2>
						<p class="ad-muted">{t("customer.snapshot_note")}</p>
						<div class="ad-contact-grid">
							{input("name", t("customer.field.name"))}
							{input("email", t("customer.field.email"), "email")}
							{input("phone", t("customer.field.phone"), "tel")}
						</div>
						{input("notes", t("customer.field.notes"))}
						<button type="submit" class="ad-btn ad-btn-primary">{t("customer.save")}</button>
					</form>
					<CustomerPackages slug={slug} zone={zone} customer={id} />
					<CustomerLoyalty slug={slug} zone={zone} id={id} onOpen={setOpen} />
					<CustomerCompany slug={slug} customerId={id} />
					<h2 class="ad-h2">{t("customer.history")}</h2>
					{(c.bookings || []).length === 0 ? <p>{t("customer.no_bookings")}</p> : (
						<div class="ad-table-wrap">
							<table class="ad-table ad-history-table ad-stack">
								<thead>
									<tr>
										<th scope="col">{t("bookings.col.when")}</th>
										<th scope="col">{t("bookings.col.service")}</th>
										<th scope="col">{t("bookings.col.status")}</th>
										<th scope="col">{t("customer.booked_as")}</th>
										<th scope="col">{t("bookings.col.ref")}</th>
									</tr>
								</thead>
								<tbody>
									{[...(c.bookings || [])].reverse().map((b) => (
										<tr key={b.id}>
											<td data-label={t("bookings.col.when")}>{formatWhen(b.start || "", zone, locale())}</td>
											<td data-label={t("bookings.col.service")}>{b.service?.name}{b.provider?.name ? " · " + b.provider.name : ""}</td>
											<td data-label={t("bookings.col.status")}>{t("status." + b.status)}</td>
											<td class="ad-break" data-label={t("customer.booked_as")}>
												{b.customer?.name} · {b.customer?.email}{b.customer?.phone ? " · " + b.customer.phone : ""}
												{(b.customer?.differs || []).length ? <span class="ad-tag">{t("customer.differs")}</span> : null}
											</td>
											<td data-label={t("bookings.col.ref")}><button type="button" class="ad-link" aria-label={t("bookings.open", { reference: b.reference || "" })} onClick={() => setOpen(b.reference || "")}>{b.reference}</button></td>
										</tr>
									))}
								</tbody>
							</table>
						</div>
					)}
					{c.bookings_truncated ? <p class="ad-muted">{t("customer.truncated")}</p> : null}
					<CustomerPayments slug={slug} zone={zone} id={id} onOpen={setOpen} />
				</>
			) : null}
			{open ? <BookingDetail slug={slug} zone={zone} reference={open} onClose={() => setOpen("")} onChanged={load} /> : null}
		</section>
	);
}
