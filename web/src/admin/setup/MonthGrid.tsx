// MonthGrid.tsx - a month as a table of day buttons for picking dates in the setup editors;
// a day with something on it carries its words (in its name and as a mark).
import { locale, t } from "../../shared/i18n";
import { addDays, addMonths, formatCivil, formatMonth, monthEnd, weekdayIndex, weekdayNames } from "../../shared/time";

type Props = { month: string; marks: Map<string, string>; selected?: string; onSelect: (d: string) => void; onMonth: (m: string) => void };

export function MonthGrid({ month, marks, selected, onSelect, onMonth }: Props) {
	const cells: (string | null)[] = [];
	for (let i = 0; i < weekdayIndex(month); i++) cells.push(null);
	for (let d = month; d <= monthEnd(month); d = addDays(d, 1)) cells.push(d);
	while (cells.length % 7) cells.push(null);
	const weeks: (string | null)[][] = [];
	for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
	const [y, m] = month.split("-").map(Number);
	const title = formatMonth(y, m, locale());
	const names = weekdayNames(locale(), "short");
	return (
		<div class="ad-month">
			<div class="ad-toolbar ad-month-head">
				<button class="ad-btn" type="button" onClick={() => onMonth(addMonths(month, -1))}>{t("month.prev")}</button>
				<h2 class="ad-h2" id={"mg-" + month}>{title}</h2>
				<button class="ad-btn" type="button" onClick={() => onMonth(addMonths(month, 1))}>{t("month.next")}</button>
			</div>
			<table class="ad-month-grid" aria-labelledby={"mg-" + month}>
				<thead><tr>{names.map((n) => <th key={n} scope="col">{n}</th>)}</tr></thead>
				<tbody>
					{weeks.map((w, i) => (
						<tr key={i}>
							{w.map((d, j) => (
								<td key={j}>
									{d ? (
										<button type="button" class={"ad-day" + (marks.has(d) ? " ad-day-marked" : "")} data-date={d} aria-pressed={d === selected} onClick={() => onSelect(d)}>
											<span class="ad-sr">{formatCivil(d, locale())}</span>
											<span aria-hidden="true">{Number(d.slice(8))}</span>
											{marks.has(d) ? <span class="ad-day-mark">{marks.get(d)}</span> : null}
										</button>
									) : null}
								</td>
							))}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}
