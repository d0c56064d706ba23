// ui.tsx - small parts both pages use: the page frame with the business's branding, a
// notice, a countdown, a heading that takes focus when its step appears.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Business } from "./api";
import { t } from "./i18n";

/** The frame: header with the business's logo and name; its accent colour as --bk-accent. */
export function Frame({ business, children }: { business?: Business; children: ComponentChildren }) {
	const accent = business?.accent_colour && /^#[0-9a-fA-F]{3,8}$/.test(business.accent_colour) ? business.accent_colour : undefined;
	useEffect(() => {
		if (business?.name) document.title = business.name;
	}, [business?.name]);
	return (
		<div class="bk" style={accent ? { "--bk-accent": accent } : undefined}>
			<header class="bk-header">
				{business?.logo_url ? <img class="bk-logo" src={business.logo_url} alt="" width={40} height={40} /> : null}
				<p class="bk-brand">{business?.name || t("app.title")}</p>
			</header>
			<main class="bk-main">{children}</main>
		</div>
	);
}

/** A step's heading; it takes focus when it first appears, so a screen reader hears the step. */
export function StepHeading({ children, id, focus = true }: { children: ComponentChildren; id?: string; focus?: boolean }) {
	const ref = useRef<HTMLHeadingElement>(null);
	useEffect(() => {
		if (focus) ref.current?.focus({ preventScroll: false });
	}, []);
	return (
		<h1 class="bk-step-title" tabIndex={-1} ref={ref} id={id}>
			{children}
		</h1>
	);
}

export function Notice({ kind, children }: { kind: "error" | "info" | "ok"; children: ComponentChildren }) {
	return (
		<div class={"bk-notice bk-notice-" + kind} role={kind === "error" ? "alert" : "status"}>
			{children}
		</div>
	);
}

export function Loading() {
	return (
		<p class="bk-loading" role="status">
			{t("app.loading")}
		</p>
	);
}

/** mm:ss until `deadline` (ms since the epoch, browser clock); calls onExpire once at zero. */
export function Countdown({ deadline, onExpire }: { deadline: number; onExpire: () => void }) {
	const [now, setNow] = useState(Date.now());
	const fired = useRef(false);
	useEffect(() => {
		const id = setInterval(() => setNow(Date.now()), 1000);
		return () => clearInterval(id);
	}, []);
	const left = Math.max(0, Math.round((deadline - now) / 1000));
	useEffect(() => {
		if (left === 0 && !fired.current) {
			fired.current = true;
			onExpire();
		}
	}, [left]);
	const mm = Math.floor(left / 60), ss = String(left % 60).padStart(2, "0");
	return (
		<p class="bk-countdown" role="timer" aria-live="off">
			{t("hold.countdown", { time: mm + ":" + ss })}
		</p>
	);
}
