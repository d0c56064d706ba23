// catalog.ts - the setup editors' calls on the staff catalogue (/api/v1/businesses/{business}/…)
// through the dashboard's one client (session cookie, CSRF token, 401 to the login): rows
// read and written as JSON, a write optionally as its ?dry_run=1 impact preview.
import { ApiError, staff } from "../staffApi";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Loose = (url: string, init: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** `path` is under the business ("/services/{service}"), with its parameters in `params`. */
export async function cat<T = Record<string, unknown>>(method: Method, slug: string, path: string, o: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; dry?: boolean } = {}): Promise<T> {
	const fn = staff[method] as unknown as Loose;
	const query = { ...(o.query || {}), ...(o.dry ? { dry_run: "1" } : {}) };
	let r;
	try {
		r = await fn("/api/v1/businesses/{business}" + path, { params: { path: { business: slug, ...(o.params || {}) }, query }, body: o.body });
	} catch {
		throw new ApiError(0, { title: "network" });
	}
	if (!r.response.ok) throw new ApiError(r.response.status, r.error as never, r.response.headers.get("Retry-After"));
	return (r.data ?? {}) as T;
}

export type Named = { id?: string; name?: string; active?: boolean };

/** The providers and resources of the business (for owner pickers and links). */
export async function bookables(slug: string): Promise<{ providers: Named[]; resources: Named[] }> {
	const [p, r] = await Promise.all([
		cat<{ providers?: Named[] }>("GET", slug, "/providers"),
		cat<{ resources?: Named[] }>("GET", slug, "/resources"),
	]);
	return { providers: p.providers || [], resources: r.resources || [] };
}
