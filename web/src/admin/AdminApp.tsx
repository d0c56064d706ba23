// AdminApp.tsx - the staff dashboard at /admin: who is signed in (the login when nobody is,
// or when the session ends: then back to the same page), the navigation the role allows,
// and the views. Loaded only on /admin (its own chunk, with the calendar widget).
import { useEffect, useState } from "preact/hooks";
import { CATALOGUES, t } from "../shared/i18n";
import { Loading, Notice } from "../shared/ui";
import { AnalyticsView } from "./AnalyticsView";
import { AuditView } from "./AuditView";
import { BookingsView } from "./BookingsView";
import { CalendarAlert } from "./CalendarAlert";
import { CalendarView } from "./CalendarView";
import { CustomersView } from "./CustomersView";
import { CompaniesView } from "./Groups";
import en from "./i18n/en.json";
import fr from "./i18n/fr.json";
import { LoginForm } from "./LoginForm";
import { NotificationsView } from "./NotificationsView";
import type { SetupView } from "./setup/SetupView";
import { type Session, currentSession, setSession, staff } from "./staffApi";
import { TokensView } from "./TokensView";
import { UsersView } from "./UsersView";
import { WhyView } from "./WhyView";
import { WaitlistView } from "./WaitlistView";
import "./admin.css";

// The dashboard's strings join the app's catalogues (the booking page never loads them).
Object.assign(CATALOGUES.en, en);
Object.assign(CATALOGUES.fr, fr);

type View =
	| "calendar" | "bookings" | "customers" | "companies" | "waitlist" | "why" | "analytics" | "notifications" | "users" | "tokens" | "audit"
	| "business" | "policies" | "services" | "providers" | "resources" | "hours" | "overrides" | "time-off" | "closures" | "sessions" | "calendars" | "packages" | "webhooks" | "loyalty";
// Views with `setup` sit under one "Setup" entry of the top navigation, with their own.
const VIEWS: { id: View; minRole: number; label: string; setup?: boolean }[] = [
	{ id: "calendar", minRole: 1, label: "admin.nav.calendar" },
	{ id: "bookings", minRole: 1, label: "admin.nav.bookings" },
	{ id: "customers", minRole: 1, label: "admin.nav.customers" },
	{ id: "companies", minRole: 2, label: "admin.nav.companies" },
	{ id: "waitlist", minRole: 2, label: "admin.nav.waitlist" }, // the waiting list routes are admin's
	{ id: "why", minRole: 1, label: "admin.nav.why" },
	{ id: "analytics", minRole: 2, label: "admin.nav.analytics" },
	{ id: "notifications", minRole: 2, label: "admin.nav.notifications" },
	{ id: "users", minRole: 3, label: "admin.nav.users" },
	{ id: "tokens", minRole: 2, label: "admin.nav.tokens" },
	{ id: "audit", minRole: 2, label: "admin.nav.audit" },
	{ id: "business", minRole: 2, label: "admin.nav.business", setup: true },
	{ id: "policies", minRole: 2, label: "admin.nav.policies", setup: true },
	{ id: "services", minRole: 2, label: "admin.nav.services", setup: true },
	{ id: "providers", minRole: 2, label: "admin.nav.providers", setup: true },
	{ id: "resources", minRole: 2, label: "admin.nav.resources", setup: true },
	{ id: "hours", minRole: 2, label: "admin.nav.hours", setup: true },
	{ id: "overrides", minRole: 2, label: "admin.nav.overrides", setup: true },
	{ id: "time-off", minRole: 2, label: "admin.nav.time_off", setup: true },
	{ id: "closures", minRole: 2, label: "admin.nav.closures", setup: true },
	{ id: "sessions", minRole: 2, label: "admin.nav.sessions", setup: true },
	{ id: "calendars", minRole: 2, label: "admin.nav.calendars", setup: true },
	{ id: "packages", minRole: 2, label: "admin.nav.packages", setup: true },
	{ id: "webhooks", minRole: 2, label: "admin.nav.webhooks", setup: true },
	{ id: "loyalty", minRole: 2, label: "admin.nav.loyalty", setup: true },
];
const RANK: Record<string, number> = { staff: 1, admin: 2, owner: 3 };

function viewOfPath(): View {
	const v = location.pathname.split("/")[2] as View;
	return VIEWS.some((x) => x.id === v) ? v : "calendar";
}

