// ManageApp.tsx - a booking's own page (/b/{reference}?t=LINK from a message, or #k=TOKEN
// from the confirmation): the booking and its history, reschedule through the same picker,
// cancel after the policy's refund or fee is stated; past the cut-off, why not.
import { useEffect, useState } from "preact/hooks";
import { ApiError, type Booking, type Business, type ManageAuth, type Service, call, client, manageCall } from "../shared/api";
import { locale, t, tOr } from "../shared/i18n";
import { formatMoney, formatWhen, viewerZone } from "../shared/time";
import { Frame, Loading, Notice, StepHeading } from "../shared/ui";
import { PaymentStep } from "./PaymentStep";
import { CalendarLinks, Summary } from "./Summary";
import { ManageSeries } from "./Repeat";
import { type Pick, TimePicker } from "./TimePicker";

type Tier = { min_notice_s: number; refund_percent: number };
type Policy = { cancel_until?: string; reschedule_until?: string; refund_tiers?: Tier[] };
type Mode = "view" | "reschedule" | "cancel";

export function manageAuthFromUrl(): ManageAuth {
	const link = new URLSearchParams(location.search).get("t") || undefined;
	const bearer = new URLSearchParams(location.hash.slice(1)).get("k") || undefined;
	return { link, bearer };
}

/** The refund a cancellation now would give by the service's tiers (the server decides). */
export function refundNow(b: Booking, now: number): number {
	const tiers = ((b.policy as Policy | undefined)?.refund_tiers || []).slice().sort((x, y) => y.min_notice_s - x.min_notice_s);
	const notice = (Date.parse(b.start!) - now) / 1000;
	for (const tier of tiers) if (notice >= tier.min_notice_s) return tier.refund_percent;
	return tiers.length ? 0 : 100;
}

function movedTo(changes: unknown): string | undefined {
	return (changes as { start?: { to?: string } } | undefined)?.start?.to;
}

