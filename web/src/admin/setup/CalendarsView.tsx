// CalendarsView.tsx - the calendar integration page of the setup: external calendars whose
// busy time blocks slots (CalendarConnections), the owners' alert threshold, and the feeds
// of bookings that calendar apps subscribe to (CalendarFeeds).
import { useEffect, useState } from "preact/hooks";
import { t } from "../../shared/i18n";
import type { Session } from "../staffApi";
import { CalendarConnections } from "./CalendarConnections";
import { CalendarFeeds } from "./CalendarFeeds";
import { type Named, bookables } from "./catalog";

export function CalendarsView({ session }: { session: Session }) {
	const slug = session.business.slug || "";
	const [who, setWho] = useState<{ providers: Named[]; resources: Named[] }>({ providers: [], resources: [] });
	useEffect(() => { bookables(slug).then(setWho, () => {}); }, []);
	return (
		<section aria-labelledby="calsync-title">
			<h1 id="calsync-title" class="ad-title">{t("calsync.title")}</h1>
			<p class="ad-muted">{t("calsync.intro")}</p>
			<CalendarConnections session={session} who={who} />
			<CalendarFeeds session={session} who={who} />
		</section>
	);
}

/** "Ann" or "Room 1 (resource)" for a provider_id/resource_id pair. */
export function whoseName(who: { providers: Named[]; resources: Named[] }, provider?: string | null, resource?: string | null): string {
	if (provider) return who.providers.find((p) => p.id === provider)?.name || provider;
	if (resource) return t("setup.resource_named", { name: who.resources.find((r) => r.id === resource)?.name || resource });
	return "";
}
