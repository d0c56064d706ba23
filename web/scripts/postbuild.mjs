// postbuild.mjs - completes web/dist after `vite build`: the PWA icons (drawn here, no image
// tools), the service worker with the shell's file list, the embed script bookd.js, and
// precompressed .gz and .br siblings of every text file (node's zlib; nothing to install).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";

const DIST = "dist";

// --- icons: a calendar page on the accent colour ---------------------------------------
function crc32(buf) {
	let c, crc = 0xffffffff;
	for (let n = 0; n < buf.length; n++) {
		c = (crc ^ buf[n]) & 0xff;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		crc = (crc >>> 8) ^ c;
	}
	return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
	const raw = Buffer.alloc((size * 4 + 1) * size);
	for (let y = 0; y < size; y++) {
		raw[y * (size * 4 + 1)] = 0;
		for (let x = 0; x < size; x++) {
			const [r, g, b, a] = pixel(x / size, y / size);
			const o = y * (size * 4 + 1) + 1 + x * 4;
			raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = a;
		}
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}
const ACCENT = [0x1f, 0x5f, 0x8b, 255], WHITE = [255, 255, 255, 255], CLEAR = [0, 0, 0, 0];
function icon(inset, rounded) {
	return (u, v) => {
		const r = 0.18;
		if (rounded) {
			const cx = Math.min(Math.max(u, r), 1 - r), cy = Math.min(Math.max(v, r), 1 - r);
			if ((u - cx) ** 2 + (v - cy) ** 2 > r * r) return CLEAR;
		}
		const s = inset, a = s + (1 - 2 * s) * 0.22, b = 1 - a; // the page
		if (u < a || u > b || v < a || v > b) return ACCENT;
		const top = a + (b - a) * 0.22;
		if (v < top) return [0xd9, 0xe6, 0xf0, 255];
		const gx = (u - a) / (b - a), gy = (v - top) / (b - top);
		const cell = Math.floor(gx * 4) + 4 * Math.floor(gy * 3);
		const inCell = gx * 4 % 1 > 0.15 && gx * 4 % 1 < 0.85 && gy * 3 % 1 > 0.15 && gy * 3 % 1 < 0.85;
		if (inCell) return cell === 6 ? ACCENT : [0xc9, 0xd0, 0xd6, 255];
		return WHITE;
	};
}
mkdirSync(join(DIST, "icons"), { recursive: true });
writeFileSync(join(DIST, "icons/icon-192.png"), png(192, icon(0, true)));
writeFileSync(join(DIST, "icons/icon-512.png"), png(512, icon(0, true)));
writeFileSync(join(DIST, "icons/icon-maskable-512.png"), png(512, icon(0.1, false)));

// --- the embed script, comments and indentation dropped --------------------------------
const embed = readFileSync("src/embed/bookd.js", "utf8")
	.replace(/\/\*[\s\S]*?\*\//g, "")
	.split("\n")
	.map((l) => l.trim())
	.filter((l) => l)
	.join("\n");
writeFileSync(join(DIST, "bookd.js"), embed + "\n");

// --- the service worker -------------------------------------------------------------------
function walk(dir) {
	return readdirSync(dir).flatMap((n) => {
		const p = join(dir, n);
		return statSync(p).isDirectory() ? walk(p) : [p];
	});
}
// The staff dashboard's chunks (AdminApp-*: the calendar widget and the views; SetupView-*:
// the setup editors, loaded when one is first opened) stay out of the customers' offline
// shell: only /admin loads them. So does the analytics page's chart chunk (charts-*:
// Chart.js), which only that page loads.
const isAdmin = (p) => /(^|[\\/])(AdminApp|SetupView)-[^\\/]*$/.test(p);
const isSetup = (p) => /(^|[\\/])SetupView-[^\\/]*$/.test(p);
const isCharts = (p) => /(^|[\\/])charts-[^\\/]*$/.test(p);
const shell = ["/index.html", "/manifest.webmanifest", "/icons/icon-192.png"].concat(
	walk(join(DIST, "assets")).filter((p) => !isAdmin(p) && !isCharts(p)).map((p) => "/" + relative(DIST, p).split("\\").join("/")),
);
const version = createHash("sha256").update(shell.join("\n")).digest("hex").slice(0, 12);
const sw = readFileSync("src/sw-template.js", "utf8").replace("var SHELL = __SHELL__;", "var SHELL = " + JSON.stringify(shell) + ";").replace("bookd-shell-__VERSION__", "bookd-shell-" + version);
writeFileSync(join(DIST, "sw.js"), sw);

// --- precompressed siblings ---------------------------------------------------------------
const TEXT = /\.(html|js|mjs|css|webmanifest|json|svg|txt|map)$/;
for (const p of walk(DIST)) {
	if (!TEXT.test(p)) continue;
	const data = readFileSync(p);
	writeFileSync(p + ".gz", gzipSync(data, { level: 9 }));
	writeFileSync(p + ".br", brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
}
const js = walk(join(DIST, "assets")).filter((p) => p.endsWith(".js"));
const gzOf = (list) => list.reduce((n, p) => n + statSync(p + ".gz").size, 0);
const gz = gzOf(js.filter((p) => !isAdmin(p) && !isCharts(p)));
const adminGz = gz + gzOf(js.filter((p) => isAdmin(p) && !isSetup(p)));
const setupGz = gzOf(js.filter(isSetup));
const chartsGz = gzOf(js.filter(isCharts));
console.log("web: built dist/ (booking js " + (gz / 1024).toFixed(1) + " kB gzip, staff dashboard js " + (adminGz / 1024).toFixed(1) + " kB gzip, its setup editors " + (setupGz / 1024).toFixed(1) + " kB more, analytics charts " + (chartsGz / 1024).toFixed(1) + " kB gzip, bookd.js " + (statSync(join(DIST, "bookd.js.gz")).size / 1024).toFixed(1) + " kB gzip)");
