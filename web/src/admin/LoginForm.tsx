// LoginForm.tsx - sign in with business, email and password (POST /api/v1/auth/login). The
// business is prefilled from ?business= or the last one used on this browser.
import { useState } from "preact/hooks";
import { t } from "../shared/i18n";
import { Notice, StepHeading } from "../shared/ui";
import { ApiError, type Session, call, staff } from "./staffApi";

const LAST = "bookd.admin.business";

export function LoginForm({ onDone }: { onDone: (s: Session) => void }) {
	const q = new URLSearchParams(location.search).get("business");
	const [business, setBusiness] = useState(q || localStorage.getItem(LAST) || "");
	const [email, setEmail] = useState("");
	const [password, setPassword] = useState("");
	const [error, setError] = useState("");
	const [busy, setBusy] = useState(false);
	const submit = async (e: Event) => {
		e.preventDefault();
		setBusy(true);
		setError("");
		try {
			const s = (await call(staff.POST("/api/v1/auth/login", { body: { business, email, password } }))) as Session;
			localStorage.setItem(LAST, business);
			onDone(s);
		} catch (err) {
			setError(err instanceof ApiError && err.status === 429 ? t("login.locked") : err instanceof ApiError && err.status === 0 ? t("error.network") : t("login.failed"));
		} finally {
			setBusy(false);
		}
	};
	return (
		<form class="ad-login" onSubmit={submit}>
			<StepHeading focus={false}>{t("login.title")}</StepHeading>
			{error ? <Notice kind="error">{error}</Notice> : null}
			<label class="ad-field">
				<span>{t("login.business")}</span>
				<input name="business" value={business} required autoComplete="organization" onInput={(e) => setBusiness((e.target as HTMLInputElement).value.trim())} />
			</label>
			<label class="ad-field">
				<span>{t("login.email")}</span>
				<input name="email" type="email" value={email} required autoComplete="username" onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
			</label>
			<label class="ad-field">
				<span>{t("login.password")}</span>
				<input name="password" type="password" value={password} required autoComplete="current-password" onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
			</label>
			<button class="ad-btn ad-btn-primary" type="submit" disabled={busy}>{t("login.submit")}</button>
		</form>
	);
}
