// problem.ts - a refused request in words for the dashboard's notices: the fields the server
// named with its words for each, else its detail, else a generic sentence.
import { t } from "../shared/i18n";
import { ApiError } from "./staffApi";

export function problemText(e: unknown): string {
	if (!(e instanceof ApiError)) return t("error.generic");
	const fields = e.problem.errors?.map((x) => x.field + ": " + x.detail).join("; ");
	return fields || e.problem.detail || e.message || t("error.generic");
}