export function AdminApp() {
	const [session, setS] = useState<Session | null | undefined>(undefined);
	const [expired, setExpired] = useState(false);
	const [view, setView] = useState<View>(viewOfPath());
	const [error, setError] = useState("");
	// The setup editors are a chunk of their own, fetched when a setup page is first shown.
	const [Setup, setSetup] = useState<typeof SetupView | null>(null);
	useEffect(() => {
		if (!Setup && VIEWS.some((v) => v.setup && v.id === view)) import("./setup/SetupView").then((m) => setSetup(() => m.SetupView), () => setError(t("error.load")));
	}, [view]);

	const signedIn = (s: Session | null) => {
		setSession(s, () => {
			setSession(null);
			setExpired(true);
			setS(null);
		});
		setS(s);
	};
	useEffect(() => {
		document.title = t("admin.title");
		currentSession().then(signedIn, () => setError(t("error.load")));
		const onPop = () => setView(viewOfPath());
		window.addEventListener("popstate", onPop);
		return () => window.removeEventListener("popstate", onPop);
	}, []);

	// On a phone the navigation is one row that scrolls sideways: keep the open page's entry in view.
	useEffect(() => {
		const here = document.querySelector<HTMLElement>(".ad-nav [aria-current]");
		const row = here?.closest("ul");
		if (here && row && row.scrollWidth > row.clientWidth) row.scrollLeft = here.offsetLeft - row.offsetLeft - 16;
	}, [view, session]);

	const go = (v: View) => {
		history.pushState(null, "", "/admin/" + v);
		setView(v);
	};
	const logout = async () => {
		await staff.POST("/api/v1/auth/logout").catch(() => {});
		setSession(null);
		setExpired(false);
		setS(null);
	};

	if (error) return <Shell><Notice kind="error">{error}</Notice></Shell>;
	if (session === undefined) return <Shell><Loading /></Shell>;
	if (!session)
		return (
			<Shell>
				{expired ? <Notice kind="info">{t("admin.expired")}</Notice> : null}
				<LoginForm onDone={(s) => { setExpired(false); signedIn(s); }} />
			</Shell>
		);
	const rank = RANK[session.user.role] || 0;
	const allowed = VIEWS.filter((v) => rank >= v.minRole);
	const current = allowed.some((v) => v.id === view) ? view : "calendar";
	// A page the role may not open (typed or bookmarked): the calendar, saying why.
	const denied = current !== view;
	const setup = allowed.filter((v) => v.setup);
	const inSetup = setup.some((v) => v.id === current);
	const top = allowed.filter((v) => !v.setup);
	return (
		<Shell
			nav={
				<nav class="ad-nav" aria-label={t("admin.nav")}>
					<ul>
						{top.map((v) => (
							<li key={v.id}>
								<a href={"/admin/" + v.id} aria-current={v.id === current ? "page" : undefined}
									onClick={(e) => { e.preventDefault(); go(v.id); }}>
									{t(v.label)}
								</a>
							</li>
						))}
						{setup.length ? (
							<li>
								<a href={"/admin/" + setup[0].id} aria-current={inSetup ? "true" : undefined} onClick={(e) => { e.preventDefault(); go(inSetup ? current : setup[0].id); }}>
									{t("admin.nav.setup")}
								</a>
							</li>
						) : null}
					</ul>
					<p class="ad-who">
						{t("admin.signed_in", { name: session.user.name || session.user.email, role: t("role." + session.user.role) })}{" "}
						<button type="button" class="ad-link" onClick={logout}>{t("admin.logout")}</button>
					</p>
				</nav>
			}
		>
			{denied ? <Notice kind="info">{t("admin.denied")}</Notice> : null}
			{rank >= 2 ? <CalendarAlert slug={session.business.slug || ""} view={current} go={() => go("calendars")} /> : null}
			{current === "calendar" ? <CalendarView session={session} /> : null}
			{current === "bookings" ? <BookingsView session={session} /> : null}
			{current === "customers" ? <CustomersView session={session} /> : null}
			{current === "companies" ? <CompaniesView session={session} /> : null}
			{current === "waitlist" ? <WaitlistView session={session} /> : null}
			{current === "why" ? <WhyView session={session} /> : null}
			{current === "analytics" ? <AnalyticsView session={session} /> : null}
			{current === "notifications" ? <NotificationsView session={session} /> : null}
			{current === "users" ? <UsersView session={session} /> : null}
			{current === "tokens" ? <TokensView session={session} /> : null}
			{current === "audit" ? <AuditView session={session} /> : null}
			{inSetup ? (Setup ? <Setup view={current} session={session} views={setup} go={(id) => go(id as View)} /> : <Loading />) : null}
		</Shell>
	);
}

function Shell({ nav, children }: { nav?: preact.ComponentChildren; children: preact.ComponentChildren }) {
	return (
		<div class="ad">
			<header class="ad-header">
				<p class="ad-brand">{t("admin.title")}</p>
				{nav}
			</header>
			<main class="ad-main">{children}</main>
		</div>
	);
}
