// AdminApp.tsx - the staff dashboard at /admin: who is signed in (the login when nobody is,
// or when the session ends: then back to the same page), the navigation the role allows,
// and the views. Loaded only on /admin (its own chunk, with the calendar widget).
import { useEffect, useState } from "preact/hooks";
import { CATALOGUES, t } from "../shared/i18n";
import { Loading, Notice } from "../shared/ui";
import { AnalyticsView } from "./AnalyticsView";
import { BookingsView } from "./BookingsView";
import { CalendarView } from "./CalendarView";
import { AuditView } from "./AuditView";
import { ClosuresView } from "./ClosuresView";
import { CustomersView } from "./CustomersView";
import { HoursView } from "./HoursView";
import en from "./i18n/en.json";
import fr from "./i18n/fr.json";
import { LoginForm } from "./LoginForm";
import { NotificationsView } from "./NotificationsView";
import { type Session, currentSession, setSession, staff } from "./staffApi";
import { WhyView } from "./WhyView";
import { TokensView } from "./TokensView";
import { UsersView } from "./UsersView";
import "./admin.css";

// The dashboard's strings join the app's catalogues (the booking page never loads them).
Object.assign(CATALOGUES.en, en);
Object.assign(CATALOGUES.fr, fr);

type View =
	| "calendar" | "bookings" | "customers" | "hours" | "closures" | "analytics" | "notifications" | "why"
	| "users" | "tokens" | "audit";
const VIEWS: { id: View; minRole: number; label: string }[] = [
	{ id: "calendar", minRole: 1, label: "admin.nav.calendar" },
	{ id: "bookings", minRole: 1, label: "admin.nav.bookings" },
	{ id: "customers", minRole: 1, label: "admin.nav.customers" },
	{ id: "hours", minRole: 2, label: "admin.nav.hours" },
	{ id: "closures", minRole: 2, label: "admin.nav.closures" },
	{ id: "why", minRole: 1, label: "admin.nav.why" },
	{ id: "analytics", minRole: 2, label: "admin.nav.analytics" },
	{ id: "notifications", minRole: 2, label: "admin.nav.notifications" },
	{ id: "users", minRole: 3, label: "admin.nav.users" },
	{ id: "tokens", minRole: 2, label: "admin.nav.tokens" },
	{ id: "audit", minRole: 2, label: "admin.nav.audit" },
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
	return (
		<Shell
			nav={
				<nav class="ad-nav" aria-label={t("admin.nav")}>
					<ul>
						{allowed.map((v) => (
							<li key={v.id}>
								<a href={"/admin/" + v.id} aria-current={v.id === current ? "page" : undefined}
									onClick={(e) => { e.preventDefault(); go(v.id); }}>
									{t(v.label)}
								</a>
							</li>
						))}
					</ul>
					<p class="ad-who">
						{t("admin.signed_in", { name: session.user.name || session.user.email, role: t("role." + session.user.role) })}{" "}
						<button type="button" class="ad-link" onClick={logout}>{t("admin.logout")}</button>
					</p>
				</nav>
			}
		>
			{denied ? <Notice kind="info">{t("admin.denied")}</Notice> : null}
			{current === "calendar" ? <CalendarView session={session} /> : null}
			{current === "bookings" ? <BookingsView session={session} /> : null}
			{current === "customers" ? <CustomersView session={session} /> : null}
			{current === "hours" ? <HoursView session={session} /> : null}
			{current === "closures" ? <ClosuresView session={session} /> : null}
			{current === "why" ? <WhyView session={session} /> : null}
			{current === "analytics" ? <AnalyticsView session={session} /> : null}
			{current === "notifications" ? <NotificationsView session={session} /> : null}
			{current === "users" ? <UsersView session={session} /> : null}
			{current === "tokens" ? <TokensView session={session} /> : null}
			{current === "audit" ? <AuditView session={session} /> : null}
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
