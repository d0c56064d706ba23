// stripeElement.ts - the one adapter between the booking page and Stripe.js for the Payment
// Element. The page loads Stripe.js from the address the server names (js_url): in
// production https://js.stripe.com/v3/, which Stripe requires (never bundled, never
// self-hosted; the server's Content-Security-Policy allows it only when the Payment Element
// is configured); in tests the Stripe stand-in's /v3/, which implements the same calls. The
// page confirms the PaymentIntent here and Stripe.js sends the customer to return_url; the
// booking is confirmed only by the provider's signed webhook, which the page then reads.

type ElementsLike = { create(kind: "payment"): { mount(node: HTMLElement): void } };
type StripeLike = {
	elements(opts: { clientSecret: string }): ElementsLike;
	confirmPayment(args: { elements: ElementsLike; confirmParams: { return_url: string } }): Promise<{ error?: { message?: string } }>;
};
type StripeCtor = (publishableKey: string) => StripeLike;

export type Intent = { publishable_key: string; client_secret: string; js_url: string; return_url: string };

let loading: Promise<StripeCtor> | undefined;

/** Loads Stripe.js once from url; resolves with window.Stripe. */
function loadStripe(url: string): Promise<StripeCtor> {
	const w = window as unknown as { Stripe?: StripeCtor };
	if (w.Stripe) return Promise.resolve(w.Stripe);
	if (!loading) {
		loading = new Promise((resolve, reject) => {
			const s = document.createElement("script");
			s.src = url;
			s.async = true;
			s.onload = () => (w.Stripe ? resolve(w.Stripe) : reject(new Error("Stripe.js did not load")));
			s.onerror = () => {
				loading = undefined;
				reject(new Error("Stripe.js could not be loaded"));
			};
			document.head.appendChild(s);
		});
	}
	return loading;
}

/** Mounts the Payment Element of intent into node; confirm() pays (Stripe.js then leaves
 * the page for return_url) or resolves with the error message to show. */
export async function mountPaymentElement(node: HTMLElement, intent: Intent): Promise<{ confirm: () => Promise<string> }> {
	const Stripe = await loadStripe(intent.js_url);
	const stripe = Stripe(intent.publishable_key);
	const elements = stripe.elements({ clientSecret: intent.client_secret });
	elements.create("payment").mount(node);
	return {
		confirm: async () => {
			const r = await stripe.confirmPayment({ elements, confirmParams: { return_url: intent.return_url } });
			return r.error?.message || "";
		},
	};
}
