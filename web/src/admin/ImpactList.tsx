// ImpactList.tsx - the answer of a dry run (?dry_run=1): the future bookings a change would
// strand, each with the engine's reason in words, and the button that makes the change.
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { reasonWords } from "./CalendarView";
import type { ImpactPreview } from "./staffApi";

export function ImpactList({ impact, zone, save, saveLabel }: { impact: ImpactPreview; zone: string; save: () => void; saveLabel: string }) {
	const list = impact.affected || [];
	return (
		<div class="ad-impact">
			<p>{list.length ? t("closures.impact.some") : t("hours.impact.none")}</p>
			{list.length ? (
				<ul>
					{list.map((a) => (
						<li key={a.booking}>{a.reference}: {a.customer_name}, {a.service_name}, {a.start ? formatWhen(a.start, zone, locale()) : ""} ({reasonWords(a.reason)})</li>
					))}
				</ul>
			) : null}
			<button class="ad-btn ad-btn-primary" type="button" onClick={save}>{saveLabel}</button>
		</div>
	);
}
