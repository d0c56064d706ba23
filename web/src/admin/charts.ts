// charts.ts - the analytics page's drawing, the one module that imports Chart.js. The page
// loads it with a dynamic import, so Chart.js is a chunk of its own that no other page of the
// dashboard fetches. Only the parts the page draws are registered (tree-shaken build).
import {
	BarController,
	BarElement,
	BubbleController,
	CategoryScale,
	Chart,
	Legend,
	LineController,
	LineElement,
	LinearScale,
	PointElement,
	Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, BubbleController, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);

/** What the page asks for, free of Chart.js's own types. */
export type ChartSpec = {
	kind: "bar" | "line" | "heat";
	labels: string[];
	series: { label: string; values: number[] }[];
	/** values are fractions shown as percentages */
	percent?: boolean;
	/** bars run across (long names) */
	horizontal?: boolean;
	/** heat: the row labels (y), labels being the columns (x); series[r].values the cells */
	rows?: string[];
	locale: string;
};

const COLOURS = ["#1f5f8b", "#b35c00", "#1e6b34", "#8a3ffc", "#b3261e", "#545d66"];

/** Draws spec on canvas; the caller destroys the answer before drawing again. */
export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec): { destroy(): void } {
	const pct = new Intl.NumberFormat(spec.locale, { style: "percent", maximumFractionDigits: 1 });
	const num = new Intl.NumberFormat(spec.locale);
	const fmt = (v: number) => (spec.percent ? pct.format(v) : num.format(v));
	if (spec.kind === "heat") {
		const rows = spec.rows || [];
		const max = Math.max(1, ...spec.series.flatMap((s) => s.values));
		const points = spec.series.flatMap((s, r) => s.values.map((v, c) => ({ x: c, y: r, r: v ? 3 + (9 * v) / max : 0, v })));
		return new Chart(canvas, {
			type: "bubble",
			data: {
				datasets: [{
					label: "",
					data: points,
					backgroundColor: points.map((p) => "rgba(31, 95, 139, " + (0.25 + (0.75 * p.v) / max).toFixed(2) + ")"),
				}],
			},
			options: {
				maintainAspectRatio: false,
				animation: false,
				plugins: {
					legend: { display: false },
					tooltip: { callbacks: { label: (c) => { const p = c.raw as { x: number; y: number; v: number }; return rows[p.y] + " " + spec.labels[p.x] + ": " + num.format(p.v); } } },
				},
				scales: {
					// Ticks on the cells' centres (0, 1, ...), not on the scale's -0.5 edge.
					x: { type: "linear", min: -0.5, max: spec.labels.length - 0.5, afterBuildTicks: (a) => { a.ticks = spec.labels.map((_, i) => ({ value: i })); }, ticks: { maxRotation: 0, callback: (v) => spec.labels[Number(v)] ?? "" } },
					y: { type: "linear", min: -0.5, max: rows.length - 0.5, reverse: true, afterBuildTicks: (a) => { a.ticks = rows.map((_, i) => ({ value: i })); }, ticks: { autoSkip: false, callback: (v) => rows[Number(v)] ?? "" } },
				},
			},
		});
	}
	return new Chart(canvas, {
		type: spec.kind,
		data: {
			labels: spec.labels,
			datasets: spec.series.map((s, i) => ({
				label: s.label,
				data: s.values,
				backgroundColor: COLOURS[i % COLOURS.length],
				borderColor: COLOURS[i % COLOURS.length],
				tension: 0.2,
			})),
		},
		options: {
			maintainAspectRatio: false,
			animation: false,
			indexAxis: spec.horizontal ? "y" : "x",
			plugins: {
				legend: { display: spec.series.length > 1 },
				tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + fmt(Number(c.raw)) } },
			},
			scales: {
				[spec.horizontal ? "x" : "y"]: {
					beginAtZero: true,
					...(spec.percent ? { max: 1 } : {}),
					ticks: { precision: spec.percent ? undefined : 0, callback: (v: string | number) => fmt(Number(v)) },
				},
			},
		},
	});
}
