// BusinessList.tsx - the site's front page (/): the businesses that chose to be listed.
import { useEffect, useState } from "preact/hooks";
import { t } from "../shared/i18n";
import { Frame, Loading, StepHeading } from "../shared/ui";

type Listed = { slug: string; name: string };

export function BusinessList() {
	const [list, setList] = useState<Listed[] | undefined>();
	useEffect(() => {
		fetch("/api/v1/public/businesses")
			.then((r) => (r.ok ? r.json() : { businesses: [] }))
			.then((j: { businesses?: Listed[] }) => {
				const b = j.businesses || [];
				if (b.length === 1) location.replace("/book/" + encodeURIComponent(b[0].slug) + location.search);
				else setList(b);
			})
			.catch(() => setList([]));
	}, []);
	if (!list) return <Frame><Loading /></Frame>;
	return (
		<Frame>
			<StepHeading focus={false}>{t("home.title")}</StepHeading>
			{list.length ? (
				<ul class="bk-cards">
					{list.map((b) => (
						<li key={b.slug}>
							<a class="bk-card" href={"/book/" + encodeURIComponent(b.slug)}>
								<span class="bk-card-name">{b.name}</span>
							</a>
						</li>
					))}
				</ul>
			) : (
				<p>{t("home.none")}</p>
			)}
		</Frame>
	);
}
