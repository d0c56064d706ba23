// Summary.tsx - a booking's facts for people (service, who, when in the viewer's zone and,
// when it differs, the business's, where, price) and its add-to-calendar links.
import { useState } from "preact/hooks";
import { type Business, type ManageAuth, type Money, downloadIcs } from "../shared/api";
import { locale, t, tOr } from "../shared/i18n";
import { formatMoney, formatTime, formatWhen, utcStamp } from "../shared/time";

type Facts = {
	business: Business;
	reference?: string;
	service: string;
	provider?: string;
	start: string;
	end: string;
	zone: string;
	seats?: number;
	price?: Money;
	status?: string;
};

export function Summary(f: Facts) {
	const loc = locale();
	const other = f.zone !== f.business.timezone;
	return (
		<dl class="bk-summary">
			{f.reference ? (
				<>
					<dt>{t("summary.reference")}</dt>
					<dd class="bk-reference" data-reference={f.reference}>
						{f.reference}
					</dd>
				</>
			) : null}
			{f.status ? (
				<>
					<dt>{t("summary.status")}</dt>
					<dd data-status={f.status}>{tOr("status." + f.status, "status.other")}</dd>
				</>
			) : null}
			<dt>{t("summary.service")}</dt>
			<dd>
				{f.service}
				{f.seats && f.seats > 1 ? " × " + f.seats : ""}
			</dd>
			{f.provider ? (
				<>
					<dt>{t("summary.provider")}</dt>
					<dd class="bk-provider">{f.provider}</dd>
				</>
			) : null}
			<dt>{t("summary.when")}</dt>
			<dd>
				<time class="bk-when" dateTime={new Date(f.start).toISOString()}>
					{formatWhen(f.start, f.zone, loc)} – {formatTime(f.end, f.zone, loc)}
				</time>
				{other ? (
					<span class="bk-when-business">
						{t("summary.business_time", { when: formatWhen(f.start, f.business.timezone!, loc), zone: f.business.timezone!.replace(/_/g, " ") })}
					</span>
				) : null}
			</dd>
			{f.business.address ? (
				<>
					<dt>{t("summary.where")}</dt>
					<dd>{f.business.address}</dd>
				</>
			) : null}
			{f.price ? (
				<>
					<dt>{t("summary.price")}</dt>
					<dd>{formatMoney(f.price, loc)}</dd>
				</>
			) : null}
		</dl>
	);
}

/** .ics (fetched with the token), Google Calendar and Outlook.com / Office 365 links. */
export function CalendarLinks({ business, reference, title, start, end, auth, manageUrl }: { business: Business; reference: string; title: string; start: string; end: string; auth: ManageAuth; manageUrl: string }) {
	const [err, setErr] = useState(false);
	const text = title + " – " + business.name;
	const details = t("summary.reference") + ": " + reference + "\n" + manageUrl;
	const where = business.address || "";
	const google =
		"https://calendar.google.com/calendar/render?" +
		new URLSearchParams({ action: "TEMPLATE", text, dates: utcStamp(start) + "/" + utcStamp(end), details, location: where });
	const outlook = (host: string) =>
		"https://" + host + "/calendar/0/deeplink/compose?" +
		new URLSearchParams({ path: "/calendar/action/compose", rru: "addevent", subject: text, startdt: new Date(start).toISOString(), enddt: new Date(end).toISOString(), body: details, location: where });
	return (
		<div class="bk-cal-links">
			<h2 class="bk-h2">{t("calendar.title")}</h2>
			<ul>
				<li>
					<button type="button" class="bk-link" onClick={() => downloadIcs(reference, auth).catch(() => setErr(true))}>
						{t("calendar.ics")}
					</button>
				</li>
				<li>
					<a href={google} target="_blank" rel="noopener noreferrer">
						{t("calendar.google")}
					</a>
				</li>
				<li>
					<a href={outlook("outlook.live.com")} target="_blank" rel="noopener noreferrer">
						{t("calendar.outlook")}
					</a>
				</li>
				<li>
					<a href={outlook("outlook.office.com")} target="_blank" rel="noopener noreferrer">
						{t("calendar.office")}
					</a>
				</li>
			</ul>
			{err ? <p class="bk-field-error">{t("error.load")}</p> : null}
		</div>
	);
}
