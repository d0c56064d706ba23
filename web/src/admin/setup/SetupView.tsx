// SetupView.tsx - the setup editors behind the top navigation's "Setup" entry: their own
// navigation and the chosen editor. Its own chunk (AdminApp imports it when a setup page is
// first opened), so the calendar and bookings pages load none of it.
import type { Session } from "../staffApi";
import { ClosuresView } from "../ClosuresView";
import { HoursView } from "../HoursView";
import { LoyaltyView } from "./LoyaltyView";
import { BusinessView } from "./BusinessView";
import { CalendarsView } from "./CalendarsView";
import { OverridesView } from "./OverridesView";
import { PackagesView } from "./PackagesView";
import { PoliciesView } from "./PoliciesView";
import { ProvidersView } from "./ProvidersView";
import { ResourcesView } from "./ResourcesView";
import { ServicesView } from "./ServicesView";
import { SessionsView } from "./SessionsView";
import { SetupNav } from "./SetupNav";
import { TimeOffView } from "./TimeOffView";
import { WebhooksView } from "./WebhooksView";

const EDITORS: Record<string, (p: { session: Session }) => preact.JSX.Element> = {
	business: BusinessView,
	policies: PoliciesView,
	services: ServicesView,
	providers: ProvidersView,
	resources: ResourcesView,
	hours: HoursView,
	overrides: OverridesView,
	"time-off": TimeOffView,
	closures: ClosuresView,
	sessions: SessionsView,
	calendars: CalendarsView,
	packages: PackagesView,
	webhooks: WebhooksView,
	loyalty: LoyaltyView,
};

export function SetupView({ view, session, views, go }: { view: string; session: Session; views: { id: string; label: string }[]; go: (id: string) => void }) {
	const Editor = EDITORS[view];
	return (
		<>
			<SetupNav views={views} current={view} go={go} />
			{Editor ? <Editor key={view} session={session} /> : null}
		</>
	);
}
