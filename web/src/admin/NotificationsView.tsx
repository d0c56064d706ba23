// NotificationsView.tsx - what the business sends its customers and staff (admin): the
// templates per event and channel with a live preview on a real booking
// (NotifyTemplates.tsx), the settings (NotifySettings.tsx) and the history with delivery
// status and retry (NotifyHistory.tsx).
import { useState } from "preact/hooks";
import { t } from "../shared/i18n";
import { NotifyHistory } from "./NotifyHistory";
import { NotifySettings } from "./NotifySettings";
import { NotifyTemplates } from "./NotifyTemplates";
import type { Session } from "./staffApi";

const PARTS = ["templates", "settings", "history"] as const;
type Part = (typeof PARTS)[number];

export function NotificationsView({ session }: { session: Session }) {
	const first = new URLSearchParams(location.search).get("part") as Part;
	const [part, setPart] = useState<Part>(PARTS.includes(first) ? first : "templates");
	return (
		<section aria-labelledby="nt-title">
			<h1 id="nt-title" class="ad-title">{t("notify.title")}</h1>
			<ul class="ad-parts" aria-label={t("notify.parts")}>
				{PARTS.map((p) => (
					<li key={p}>
						<button type="button" class="ad-btn" aria-pressed={p === part} onClick={() => setPart(p)}>{t(`notify.part.${p}`)}</button>
					</li>
				))}
			</ul>
			{part === "templates" ? <NotifyTemplates session={session} /> : null}
			{part === "settings" ? <NotifySettings session={session} /> : null}
			{part === "history" ? <NotifyHistory session={session} /> : null}
		</section>
	);
}
