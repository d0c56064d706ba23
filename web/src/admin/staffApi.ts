// staffApi.ts - the dashboard's client of the staff API: the same generated types as the
// booking app (shared/api-types.ts), the session cookie sent by the browser, the CSRF token
// added to every unsafe request, and a 401 anywhere turned into "sign in again".
import createClient from "openapi-fetch";
import type { components, paths } from "../shared/api-types";
import { ApiError, call } from "../shared/api";

export type StaffUser = components["schemas"]["StaffUser"];
export type StaffBusiness = components["schemas"]["StaffBusiness"];
export type BookingItem = components["schemas"]["StaffBookingItem"];
export type StaffBooking = components["schemas"]["StaffBooking"];
export type Customer = components["schemas"]["Customer"];
export type ImpactPreview = components["schemas"]["ImpactPreview"];
export type Analytics = components["schemas"]["Analytics"];
export type NotificationTemplate = components["schemas"]["NotificationTemplate"];
export type Closure = components["schemas"]["CatalogClosure"];
export type Calendar = paths["/api/v1/businesses/{business}/calendar"]["get"]["responses"]["200"]["content"]["application/json"];
export type Bookable = NonNullable<Calendar["bookables"]>[number];

/** Who is signed in: the answer of login and of /auth/me. */
export type Session = { user: StaffUser; business: StaffBusiness; csrf_token: string };

let csrf = "";
let role = "";

/** Whether the signed-in user is an admin or owner (the staff role reads, admins change). */
export const isAdmin = (): boolean => role === "admin" || role === "owner";
let onExpired: () => void = () => {};

export const staff = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
staff.use({
	onRequest({ request }) {
		if (csrf && request.method !== "GET") request.headers.set("X-CSRF-Token", csrf);
		return request;
	},
	onResponse({ response, request }) {
		if (response.status === 401 && !request.url.endsWith("/api/v1/auth/login")) onExpired();
		return response;
	},
});

export function setSession(s: Session | null, expired?: () => void): void {
	csrf = s?.csrf_token || "";
	role = s?.user.role || "";
	if (expired) onExpired = expired;
}

/** The session of this browser, or null when it has none (or it ended). */
export async function currentSession(): Promise<Session | null> {
	try {
		const me = (await call(staff.GET("/api/v1/auth/me"))) as Session;
		return me.user && me.business ? me : null;
	} catch (e) {
		if (e instanceof ApiError && (e.status === 401 || e.status === 404)) return null;
		throw e;
	}
}

export { ApiError, call };
