// Waitlist.tsx - waiting lists of full class sessions: joining from the booking page
// (WaitlistJoin), and the entry's own page /w/{entry}?t=TOKEN (WaitlistApp), the link of the
// join answer and of the offer email: the position, leaving, and an offered place booked in
// one step or declined.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type Business, type BookingCreated, type Service, call, client, clientToken } from "../shared/api";
import type { components } from "../shared/api-types";
import { locale, t } from "../shared/i18n";
import { formatCivil, formatWhen } from "../shared/time";
import { Frame, Loading, Notice, StepHeading } from "../shared/ui";
import { PaymentStep } from "./PaymentStep";
import { Summary } from "./Summary";
import type { FullSession } from "./TimePicker";

type Entry = components["schemas"]["WaitlistEntry"];

function errorText(e: unknown): string {
	const err = e as ApiError;
	return err.status === 0 ? t("error.network") : err.message || t("error.generic");
}

/** The page of an entry, from the booking page after joining: its path with the token. */
function entryPath(e: Entry): string {
	return e.link || "/w/" + encodeURIComponent(e.id) + "?t=" + encodeURIComponent(e.token || "");
}

/** Joining the waiting list of a full session: name and email (phone when the business asks),
 * then the position and the link to the entry's own page. */
export function WaitlistJoin({ slug, business, service, session, seats, zone, onBack }: { slug: string; business: Business; service: Service; session: FullSession; seats: number; zone: string; onBack: () => void }) {
	const [name, setName] = useState("");
	const [email, setEmail] = useState("");
	const [phone, setPhone] = useState("");
	const [busy, setBusy] = useState(false);
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [formError, setFormError] = useState("");
	const [joined, setJoined] = useState<Entry | undefined>();
	const form = useRef<HTMLFormElement>(null);

	async function join() {
		setBusy(true);
		setErrors({});
		setFormError("");
		const customer: Record<string, string> = { name: name.trim(), email: email.trim() };
		if (phone.trim()) customer.phone = phone.trim();
		const body: Record<string, unknown> = { session: session.id, customer, client: clientToken() };
		if (seats > 1) body.seats = seats;
		try {
			const e = await call(client.POST("/api/v1/public/{business}/waitlist", { params: { path: { business: slug } }, body: body as never }));
			setJoined(e as Entry);
		} catch (e) {
			const err = e as ApiError;
			if (err.status === 422 && err.problem.errors?.length) {
				const f: Record<string, string> = {};
				for (const x of err.problem.errors) f[(x.field || "").replace(/^customer\./, "")] = x.detail || "";
				setErrors(f);
				if (!["name", "email", "phone"].some((k) => f[k])) setFormError(err.message);
			} else {
				setFormError(errorText(e));
			}
		} finally {
			setBusy(false);
		}
	}

	const summary = <Summary business={business} service={service.name!} start={session.start} end={session.end} zone={zone} seats={seats} />;
	if (joined) {
		return (
			<section class="bk-waitlist-joined" data-waitlist={joined.id}>
				<StepHeading>{t("waitlist.joined_title")}</StepHeading>
				<Notice kind="ok">
					<p data-position={joined.position ?? ""}>{t("waitlist.position", { n: String(joined.position ?? "") })}</p>
					<p>{t("waitlist.joined_email", { email: email.trim() })}</p>
				</Notice>
				{summary}
				<p>
					<a class="bk-btn" href={entryPath(joined)} data-entry-link>
						{t("waitlist.see_entry")}
					</a>
				</p>
			</section>
		);
	}
	const field = (k: "name" | "email" | "phone", type: "text" | "email" | "tel", auto: string, value: string, set: (v: string) => void, required: boolean) => (
		<div class="bk-field">
			<label for={"bk-" + k}>
				{t("details." + k)}
				{required ? null : <span class="bk-optional"> {t("details.optional")}</span>}
			</label>
			<input id={"bk-" + k} name={k} type={type as "text"} autocomplete={auto} required={required} value={value} onInput={(e) => set((e.target as HTMLInputElement).value)} aria-invalid={errors[k] ? true : undefined} aria-describedby={errors[k] ? "bk-" + k + "-error" : undefined} />
			{errors[k] ? (
				<p class="bk-field-error" id={"bk-" + k + "-error"}>
					{errors[k]}
				</p>
			) : null}
		</div>
	);
	return (
		<section>
			<StepHeading>{t("waitlist.title")}</StepHeading>
			<p>{t("waitlist.explain")}</p>
			<form
				ref={form}
				class="bk-details"
				noValidate
				onSubmit={(e) => {
					e.preventDefault();
					if (busy || !form.current?.reportValidity()) return;
					join();
				}}
			>
				{summary}
				{field("name", "text", "name", name, setName, true)}
				{field("email", "email", "email", email, setEmail, true)}
				{field("phone", "tel", "tel", phone, setPhone, !!business.require_phone)}
				{formError ? <Notice kind="error">{formError}</Notice> : null}
				<div class="bk-actions">
					<button type="button" class="bk-btn" onClick={onBack}>
						{t("nav.back")}
					</button>
					<button type="submit" class="bk-btn bk-btn-primary" disabled={busy}>
						{busy ? t("waitlist.joining") : t("waitlist.join")}
					</button>
				</div>
			</form>
		</section>
	);
}

