// BookApp.tsx - the booking page (/book/{business}[/{service}]): catalogue → provider →
// day and time (a hold with a countdown) → details → confirmation.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type Business, type BookingCreated, type Hold, type Service, type Slot, call, client, clientToken, newIdempotencyKey } from "../shared/api";
import { CATALOGUES, lang, locale, t, tn } from "../shared/i18n";
import { addDays, civilOf, formatShortWhen, formatTime, viewerZone, zoneAbbrev } from "../shared/time";
import { Countdown, Frame, Loading, Notice, StepHeading } from "../shared/ui";
import { Catalogue, ProviderPick } from "./Catalogue";
import { type Details, DetailsForm } from "./DetailsForm";
import { PaymentStep } from "./PaymentStep";
import { PriceQuote } from "./PriceQuote";
import { CalendarLinks, Summary } from "./Summary";
import { type FullSession, type Pick, TimePicker } from "./TimePicker";
import { OccurrenceList, type RepeatChoice, RepeatPicker, type Series, repeatFields, repeatOff } from "./Repeat";
import { WaitlistJoin } from "./Waitlist";
import { WaitlistWindow, WaitlistWindowLink } from "./WaitlistWindow";
import { GroupBooking, type GroupLimits, GroupSize, LateJoin, groupLimits } from "./Group";
import { overlapRefusal } from "./overlap";
import { referral } from "./referral";

type Step = "service" | "provider" | "time" | "details" | "done" | "waitlist" | "waitwin" | "group";
const DEFAULT_HOLD_TTL_S = 600;

function path(business: string, service?: string) {
	return "/book/" + encodeURIComponent(business) + (service ? "/" + encodeURIComponent(service) : "") + location.search;
}

type ServiceList = { services?: Service[] };

/** A 429 from a protection limit of the business, in the customer's language: what was
 * refused (by the setting the answer names; for one the catalogue does not know, a general
 * sentence, plus the server's own `detail` when the page speaks English, the language it is
 * written in) and when to try again (Retry-After, in whole minutes, or hours past 90). */
function LimitNotice({ err }: { err: ApiError }) {
	const known = !!err.limit && CATALOGUES[lang()]["limit." + err.limit] !== undefined;
	const what = known ? t("limit." + err.limit) : t("limit.other");
	const detail = !known && lang() === "en" ? err.problem.detail : undefined;
	const minutes = err.retryAfter !== undefined ? Math.max(1, Math.ceil(err.retryAfter / 60)) : undefined;
	const hours = minutes !== undefined && minutes > 90 ? Math.ceil(minutes / 60) : undefined;
	return (
		<Notice kind="error">
			<p data-limit={err.limit || ""}>{what}</p>
			{detail ? <p>{detail}</p> : null}
			{minutes !== undefined ? <p data-retry-minutes={minutes}>{hours ? tn("limit.retry_hours", hours) : tn("limit.retry", minutes)}</p> : null}
		</Notice>
	);
}