export function ManageApp({ reference, resolveBusiness }: { reference: string; resolveBusiness: (slug: string) => Promise<Business> }) {
	const auth = manageAuthFromUrl();
	const [zone, setZone] = useState(viewerZone());
	const [booking, setBooking] = useState<Booking | undefined>();
	const [business, setBusiness] = useState<Business | undefined>();
	const [service, setService] = useState<Service | undefined>();
	const [missing, setMissing] = useState(false);
	const [mode, setMode] = useState<Mode>("view");
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState("");
	const [done, setDone] = useState("");
	const [reason, setReason] = useState("");
	const [target, setTarget] = useState<Pick | undefined>();
	const [reload, setReload] = useState(0);
	const [payState, setPayState] = useState(""); // the payment step's state, when it has one

	async function load() {
		try {
			const b = await manageCall<Booking>(reference, "", auth, { tz: zone });
			setBooking(b);
			if (!business) {
				const biz = await resolveBusiness(b.business!);
				setBusiness(biz);
				const s = await call(client.GET("/api/v1/public/{business}/services", { params: { path: { business: b.business! } } }));
				setService(((s.services || []) as Service[]).find((x) => x.id === (b.service as { id?: string }).id));
			}
		} catch (e) {
			if ((e as ApiError).status === 404) setMissing(true);
			else setError(t("error.load"));
		}
	}
	useEffect(() => {
		load();
	}, [zone]);

	if (missing)
		return (
			<Frame>
				<StepHeading>{t("manage.not_found")}</StepHeading>
				<p>{t("manage.not_found_detail")}</p>
			</Frame>
		);
	if (!booking || !business) return <Frame business={business}>{error ? <Notice kind="error">{error}</Notice> : <Loading />}</Frame>;

	const loc = locale();
	const policy = (booking.policy || {}) as Policy;
	const now = Date.now();
	const active = booking.status === "confirmed" || booking.status === "pending";
	const canCancel = active && (!policy.cancel_until || now <= Date.parse(policy.cancel_until));
	const canMove = active && (!policy.reschedule_until || now <= Date.parse(policy.reschedule_until));
	const svc = booking.service as { id?: string; name?: string; kind?: string };
	const providerName = service?.providers?.find((p) => p.id === booking.provider)?.name;
	const pct = refundNow(booking, now);
	const price = booking.price?.amount_minor || 0;
	const refund = { amount_minor: Math.floor((price * pct) / 100), currency: booking.price?.currency };
	const fee = { amount_minor: price - refund.amount_minor, currency: booking.price?.currency };

	async function act(action: "cancel" | "reschedule", body: unknown) {
		setBusy(true);
		setError("");
		try {
			const b = await manageCall<Booking>(reference, action, auth, { tz: zone, body });
			setBooking(b);
			setMode("view");
			setTarget(undefined);
			setDone(action === "cancel" ? t("manage.cancelled") : t("manage.moved"));
		} catch (e) {
			const err = e as ApiError;
			setError(err.status === 409 ? t("hold.taken") : err.message || t("error.generic"));
			if (err.status === 409) setReload((n) => n + 1);
		} finally {
			setBusy(false);
		}
	}

	let body;
	if (mode === "reschedule" && service) {
		body = (
			<section>
				<StepHeading>{t("manage.reschedule_title")}</StepHeading>
				{target ? (
					<div class="bk-confirm-move">
						<p>{t("manage.move_to", { when: formatWhen(target.start, zone, loc) })}</p>
						{error ? <Notice kind="error">{error}</Notice> : null}
						<div class="bk-actions">
							<button type="button" class="bk-btn" onClick={() => setTarget(undefined)}>
								{t("nav.back")}
							</button>
							<button
								type="button"
								class="bk-btn bk-btn-primary"
								disabled={busy}
								onClick={() => {
									const keep = booking.provider && target.slot.providers.includes(booking.provider) ? booking.provider : target.slot.providers[0];
									const body: Record<string, string> = { start: target.start };
									if (target.end) body.end = target.end;
									if (keep && svc.kind === "appointment") body.provider = keep;
									act("reschedule", body);
								}}
							>
								{t("manage.move_confirm")}
							</button>
						</div>
					</div>
				) : (
					<>
						<TimePicker business={business} service={service} zone={zone} onZone={setZone} current={booking.start} seats={booking.seats && booking.seats > 1 ? booking.seats : undefined} reload={reload} notice={error ? <Notice kind="error">{error}</Notice> : null} onPick={(p) => { setError(""); setTarget(p); }} />
						<div class="bk-actions">
							<button type="button" class="bk-btn" onClick={() => setMode("view")}>
								{t("nav.back")}
							</button>
						</div>
					</>
				)}
			</section>
		);
	} else if (mode === "cancel") {
		body = (
			<section>
				<StepHeading>{t("manage.cancel_title")}</StepHeading>
				<p class="bk-policy">
					{pct === 100 ? t("manage.refund_full", { amount: formatMoney(refund, loc) }) : pct === 0 ? t("manage.refund_none", { fee: formatMoney(fee, loc) }) : t("manage.refund_part", { amount: formatMoney(refund, loc), percent: pct, fee: formatMoney(fee, loc) })}
				</p>
				<form
					onSubmit={(e) => {
						e.preventDefault();
						act("cancel", reason.trim() ? { reason: reason.trim() } : {});
					}}
				>
					<div class="bk-field">
						<label for="bk-reason">
							{t("manage.reason")} <span class="bk-optional">{t("details.optional")}</span>
						</label>
						<textarea id="bk-reason" rows={3} maxLength={500} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
					</div>
					{error ? <Notice kind="error">{error}</Notice> : null}
					<div class="bk-actions">
						<button type="button" class="bk-btn" onClick={() => setMode("view")}>
							{t("manage.keep")}
						</button>
						<button type="submit" class="bk-btn bk-btn-danger" disabled={busy}>
							{t("manage.cancel_confirm")}
						</button>
					</div>
				</form>
			</section>
		);
	} else {
		const manageUrl = location.href;
		body = (
			<section>
				<StepHeading focus={!!done}>{t("manage.title")}</StepHeading>
				{done ? <Notice kind="ok">{done}</Notice> : null}
				{booking.status === "pending" || payState || new URLSearchParams(location.search).has("paid") ? <PaymentStep reference={booking.reference!} auth={auth} price={booking.price} zone={zone} onState={setPayState} onChanged={load} /> : null}
				<Summary business={business} reference={booking.reference} status={booking.awaiting_confirmation ? "awaiting_confirmation" : booking.status === "pending" && payState === "awaiting" ? "awaiting_payment" : booking.status} service={svc.name || ""} provider={providerName} start={booking.start!} end={booking.end!} zone={zone} seats={booking.seats} price={booking.price} />
				{booking.status === "cancelled" && (booking.refund || booking.fee) ? (
					<p class="bk-policy">{t("manage.refunded", { amount: formatMoney(booking.refund, loc), fee: formatMoney(booking.fee || { amount_minor: 0, currency: booking.price?.currency }, loc) })}</p>
				) : null}
				{active ? (
					<div class="bk-actions">
						{canMove ? (
							<button type="button" class="bk-btn bk-btn-primary" onClick={() => { setDone(""); setMode("reschedule"); }}>
								{t("manage.reschedule")}
							</button>
						) : null}
						{canCancel ? (
							<button type="button" class="bk-btn bk-btn-danger" onClick={() => { setDone(""); setMode("cancel"); }}>
								{t("manage.cancel")}
							</button>
						) : null}
					</div>
				) : null}
				{active && !canMove ? <p class="bk-policy">{t("manage.too_late_move", { when: formatWhen(policy.reschedule_until!, zone, loc) })}</p> : null}
				{active && !canCancel ? <p class="bk-policy">{t("manage.too_late_cancel", { when: formatWhen(policy.cancel_until!, zone, loc) })}</p> : null}
				{booking.status !== "cancelled" ? <CalendarLinks business={business} reference={booking.reference!} title={svc.name || ""} start={booking.start!} end={booking.end!} auth={auth} manageUrl={manageUrl} /> : null}
				<ManageSeries reference={booking.reference!} auth={auth} zone={zone} onChanged={load} />
				<h2 class="bk-h2">{t("manage.history")}</h2>
				<ol class="bk-history">
					{(booking.history || []).map((h, i) => (
						<li key={i}>
							<time dateTime={h.at}>{formatWhen(h.at!, zone, loc)}</time>: {tOr("history." + h.kind, "history.other")}
							{h.to && h.to !== h.from && h.kind !== h.to ? " → " + tOr("status." + h.to, "status.other") : ""}
							{movedTo(h.changes) ? " (" + formatWhen(movedTo(h.changes)!, zone, loc) + ")" : ""}
							{h.reason ? " — " + h.reason : ""}
						</li>
					))}
				</ol>
			</section>
		);
	}
	return <Frame business={business}>{body}</Frame>;
}
