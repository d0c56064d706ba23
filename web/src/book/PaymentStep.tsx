// PaymentStep.tsx - the payment step of a booking that asks for payment in advance: what is
// due now (a deposit explained against the price), until when the time is kept, and one
// button per provider that sends the customer to its page. Back from it (?paid=1), the step
// reads the booking's real state from the server and says "waiting for the payment" until
// the provider's webhook has confirmed it: it never assumes the payment went through.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type ManageAuth, type Money, manageCall } from "../shared/api";
import { locale, t } from "../shared/i18n";
import { formatMoney, formatWhen } from "../shared/time";
import { Notice } from "../shared/ui";
import { type Intent, mountPaymentElement } from "./stripeElement";

type PaymentState = {
	state: "none" | "awaiting" | "paid" | "partially_refunded" | "refunded" | "refund_pending" | "expired";
	mode: "none" | "deposit" | "full";
	due: Money;
	paid: Money;
	refunded: Money;
	refund_pending: Money;
	expires_at?: string | null;
};
type Answer = { reference: string; status: string; payment: PaymentState; methods: string[] };

const POLL_MS = 2000;
const POLL_FOR_MS = 120000;

/** Renders nothing for a booking that asks for no payment. onChanged: the booking's status
 * moved (paid and confirmed, or lapsed), so the page around it reloads. */
export function PaymentStep({ reference, auth, price, zone, onChanged, onState }: { reference: string; auth: ManageAuth; price?: Money; zone: string; onChanged?: () => void; onState?: (state: string) => void }) {
	const [a, setA] = useState<Answer | undefined>();
	const [error, setError] = useState("");
	const [busy, setBusy] = useState("");
	const back = new URLSearchParams(location.search).get("paid");
	const [element, setElement] = useState<{ confirm: () => Promise<string> } | undefined>();
	const elementNode = useRef<HTMLDivElement>(null);
	const loc = locale();

	async function load(): Promise<Answer | undefined> {
		try {
			const ans = await manageCall<Answer>(reference, "payment", auth);
			setA((prev) => {
				if (prev && prev.status !== ans.status && onChanged) onChanged();
				return ans;
			});
			onState?.(ans.payment.state);
			return ans;
		} catch {
			setError(t("error.load"));
			return undefined;
		}
	}
	useEffect(() => {
		let stop = false;
		const started = Date.now();
		const tick = async () => {
			const ans = await load();
			// Back from the provider: the webhook may come a moment later. Look again until
			// the booking has left its payment hold, or a while has passed.
			if (!stop && back === "1" && ans && ans.payment.state === "awaiting" && Date.now() - started < POLL_FOR_MS) setTimeout(tick, POLL_MS);
		};
		tick();
		return () => { stop = true; };
	}, [reference]);

	if (!a) return error ? <Notice kind="error">{error}</Notice> : null;
	const p = a.payment;
	if (p.state === "none" || p.mode === "none") return null;

	// The Payment Element: the intent is made by the server, mounted and confirmed here.
	async function payInPage() {
		setBusy("stripe_element");
		setError("");
		try {
			const intent = await manageCall<Intent>(reference, "payment-intent", auth, { body: {} });
			if (!elementNode.current) return;
			setElement(await mountPaymentElement(elementNode.current, intent));
		} catch (e) {
			setError(e instanceof ApiError && e.status === 409 ? t("pay.too_late") : t("pay.failed"));
			load();
		}
		setBusy("");
	}
	async function confirmInPage() {
		if (!element) return;
		setBusy("confirm");
		setError("");
		const msg = await element.confirm().catch(() => t("pay.failed"));
		if (msg) {
			setError(msg);
			setBusy("");
		}
	}

	async function pay(method: string) {
		if (method === "stripe_element") return payInPage();
		setBusy(method);
		setError("");
		try {
			const r = await manageCall<{ redirect_url: string }>(reference, "pay", auth, { body: { method } });
			location.assign(r.redirect_url);
		} catch (e) {
			const err = e as ApiError;
			setError(err.status === 409 ? t("pay.too_late") : t("pay.failed"));
			setBusy("");
			load();
		}
	}

	const due = formatMoney(p.due, loc);
	const rest = price && price.amount_minor !== undefined && p.due.amount_minor !== undefined ? { amount_minor: price.amount_minor - p.due.amount_minor, currency: price.currency } : undefined;
	return (
		<section class="bk-pay" aria-labelledby="bk-pay-title" data-payment-state={p.state} data-booking-status={a.status}>
			<h2 id="bk-pay-title" class="bk-h2">{t("pay.title")}</h2>
			{p.state === "awaiting" && back === "1" ? (
				<Notice kind="info">
					<p data-pay-waiting>{t("pay.waiting")}</p>
				</Notice>
			) : null}
			{p.state === "awaiting" && back === "0" ? <Notice kind="info">{t("pay.cancelled_at_provider")}</Notice> : null}
			{p.state === "awaiting" ? (
				<>
					<p class="bk-pay-due">
						<strong data-pay-due>{p.mode === "deposit" ? t("pay.deposit_due", { amount: due }) : t("pay.full_due", { amount: due })}</strong>
					</p>
					{p.mode === "deposit" && rest && rest.amount_minor > 0 ? <p class="bk-policy">{t("pay.deposit_explained", { rest: formatMoney(rest, loc), price: formatMoney(price, loc) })}</p> : null}
					{p.expires_at ? <p class="bk-policy">{t("pay.kept_until", { when: formatWhen(p.expires_at, zone, loc) })}</p> : null}
					{error ? <Notice kind="error">{error}</Notice> : null}
					<div class="bk-actions">
						{a.methods.filter((m) => !(element && m === "stripe_element")).map((m) => (
							<button key={m} type="button" class="bk-btn bk-btn-primary" data-pay-method={m} disabled={!!busy} onClick={() => pay(m)}>
								{busy === m ? t("pay.redirecting") : t("paywith." + m)}
							</button>
						))}
					</div>
					<div class="bk-pay-element" ref={elementNode} data-pay-element hidden={!element} />
					{element ? (
						<div class="bk-actions">
							<button type="button" class="bk-btn bk-btn-primary" data-pay-confirm disabled={!!busy} onClick={confirmInPage}>
								{busy === "confirm" ? t("pay.confirming") : t("pay.confirm_amount", { amount: due })}
							</button>
						</div>
					) : null}
					{a.methods.length === 0 ? <Notice kind="error">{t("pay.no_methods")}</Notice> : null}
				</>
			) : p.state === "expired" ? (
				<Notice kind="error">
					<p data-pay-expired>{t("pay.expired")}</p>
				</Notice>
			) : (
				<Notice kind="ok">
					<p data-pay-done>
						{t("pay.paid", { amount: formatMoney(p.paid, loc) })}
						{p.refunded.amount_minor ? " " + t("pay.refunded", { amount: formatMoney(p.refunded, loc) }) : ""}
						{p.refund_pending.amount_minor ? " " + t("pay.refund_pending", { amount: formatMoney(p.refund_pending, loc) }) : ""}
					</p>
				</Notice>
			)}
		</section>
	);
}
