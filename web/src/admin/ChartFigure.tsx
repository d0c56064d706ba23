// ChartFigure.tsx - one figure of the analytics page: its chart (drawn by charts.ts once that
// chunk has loaded), the same figures as a table, and a CSV download of them. The table is
// the accessible form of the chart; the CSV carries the raw values (rates as fractions,
// money in the minor unit), never the formatted text.
import { useEffect, useRef } from "preact/hooks";
import { t } from "../shared/i18n";
import type { ChartSpec } from "./charts";

export type Cell = { text: string; value: string | number };
export type FigureData = {
	id: string;
	title: string;
	columns: string[];
	rows: Cell[][];
	spec: ChartSpec;
};
export type ChartsModule = typeof import("./charts");

/** RFC 4180: every cell quoted when it needs to be; a text cell that a spreadsheet would run
 * as a formula (= + - @) gets a leading apostrophe, as the server's own CSV does. */
export function toCsv(columns: string[], rows: Cell[][]): string {
	const q = (v: string | number) => {
		let s = String(v);
		if (typeof v === "string" && /^[=+\-@]/.test(s)) s = "'" + s;
		return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
	};
	return [columns.map(q).join(","), ...rows.map((r) => r.map((c) => q(c.value)).join(","))].join("\r\n") + "\r\n";
}

function download(name: string, text: string) {
	const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
	const a = document.createElement("a");
	a.href = url;
	a.download = name;
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ChartFigure({ fig, charts, fileName }: { fig: FigureData; charts: ChartsModule | null; fileName: string }) {
	const canvas = useRef<HTMLCanvasElement>(null);
	useEffect(() => {
		if (!charts || !canvas.current) return;
		const c = charts.drawChart(canvas.current, fig.spec);
		return () => c.destroy();
	}, [charts, fig]);
	const headId = "fig-" + fig.id;
	return (
		<figure class="ad-figure" data-figure={fig.id} aria-labelledby={headId}>
			<h2 id={headId} class="ad-h2">{fig.title}</h2>
			<div class="ad-chart">
				{fig.rows.length ? (
					<canvas ref={canvas} role="img" aria-label={t("analytics.chart_label", { title: fig.title })} />
				) : <p class="ad-muted">{t("analytics.no_data")}</p>}
			</div>
			<details class="ad-figure-data">
				<summary>{t("analytics.table")}</summary>
				<div class="ad-table-wrap" tabIndex={0} role="region" aria-label={fig.title}>
					<table class="ad-table">
						<caption class="ad-sr">{fig.title}</caption>
						<thead><tr>{fig.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
						<tbody>
							{fig.rows.map((r, i) => (
								<tr key={i}>
									{r.map((c, k) => (k === 0 ? <th key={k} scope="row" data-value={c.value}>{c.text}</th> : <td key={k} data-value={c.value}>{c.text}</td>))}
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</details>
			<button type="button" class="ad-btn" onClick={() => download(fileName, toCsv(fig.columns, fig.rows))}>
				{t("analytics.csv", { title: fig.title })}
			</button>
		</figure>
	);
}
