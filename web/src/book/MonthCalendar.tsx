// MonthCalendar.tsx - a month as a table of day buttons, each named with its full date and
// how many times are free there (from the availability answer: nothing is computed here).
// Arrow keys move a day or a week, PageUp/PageDown a month, Home/End the week's ends.
import { useLayoutEffect, useRef } from "preact/hooks";
import { locale, t, tn } from "../shared/i18n";
import { addDays, addMonths, formatCivil, formatMonth, monthEnd, monthStart, weekdayIndex, weekdayNames } from "../shared/time";

type Props = {
	month: string; // YYYY-MM-01
	free: Map<string, number>; // date -> free times (dates not loaded yet are absent)
	waitable?: Map<string, number>; // date -> full class sessions one can wait for (selectable too)
	loading: boolean;
	selected?: string;
	focusDate: string;
	today: string;
	onFocusDate: (d: string) => void; // moves the keyboard focus (may change month)
	onSelect: (d: string) => void;
	onMonth: (m: string) => void;
};

export function MonthCalendar(p: Props) {
	const grid = useRef<HTMLTableElement>(null);
	const wantFocus = useRef(false);
	const first = p.month, last = monthEnd(p.month);
	const lead = weekdayIndex(first);
	const cells: (string | null)[] = [];
	for (let i = 0; i < lead; i++) cells.push(null);
	for (let d = first; d <= last; d = addDays(d, 1)) cells.push(d);
	while (cells.length % 7) cells.push(null);
	const weeks: (string | null)[][] = [];
	for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
	const names = weekdayNames(locale(), "short"), longNames = weekdayNames(locale(), "long");
	const y = Number(first.slice(0, 4)), m = Number(first.slice(5, 7));
	const canPrev = monthStart(p.today) < first;

	// a layout effect: focus is on the new day before the next key is handled (an effect after
	// paint let a fast second key act on the day before)
	useLayoutEffect(() => {
		if (wantFocus.current) {
			wantFocus.current = false;
			grid.current?.querySelector<HTMLButtonElement>('button[tabindex="0"]')?.focus();
		}
	});

	function onKey(e: KeyboardEvent, d: string) {
		let n: string | undefined;
		switch (e.key) {
			case "ArrowLeft": n = addDays(d, -1); break;
			case "ArrowRight": n = addDays(d, 1); break;
			case "ArrowUp": n = addDays(d, -7); break;
			case "ArrowDown": n = addDays(d, 7); break;
			case "PageUp": n = addMonths(d, -1); break;
			case "PageDown": n = addMonths(d, 1); break;
			case "Home": n = addDays(d, -weekdayIndex(d)); break;
			case "End": n = addDays(d, 6 - weekdayIndex(d)); break;
			default: return;
		}
		e.preventDefault();
		if (n < p.today) n = p.today;
		wantFocus.current = true;
		p.onFocusDate(n);
	}

	const focusDate = p.focusDate >= first && p.focusDate <= last ? p.focusDate : first;
	return (
		<div class="bk-cal">
			<div class="bk-cal-nav">
				<button type="button" class="bk-btn bk-btn-icon" disabled={!canPrev} onClick={() => p.onMonth(addMonths(first, -1))} aria-label={t("cal.prev")}>
					‹
				</button>
				<h2 class="bk-cal-title" id="bk-cal-title" aria-live="polite">
					{formatMonth(y, m, locale())}
				</h2>
				<button type="button" class="bk-btn bk-btn-icon" onClick={() => p.onMonth(addMonths(first, 1))} aria-label={t("cal.next")}>
					›
				</button>
			</div>
			<table class="bk-cal-grid" ref={grid} aria-labelledby="bk-cal-title" aria-busy={p.loading}>
				<thead>
					<tr>
						{names.map((n, i) => (
							<th scope="col" key={n}>
								<abbr title={longNames[i]}>{n}</abbr>
							</th>
						))}
					</tr>
				</thead>
				<tbody>
					{weeks.map((w, wi) => (
						<tr key={wi}>
							{w.map((d, di) => {
								if (!d) return <td key={di} />;
								const n = p.free.get(d);
								const past = d < p.today;
								const full = p.waitable?.get(d) || 0;
								const has = (!!n || !!full) && !past;
								const label = formatCivil(d, locale()) + ", " + (p.loading && n === undefined ? t("cal.loading") : tn("cal.free", n || 0)) + (full && !past ? ", " + tn("cal.waitlist", full) : "");
								return (
									<td key={d}>
										<button
											type="button"
											class={"bk-day" + (n && !past ? " bk-day-free" : has ? " bk-day-wait" : "") + (d === p.selected ? " bk-day-selected" : "") + (d === p.today ? " bk-day-today" : "")}
											tabIndex={d === focusDate ? 0 : -1}
											aria-label={label}
											aria-pressed={d === p.selected}
											aria-disabled={!has}
											data-date={d}
											onClick={() => has && p.onSelect(d)}
											onKeyDown={(e) => onKey(e, d)}
											onFocus={() => d !== p.focusDate && p.onFocusDate(d)}
										>
											<span aria-hidden="true">{Number(d.slice(8))}</span>
											{has ? <span class="bk-day-dot" aria-hidden="true" /> : null}
										</button>
									</td>
								);
							})}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}
