// CalendarAttention.tsx - a booking whose event in a connected CalDAV calendar was moved or
// deleted there (not in bookd): bookd never follows such a change by itself, so staff see it
// here and decide. "Keep bookd's time" writes bookd's version of the event again
// (POST …/calendar-attention/resolve); to follow the calendar instead, staff reschedule or
// cancel the booking with the usual actions.
import { locale, t } from "../shared/i18n";
import { formatWhen } from "../shared/time";
import { type StaffBooking, call, staff } from "./staffApi";

type Attention = NonNullable<StaffBooking["calendar_attention"]>[number];

export function CalendarAttention({ slug, booking, zone, onResolved, onError }: {
	slug: string;
	booking: StaffBooking;
	zone: string;
	onResolved: (nb: StaffBooking) => void;
	onError: (e: unknown) => void;
}) {
	const items: Attention[] = booking.calendar_attention || [];
	if (items.length === 0) return null;
	const resolve = async () => {
		try {
			const nb = await call(staff.POST("/api/v1/businesses/{business}/bookings/{booking}/calendar-attention/resolve", {
				params: { path: { business: slug, booking: booking.id } },
			}));
			onResolved(nb as StaffBooking);
		} catch (e) {
			onError(e);
		}
	};
	return (
		<div class="ad-attention" role="alert" data-testid="calendar-attention">
			<h3 class="ad-h3">{t("attention.title")}</h3>
			<ul>
				{items.map((a) => (
					<li key={a.connection_id}>
						{t(a.what === "deleted" ? "attention.deleted" : "attention.moved", { calendar: a.connection_name || a.connection_id })}
						{a.at ? <span class="ad-muted"> · {formatWhen(a.at, zone, locale())}</span> : null}
					</li>
				))}
			</ul>
			<p class="ad-muted">{t("attention.help")}</p>
			<button type="button" class="ad-btn" onClick={resolve}>{t("attention.keep")}</button>
		</div>
	);
}
