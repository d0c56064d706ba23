// Catalogue.tsx - the services a business sells: name, description, length, price, kind.
import type { Service } from "../shared/api";
import { locale, t } from "../shared/i18n";
import { formatDuration, formatMoney } from "../shared/time";
import { StepHeading } from "../shared/ui";
import { comparable } from "./Compare";

export function Catalogue({ services, onPick }: { services: Service[]; onPick: (s: Service) => void }) {
	const loc = locale();
	return (
		<section>
			<StepHeading focus={false}>{t("catalogue.title")}</StepHeading>
			{services.length === 0 ? <p>{t("catalogue.empty")}</p> : null}
			<ul class="bk-cards">
				{services.map((s) => (
					<li key={s.id}>
						<button type="button" class="bk-card" data-service={s.id} onClick={() => onPick(s)}>
							<span class="bk-card-head">
								<span class="bk-card-name">{s.name}</span>
								<span class="bk-card-price">
									{s.kind !== "rental"
										? formatMoney(s.price, loc)
										: s.duration_s === 3600
											? t("catalogue.per_hour", { price: formatMoney(s.price, loc) })
											: s.duration_s === 86400
												? t("catalogue.per_day", { price: formatMoney(s.price, loc) })
												: t("catalogue.price_per", { price: formatMoney(s.price, loc), length: formatDuration(s.duration_s || 0, loc) })}
								</span>
							</span>
							{s.description ? <span class="bk-card-desc">{s.description}</span> : null}
							<span class="bk-card-meta">
								<span class="bk-tag">{t("kind." + s.kind)}</span>
								{s.kind !== "rental" ? <span>{formatDuration(s.duration_s || 0, loc)}</span> : null}
								{s.kind === "class" && s.capacity ? <span>{t("catalogue.capacity", { n: s.capacity })}</span> : null}
							</span>
						</button>
					</li>
				))}
			</ul>
			{comparable(services).length >= 2 ? (
				<p><a class="bk-link" data-compare-link="" href={"?compare=" + comparable(services).map((s) => encodeURIComponent(s.id || "")).join(",")}>{t("compare.link")}</a></p>
			) : null}
		</section>
	);
}

export function ProviderPick({ service, onPick, onBack }: { service: Service; onPick: (p: string | undefined) => void; onBack: () => void }) {
	return (
		<section>
			<StepHeading>{t("provider.title")}</StepHeading>
			<p class="bk-sub">{service.name}</p>
			<ul class="bk-cards">
				<li>
					<button type="button" class="bk-card" data-provider="" onClick={() => onPick(undefined)}>
						<span class="bk-card-name">{t("provider.any")}</span>
						<span class="bk-card-desc">{t("provider.any_desc")}</span>
					</button>
				</li>
				{(service.providers || []).map((p) => (
					<li key={p.id}>
						<button type="button" class="bk-card" data-provider={p.id} onClick={() => onPick(p.id)}>
							<span class="bk-card-name">{p.name}</span>
						</button>
					</li>
				))}
			</ul>
			<div class="bk-actions">
				<button type="button" class="bk-btn" onClick={onBack}>
					{t("nav.back")}
				</button>
			</div>
		</section>
	);
}