export function BookApp({ slug, serviceId, business, services: first }: { slug: string; serviceId?: string; business: Business; services?: Promise<ServiceList> }) {
	const [services, setServices] = useState<Service[] | undefined>();
	const [loadError, setLoadError] = useState(false);
	const [step, setStep] = useState<Step>("service");
	const [payState, setPayState] = useState(""); // the payment step's state, when it has one
	const [service, setService] = useState<Service | undefined>();
	const [provider, setProvider] = useState<string | undefined>();
	const [zone, setZone] = useState(viewerZone());
	const [seats, setSeats] = useState(1);
	const [addons, setAddons] = useState<string[]>([]); // add-ons chosen (PriceQuote.tsx)
	// a location the business's pricing rules may name, from the page's address (?location=)
	const priceAt = new URLSearchParams(window.location.search).get("location") || undefined;
	const [pick, setPick] = useState<Pick | undefined>();
	const [hold, setHold] = useState<Hold | undefined>();
	const [deadline, setDeadline] = useState(0);
	const [lost, setLost] = useState(false);
	const [busy, setBusy] = useState(false);
	const [pickError, setPickError] = useState("");
	const [pickLimit, setPickLimit] = useState<ApiError | undefined>();
	const [bookLimit, setBookLimit] = useState<ApiError | undefined>();
	const [details, setDetails] = useState<Details>({ name: "", email: "", phone: "", notes: "", sms: false });
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [formError, setFormError] = useState("");
	const [nearest, setNearest] = useState<Slot[] | undefined>();
	const [booked, setBooked] = useState<BookingCreated | undefined>();
	const [reload, setReload] = useState(0);
	const [waitFor, setWaitFor] = useState<FullSession | undefined>();
	const [repeat, setRepeat] = useState<RepeatChoice | undefined>();
	const [series, setSeries] = useState<Series | undefined>();
	const [seriesRefused, setSeriesRefused] = useState<Series | undefined>();
	// groups: the services that take them, and how many people this booking is for
	const [groupRules, setGroupRules] = useState<GroupLimits[]>([]);
	const [groupSize, setGroupSize] = useState(1);
	useEffect(() => {
		groupLimits(slug).then(setGroupRules);
	}, [slug]);
	const groupOf = service && groupRules.find((g) => g.service === service.id && g.max > 0);
	const lateOf = service && groupRules.find((g) => g.service === service.id && g.late_join_s > 0);
	const idem = useRef("");

	useEffect(() => {
		(first || call(client.GET("/api/v1/public/{business}/services", { params: { path: { business: slug } } })))
			.then((r: ServiceList) => {
				const list = (r.services || []) as Service[];
				setServices(list);
				const s = serviceId ? list.find((x) => x.id === serviceId) : undefined;
				if (s) chooseService(s, false);
			})
			.catch(() => setLoadError(true));
	}, [slug]);

	// a hold left behind when the page goes away is let go
	useEffect(() => {
		const bye = () => {
			if (hold?.id) fetch("/api/v1/public/" + encodeURIComponent(slug) + "/holds/" + encodeURIComponent(hold.id), { method: "DELETE", keepalive: true }).catch(() => {});
		};
		window.addEventListener("pagehide", bye);
		return () => window.removeEventListener("pagehide", bye);
	}, [hold]);

	// the browser's back button leaves the service for the catalogue
	useEffect(() => {
		const pop = () => {
			if (!location.pathname.split("/")[3]) {
				releaseHold();
				setStep("service");
			}
		};
		window.addEventListener("popstate", pop);
		return () => window.removeEventListener("popstate", pop);
	});

	function needsProvider(s: Service) {
		return s.kind === "appointment" && (s.providers || []).length > 1;
	}

	function chooseService(s: Service, push = true) {
		setService(s);
		setProvider(undefined);
		setSeats(1);
		setStep(needsProvider(s) ? "provider" : "time");
		if (push) history.pushState(null, "", path(slug, s.id));
	}

	async function releaseHold() {
		const h = hold;
		setHold(undefined);
		setLost(false);
		if (h?.id) {
			try {
				await client.DELETE("/api/v1/public/{business}/holds/{hold}", { params: { path: { business: slug, hold: h.id } } });
			} catch {
				/* it expires by itself */
			}
		}
	}

	async function takeHold(p: Pick, chosen: string[] = addons) {
		setBusy(true);
		setPickError("");
		setPickLimit(undefined);
		setNearest(undefined);
		try {
			if (hold) await releaseHold();
			const body: Record<string, unknown> = { service: service!.id, start: p.start, client: clientToken() };
			if (p.end) body.end = p.end;
			if (chosen.length) body.addons = chosen;
			if (priceAt) body.location = priceAt;
			if (provider) body.provider = provider;
			if (seats > 1) body.seats = seats;
			const h = await call(client.POST("/api/v1/public/{business}/holds", { params: { path: { business: slug } }, body: body as never }));
			setHold(h);
			setAddons(chosen);
			setPick(p);
			setLost(false);
			setDeadline(Date.now() + (business.hold_ttl_s || DEFAULT_HOLD_TTL_S) * 1000);
			idem.current = newIdempotencyKey();
			setErrors({});
			setFormError("");
			setBookLimit(undefined);
			setRepeat(repeatOff(h.start || p.start, zone));
			setSeriesRefused(undefined);
			setStep("details");
		} catch (e) {
			const err = e as ApiError;
			if (err.status === 429) {
				// a limit of the business: said where the times are, and another time (or
				// later) may still be chosen
				setPickLimit(err);
				if (step !== "time") setStep("time");
				return;
			}
			setPickError(err.status === 409 ? t("hold.taken") : err.field("end") || err.field("start") || err.message || t("error.generic"));
			setReload((n) => n + 1);
		} finally {
			setBusy(false);
		}
	}

	async function loadNearest(wanted: string) {
		const d = civilOf(wanted, zone);
		try {
			const a = await call(
				client.GET("/api/v1/public/{business}/availability", {
					params: { path: { business: slug }, query: { service: service!.id!, from: addDays(d, -1) < civilOf(Date.now(), zone) ? civilOf(Date.now(), zone) : addDays(d, -1), to: addDays(d, 6), tz: zone, provider } as never },
				}),
			);
			const all = (a.days || []).flatMap((x) => x.slots || []);
			const w = Date.parse(wanted);
			all.sort((x, y) => Math.abs(Date.parse(x.start) - w) - Math.abs(Date.parse(y.start) - w));
			setNearest(all.slice(0, 6).sort((x, y) => Date.parse(x.start) - Date.parse(y.start)));
		} catch {
			setNearest([]);
		}
	}

	function timeLost() {
		setLost(true);
		setReload((n) => n + 1);
		if (pick) loadNearest(pick.start);
	}

	async function book() {
		if (!hold || lost) return;
		setBusy(true);
		setErrors({});
		setFormError("");
		setBookLimit(undefined);
		const customer: Record<string, unknown> = { name: details.name.trim(), email: details.email.trim() };
		if (details.phone.trim()) customer.phone = details.phone.trim();
		if (details.sms) customer.sms = true;
		const body: Record<string, unknown> = { hold: hold.id, customer, client: clientToken() };
		if (details.notes.trim()) body.notes = details.notes.trim();
		if (referral()) body.referral = referral();
		if (repeat?.on) return bookSeries(customer);
		try {
			const b = await call(
				client.POST("/api/v1/public/{business}/bookings", {
					params: { path: { business: slug }, header: { "Idempotency-Key": idem.current } },
					body: body as never,
				}),
			);
			setBooked(b);
			setHold(undefined);
			setStep("done");
			// an embedding site hears of a booking once it is one (not while it waits for the email)
			if (!b.awaiting_confirmation) window.parent !== window && window.parent.postMessage({ type: "bookd:booked", reference: b.reference, start: b.start }, "*");
		} catch (e) {
			const err = e as ApiError;
			const overlap = overlapRefusal(err);
			if (overlap) {
				setErrors(overlap.fields); // the hold stays: another email, or Back to another time
				setFormError(overlap.notice);
			} else if (err.status === 409) {
				timeLost();
			} else if (err.status === 429) {
				setBookLimit(err); // the hold stays: later, or Back to another time
			} else if (err.status === 422 && err.problem.errors?.length) {
				const f: Record<string, string> = {};
				for (const x of err.problem.errors) f[(x.field || "").replace(/^customer\./, "")] = x.detail || "";
				setErrors(f);
				if (!["name", "email", "phone", "notes"].some((k) => f[k])) setFormError(err.message);
				idem.current = newIdempotencyKey(); // another body needs another key
			} else {
				setFormError(err.status === 0 ? t("error.network") : err.message || t("error.generic"));
			}
		} finally {
			setBusy(false);
		}
	}

	/** The series' own fields: the held time's, with the hold let go by the server in the
	 * same transaction that books the series. */
	function seriesRequest(): Record<string, unknown> {
		const r: Record<string, unknown> = { service: service!.id, start: hold!.start || pick!.start, hold: hold!.id };
		if (pick?.end) r.end = hold!.end || pick.end;
		if (hold!.provider && service!.kind !== "class") r.provider = hold!.provider;
		if ((hold!.seats || 1) > 1) r.seats = hold!.seats;
		return r;
	}

	async function bookSeries(customer: Record<string, unknown>) {
		setSeriesRefused(undefined);
		const body: Record<string, unknown> = { ...seriesRequest(), ...repeatFields(repeat!), customer, client: clientToken() };
		if (details.notes.trim()) body.notes = details.notes.trim();
		try {
			const s = await call(client.POST("/api/v1/public/{business}/series", { params: { path: { business: slug }, query: { tz: zone } as never, header: { "Idempotency-Key": idem.current } }, body: body as never }));
			setSeries(s);
			setHold(undefined);
			setStep("done");
		} catch (e) {
			const err = e as ApiError;
			const refused = err.problem as unknown as Series;
			if (err.status === 409 && refused.occurrences) {
				setSeriesRefused(refused);
				setFormError(refused.booked ? t("repeat.failed") : t("repeat.none_free"));
			} else if (err.status === 429) setBookLimit(err);
			else if (err.status === 422 && err.problem.errors?.length) {
				const f: Record<string, string> = {};
				for (const x of err.problem.errors) f[(x.field || "").replace(/^customer\./, "")] = x.detail || "";
				setErrors(f);
				if (!["name", "email", "phone", "notes"].some((k) => f[k])) setFormError(err.message);
				idem.current = newIdempotencyKey(); // another body needs another key
			} else setFormError(err.status === 0 ? t("error.network") : err.message || t("error.generic"));
		} finally {
			setBusy(false);
		}
	}

	if (loadError) return <Frame business={business}><StepHeading focus={false}>{t("app.title")}</StepHeading><Notice kind="error">{t("error.load")}</Notice></Frame>;
	if (!services) return <Frame business={business}><Loading /></Frame>;
	const loc = locale();
	const providerName = (id?: string) => service?.providers?.find((p) => p.id === id)?.name;

	let body;
	if (step === "service" || !service) {
		body = <Catalogue services={services} onPick={chooseService} />;
	} else if (step === "provider") {
		body = (
			<ProviderPick
				service={service}
				onPick={(p) => {
					setProvider(p);
					setStep("time");
				}}
				onBack={() => {
					setStep("service");
					history.pushState(null, "", path(slug));
				}}
			/>
		);
	} else if (step === "time") {
		body = (
			<section>
				<StepHeading>{t("time.title")}</StepHeading>
				<p class="bk-sub">
					{service.name}
					{provider ? " · " + providerName(provider) : service.kind === "appointment" && (service.providers || []).length > 1 ? " · " + t("provider.any") : ""}
				</p>
				{lateOf ? <LateJoin slug={slug} service={service} zone={zone} /> : null}
				{groupOf ? <GroupSize limits={groupOf} size={groupSize} onSize={setGroupSize} /> : null}
				{service.kind === "class" && !(groupOf && groupSize > 1) ? (
					<div class="bk-field bk-field-inline">
						<label for="bk-seats">{t("time.seats")}</label>
						<select id="bk-seats" value={String(seats)} onChange={(e) => setSeats(Number((e.target as HTMLSelectElement).value))}>
							{[1, 2, 3, 4, 5, 6].map((n) => (
								<option key={n} value={String(n)}>
									{n}
								</option>
							))}
						</select>
					</div>
				) : null}
				<TimePicker
					business={business}
					service={service}
					provider={provider}
					zone={zone}
					onZone={setZone}
					seats={groupOf && groupSize > 1 ? groupSize : seats > 1 ? seats : undefined}
					initial={pick?.start}
					busy={busy}
					reload={reload}
					notice={pickLimit ? <LimitNotice err={pickLimit} /> : pickError ? <Notice kind="error">{pickError}</Notice> : null}
					onPick={
						groupOf && groupSize > 1
							? (p) => {
									setPick(p);
									setStep("group");
								}
							: takeHold
					}
					onWaitlist={(s) => {
						setWaitFor(s);
						setStep("waitlist");
					}}
				/>
				{service.kind === "appointment" ? <WaitlistWindowLink onOpen={() => setStep("waitwin")} /> : null}
				<div class="bk-actions">
					<button
						type="button"
						class="bk-btn"
						onClick={() => {
							setPickError("");
							setPickLimit(undefined);
							if (needsProvider(service)) setStep("provider");
							else {
								setStep("service");
								history.pushState(null, "", path(slug));
							}
						}}
					>
						{t("nav.back")}
					</button>
				</div>
			</section>
		);
	} else if (step === "group" && pick && groupOf) {
		body = <GroupBooking slug={slug} business={business} service={service} start={pick.start} end={pick.end || pick.slot.end} zone={zone} size={groupSize} limits={groupOf} onBack={() => setStep("time")} />;
	} else if (step === "waitwin") {
		body = <WaitlistWindow slug={slug} business={business} service={service} provider={provider} zone={zone} onBack={() => setStep("time")} />;
	} else if (step === "waitlist" && waitFor) {
		body = <WaitlistJoin slug={slug} business={business} service={service} session={waitFor} seats={seats} zone={zone} onBack={() => setStep("time")} />;
	} else if (step === "details" && pick && hold) {
		const summary = (
			<>
				<Summary business={business} service={service.name!} provider={providerName(hold.provider)} start={hold.start || pick.start} end={hold.end || pick.end || pick.slot.end} zone={zone} seats={hold.seats} />
				<PriceQuote slug={slug} service={service.id!} start={hold.start || pick.start} end={pick.end} seats={hold.seats || 1} addons={addons} location={priceAt} busy={busy || lost} onAddons={(next) => takeHold(pick, next)} />
				{lost ? (
					<Notice kind="error">
						<p>{t("hold.lost")}</p>
						{nearest === undefined ? <Loading /> : nearest.length ? <p>{t("hold.nearest")}</p> : <p>{t("slots.none")}</p>}
						{nearest && nearest.length ? (
							<ul class="bk-slot-list bk-nearest">
								{nearest.map((s) => (
									<li key={s.start}>
										<button type="button" class="bk-slot" disabled={busy} onClick={() => takeHold({ slot: s, start: s.start, end: pick.end ? new Date(Date.parse(s.start) + (Date.parse(pick.end) - Date.parse(pick.start))).toISOString() : undefined })}>
											{formatShortWhen(s.start, zone, loc) + (zone !== business.timezone ? " " + zoneAbbrev(s.start, zone, loc) : "")}
										</button>
									</li>
								))}
							</ul>
						) : null}
					</Notice>
				) : (
					<Countdown key={hold.id} deadline={deadline} onExpire={timeLost} />
				)}
				{!lost && repeat ? <RepeatPicker slug={slug} value={repeat} onChange={(r) => { setRepeat(r); setSeriesRefused(undefined); }} request={seriesRequest()} zone={zone} problem={seriesRefused} /> : null}
				{bookLimit ? <LimitNotice err={bookLimit} /> : null}
				{formError ? <Notice kind="error">{formError}</Notice> : null}
			</>
		);
		body = (
			<section>
				<StepHeading>{t("details.title")}</StepHeading>
				<DetailsForm
					value={details}
					onChange={setDetails}
					requirePhone={!!business.require_phone}
					errors={errors}
					disabled={lost}
					submitting={busy}
					onSubmit={book}
					onBack={async () => {
						setBookLimit(undefined);
						await releaseHold();
						setStep("time");
					}}
					summary={summary}
				/>
			</section>
		);
	} else if (step === "done" && series) {
		const first = (series.occurrences || []).find((o) => o.reference);
		const manageUrl = first ? location.origin + "/b/" + encodeURIComponent(first.reference!) + "#k=" + encodeURIComponent(series.manage_token || "") : "";
		body = (
			<section class="bk-done" data-series-done>
				<StepHeading>{t("repeat.done_title")}</StepHeading>
				<p>{t("repeat.done_email", { email: details.email })}</p>
				<p class="bk-sub">
					{service.name} · {t("repeat.booked_summary", { free: series.booked, all: (series.occurrences || []).length })}
				</p>
				<OccurrenceList series={series} zone={zone} booked />
				{manageUrl ? (
					<p>
						<a class="bk-btn" href={manageUrl} data-manage>
							{t("done.manage")}
						</a>
					</p>
				) : null}
				<p>
					<a href={path(slug)}>{t("done.again")}</a>
				</p>
			</section>
		);
	} else if (step === "done" && booked && booked.awaiting_confirmation) {
		// confirm_by_email: nothing is booked until the link of the email just sent is
		// followed; until expires_at the time is kept, then it lapses
		const x = booked.expires_at;
		const until = x ? (civilOf(x, zone) === civilOf(Date.now(), zone) ? formatTime(x, zone, loc) : formatShortWhen(x, zone, loc)) + (zone !== business.timezone ? " " + zoneAbbrev(x, zone, loc) : "") : "";
		body = (
			<section class="bk-done bk-awaiting" data-awaiting>
				<StepHeading>{t("awaiting.title")}</StepHeading>
				<Notice kind="info">
					<p>
						<strong>{t("awaiting.not_final")}</strong>
					</p>
					<p>{until ? t("awaiting.email_until", { email: details.email, time: until }) : t("awaiting.email", { email: details.email })}</p>
				</Notice>
				<Summary business={business} reference={booked.reference} service={service.name!} provider={providerName(booked.provider)} start={booked.start!} end={booked.end!} zone={zone} seats={booked.seats} price={booked.price} status="awaiting_confirmation" />
				<p>
					<a href={path(slug)}>{t("done.again")}</a>
				</p>
			</section>
		);
	} else if (step === "done" && booked) {
		const manageUrl = location.origin + "/b/" + encodeURIComponent(booked.reference!) + "#k=" + encodeURIComponent(booked.manage_token || "");
		const unpaid = payState === "awaiting";
		body = (
			<section class="bk-done">
				<StepHeading>{unpaid ? t("pay.step_title") : t("done.title")}</StepHeading>
				{booked.status === "pending" ? <PaymentStep reference={booked.reference!} auth={{ bearer: booked.manage_token }} price={booked.price} zone={zone} onState={setPayState} /> : null}
				{unpaid ? null : <p>{t("done.email", { email: details.email })}</p>}
				<Summary business={business} reference={booked.reference} service={service.name!} provider={providerName(booked.provider)} start={booked.start!} end={booked.end!} zone={zone} seats={booked.seats} price={booked.price} status={unpaid ? "awaiting_payment" : booked.status} />
				<CalendarLinks business={business} reference={booked.reference!} title={service.name!} start={booked.start!} end={booked.end!} auth={{ bearer: booked.manage_token }} manageUrl={manageUrl} />
				<p>
					<a class="bk-btn" href={manageUrl} data-manage>
						{t("done.manage")}
					</a>
				</p>
				<p>
					<a href={path(slug)}>{t("done.again")}</a>
				</p>
			</section>
		);
	}
	return <Frame business={business}>{body}</Frame>;
}
