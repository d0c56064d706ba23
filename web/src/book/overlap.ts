// overlap.ts - a booking refused because the same email already has one at an overlapping
// time (409, reason customer_overlap). The server never says which booking: the page says
// so in the customer's language and points at that booking's confirmation email.
import type { ApiError } from "../shared/api";
import { t } from "../shared/i18n";

/** The form's field errors and notice for err when it is that refusal, else undefined. */
export function overlapRefusal(err: ApiError): { fields: Record<string, string>; notice: string } | undefined {
	if (err.status !== 409 || (err.problem as { reason?: unknown }).reason !== "customer_overlap") return undefined;
	return { fields: { email: t("overlap.field") }, notice: t("overlap.notice") };
}