/** /w/{entry}?t=TOKEN: the customer's entry. */
export function WaitlistApp({ entryId, resolveBusiness }: { entryId: string; resolveBusiness: (slug: string) => Promise<Business> }) {
	const token = new URLSearchParams(location.search).get("t") || "";
	const [entry, setEntry] = useState<Entry | undefined>();
	const [business, setBusiness] = useState<Business | undefined>();
	const [missing, setMissing] = useState(false);
	const [loadError, setLoadError] = useState("");
	const [busy, setBusy] = useState(false);
	const [actError, setActError] = useState("");
	const [booked, setBooked] = useState<BookingCreated | undefined>();
	const [payState, setPayState] = useState("");
	const params = { params: { path: { entry: entryId }, query: { t: token } } };

	useEffect(() => {
		call(client.GET("/api/v1/public/waitlist/{entry}", params))
			.then(async (e) => {
				const x = e as Entry;
				setEntry(x);
				if (x.business?.slug) setBusiness(await resolveBusiness(x.business.slug).catch(() => undefined));
			})
			.catch((e) => ((e as ApiError).status === 404 ? setMissing(true) : setLoadError(errorText(e))));
	}, [entryId]);

	async function act(what: "accept" | "decline" | "leave") {
		setBusy(true);
		setActError("");
		try {
			if (what === "accept") {
				const b = await call(client.POST("/api/v1/public/waitlist/{entry}/accept", params));
				setBooked(b as BookingCreated);
			} else {
				const path = what === "decline" ? "/api/v1/public/waitlist/{entry}/decline" : "/api/v1/public/waitlist/{entry}/leave";
				setEntry((await call(client.POST(path, params))) as Entry);
			}
		} catch (e) {
			const err = e as ApiError;
			setActError(err.status === 409 ? t("waitlist.offer_gone") : errorText(e));
			// the entry as it now is
			call(client.GET("/api/v1/public/waitlist/{entry}", params))
				.then((x) => setEntry(x as Entry))
				.catch(() => {});
		} finally {
			setBusy(false);
		}
	}

	if (missing) {
		return (
			<Frame>
				<StepHeading focus={false}>{t("waitlist.not_found")}</StepHeading>
			</Frame>
		);
	}
	if (loadError) {
		return (
			<Frame>
				<StepHeading focus={false}>{t("waitlist.page_title")}</StepHeading>
				<Notice kind="error">{loadError}</Notice>
			</Frame>
		);
	}
	if (!entry) return <Frame><Loading /></Frame>;
	const loc = locale();
	const zone = entry.business?.timezone || "UTC";
	const fakeBusiness = business || ({ name: entry.business?.name, timezone: zone, slug: entry.business?.slug } as Business);
	const start = booked?.start || entry.start, end = booked?.end || entry.end;
	// an appointment list before any offer: what it waits for, not a time
	const facts =
		start && end ? (
			<Summary business={fakeBusiness} service={entry.service_name || ""} start={start} end={end} zone={zone} seats={entry.seats} reference={booked?.reference || entry.reference || undefined} status={booked?.status === "pending" && payState === "awaiting" ? "awaiting_payment" : booked?.status} />
		) : (
			<p class="bk-window">{t("waitlist.window", { service: entry.service_name || "", from: formatCivil(entry.window?.from || "", loc), to: formatCivil(entry.window?.to || "", loc) })}</p>
		);
	let body;
	if (booked) {
		const manageUrl = "/b/" + encodeURIComponent(booked.reference!) + "#k=" + encodeURIComponent(booked.manage_token || "");
		body = (
			<section class="bk-done" data-waitlist-booked>
				<StepHeading>{booked.status === "pending" && payState === "awaiting" ? t("pay.step_title") : t("done.title")}</StepHeading>
				{booked.status === "pending" ? <PaymentStep reference={booked.reference!} auth={{ bearer: booked.manage_token }} price={booked.price} zone={zone} onState={setPayState} /> : null}
				{payState === "awaiting" ? null : <p>{t("waitlist.booked_email")}</p>}
				{facts}
				<p>
					<a class="bk-btn" href={manageUrl} data-manage>
						{t("done.manage")}
					</a>
				</p>
			</section>
		);
	} else if (entry.status === "offered" && entry.offer) {
		body = (
			<section data-waitlist-offer>
				<StepHeading>{t("waitlist.offer_title")}</StepHeading>
				<Notice kind="info">
					<p>{t("waitlist.offer_until", { time: formatWhen(entry.offer.expires_at!, zone, loc) })}</p>
				</Notice>
				{facts}
				{actError ? <Notice kind="error">{actError}</Notice> : null}
				<div class="bk-actions">
					<button type="button" class="bk-btn" disabled={busy} onClick={() => act("decline")}>
						{t("waitlist.decline")}
					</button>
					<button type="button" class="bk-btn bk-btn-primary" disabled={busy} onClick={() => act("accept")}>
						{busy ? t("details.booking") : t("waitlist.accept")}
					</button>
				</div>
			</section>
		);
	} else if (entry.status === "waiting") {
		body = (
			<section data-waitlist-waiting>
				<StepHeading>{t("waitlist.page_title")}</StepHeading>
				<Notice kind="info">
					<p data-position={entry.position ?? ""}>{t("waitlist.position", { n: String(entry.position ?? "") })}</p>
					<p>{t("waitlist.waiting_explain")}</p>
				</Notice>
				{facts}
				{actError ? <Notice kind="error">{actError}</Notice> : null}
				<div class="bk-actions">
					<button type="button" class="bk-btn" disabled={busy} onClick={() => act("leave")}>
						{t("waitlist.leave")}
					</button>
				</div>
			</section>
		);
	} else {
		body = (
			<section data-waitlist-status={entry.status}>
				<StepHeading>{t("waitlist.page_title")}</StepHeading>
				{actError ? <Notice kind="error">{actError}</Notice> : null}
				<Notice kind="info">
					<p>{t(`waitlist.status.${entry.status}`)}</p>
				</Notice>
				{facts}
				{entry.business?.slug ? (
					<p>
						<a href={"/book/" + encodeURIComponent(entry.business.slug)}>{t("done.again")}</a>
					</p>
				) : null}
			</section>
		);
	}
	return <Frame business={business}>{body}</Frame>;
}
