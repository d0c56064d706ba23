// CalendarAlert.tsx - the dashboard's banner while a calendar connection fails and its
// owners were emailed about it (GET …/calendar-settings counts them), with a link to the
// calendar page. Read on each page change; admins and owners only (the route is theirs).
import { useEffect, useState } from "preact/hooks";
import { t } from "../shared/i18n";
import { cat } from "./setup/catalog";

export function CalendarAlert({ slug, view, go }: { slug: string; view: string; go: () => void }) {
	const [n, setN] = useState(0);
	useEffect(() => {
		cat<{ alerting?: number }>("GET", slug, "/calendar-settings").then((s) => setN(s.alerting || 0), () => setN(0));
	}, [view]);
	if (!n) return null;
	return (
		<div class="bk-notice bk-notice-error ad-calalert-banner" role="alert">
			{t("calsync.banner", { n: String(n) })}{" "}
			{view === "calendars" ? null : <a href="/admin/calendars" onClick={(e) => { e.preventDefault(); go(); }}>{t("calsync.banner_link")}</a>}
		</div>
	);
}
