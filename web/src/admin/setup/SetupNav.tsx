// SetupNav.tsx - the setup editors' own navigation (the top navigation shows one "Setup"
// entry): a list of links, the current one marked for assistive technology.
import { t } from "../../shared/i18n";

export function SetupNav({ views, current, go }: { views: { id: string; label: string }[]; current: string; go: (id: string) => void }) {
	return (
		<nav class="ad-subnav" aria-label={t("admin.nav.setup")}>
			<ul>
				{views.map((v) => (
					<li key={v.id}>
						<a href={"/admin/" + v.id} aria-current={v.id === current ? "page" : undefined} onClick={(e) => { e.preventDefault(); go(v.id); }}>
							{t(v.label)}
						</a>
					</li>
				))}
			</ul>
		</nav>
	);
}
