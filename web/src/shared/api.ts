// api.ts - the one API client of the web app: typed from docs/openapi.json (api-types.ts,
// generated), problem+json errors turned into ApiError, Idempotency-Key on bookings.
import createClient from "openapi-fetch";
import type { components, paths } from "./api-types";

export type Business = components["schemas"]["Business"];
export type Service = components["schemas"]["Service"];
export type Slot = components["schemas"]["Slot"];
export type Day = NonNullable<components["schemas"]["Availability"]["days"]>[number];
export type Hold = components["schemas"]["Hold"];
export type BookingCreated = components["schemas"]["BookingCreated"];
export type Booking = components["schemas"]["Booking"];
export type Money = components["schemas"]["Money"];
export type Problem = components["schemas"]["Problem"];

export const client = createClient<paths>({ baseUrl: "" });

/** A refused request: the HTTP status and the problem+json body (fields named in `errors`). */
export class ApiError extends Error {
	status: number;
	problem: Problem;
	/** Seconds from the Retry-After header (a 429 or 503), when the answer gave one. */
	retryAfter?: number;
	constructor(status: number, problem: Problem | undefined, retryAfter?: string | null) {
		super(problem?.detail || problem?.title || "HTTP " + status);
		this.status = status;
		this.problem = problem || {};
		const n = retryAfter ? Number(retryAfter) : NaN;
		if (Number.isFinite(n) && n >= 0) this.retryAfter = n;
	}
	/** The protection setting that refused a 429 (holds_per_client, ...), when named. */
	get limit(): string | undefined {
		const l = (this.problem as { limit?: unknown }).limit;
		return typeof l === "string" ? l : undefined;
	}
	/** The server's words for one field, when it named it. */
	field(name: string): string | undefined {
		return this.problem.errors?.find((e) => e.field === name || e.field === "customer." + name)?.detail;
	}
}

/** Unwraps an openapi-fetch answer: the data, or throws ApiError (network failures: status 0). */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
	let r;
	try {
		r = await p;
	} catch {
		throw new ApiError(0, { title: "network" });
	}
	if (r.error !== undefined || !r.response.ok) throw new ApiError(r.response.status, r.error as Problem, r.response.headers.get("Retry-After"));
	return r.data as T;
}

const CLIENT_KEY = "bookd.client";
const CLIENT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** This browser session's `client` token for holds and bookings (the per-client hold limit
 * counts it): 32 random characters of [A-Za-z0-9_-], made once and kept in sessionStorage.
 * Without storage (blocked) it lasts as long as the page. */
let sessionClient = "";
export function clientToken(): string {
	if (sessionClient) return sessionClient;
	try {
		const kept = sessionStorage.getItem(CLIENT_KEY);
		if (kept && /^[A-Za-z0-9_-]{32}$/.test(kept)) return (sessionClient = kept);
	} catch {
		/* storage blocked: a token for this page only */
	}
	// 64 symbols: each random byte's low 6 bits pick one without bias
	sessionClient = Array.from(crypto.getRandomValues(new Uint8Array(32)), (x) => CLIENT_CHARS[x & 63]).join("");
	try {
		sessionStorage.setItem(CLIENT_KEY, sessionClient);
	} catch {
		/* as above */
	}
	return sessionClient;
}

export function newIdempotencyKey(): string {
	if (crypto.randomUUID) return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** How a manage request proves itself: the link token from a message (?t=) or the manage
 * token answered at booking time (sent as a bearer token). */
export type ManageAuth = { link?: string; bearer?: string };

/** One manage route (`/api/v1/public/bookings/{reference}[/action]`), with the token.
 * Plain fetch: the link token travels as ?t=, which the OpenAPI file does not list. */
export async function manageCall<T>(reference: string, action: string, auth: ManageAuth, opts: { tz?: string; body?: unknown } = {}): Promise<T> {
	const q = new URLSearchParams();
	if (auth.link) q.set("t", auth.link);
	if (opts.tz) q.set("tz", opts.tz);
	const headers: Record<string, string> = {};
	if (auth.bearer) headers.Authorization = "Bearer " + auth.bearer;
	if (opts.body !== undefined) headers["Content-Type"] = "application/json";
	let r: Response;
	try {
		r = await fetch("/api/v1/public/bookings/" + encodeURIComponent(reference) + (action ? "/" + action : "") + "?" + q, {
			method: opts.body !== undefined ? "POST" : "GET",
			headers,
			body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
		});
	} catch {
		throw new ApiError(0, { title: "network" });
	}
	const text = await r.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	if (!r.ok) throw new ApiError(r.status, json as Problem);
	return json as T;
}

/** The booking's iCalendar file, fetched with its token and offered as a download. */
export async function downloadIcs(reference: string, auth: ManageAuth): Promise<void> {
	const q = auth.link ? "?t=" + encodeURIComponent(auth.link) : "";
	const r = await fetch("/api/v1/public/bookings/" + encodeURIComponent(reference) + "/calendar.ics" + q, {
		headers: auth.bearer ? { Authorization: "Bearer " + auth.bearer } : {},
	});
	if (!r.ok) throw new ApiError(r.status, undefined);
	const url = URL.createObjectURL(new Blob([await r.text()], { type: "text/calendar" }));
	const a = document.createElement("a");
	a.href = url;
	a.download = reference + ".ics";
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
}
