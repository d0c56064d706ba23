// vite.config.ts - builds the booking app into web/dist (served by bookd, embedded in the
// binary); `npm run dev` proxies /api to a running bookd (BOOKD_URL, default :8080).
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

export default defineConfig({
	plugins: [preact()],
	build: {
		outDir: "dist",
		emptyOutDir: true,
		assetsDir: "assets",
		target: "es2020",
		sourcemap: false,
	},
	server: {
		proxy: {
			"/api": { target: process.env.BOOKD_URL || "http://127.0.0.1:8080", changeOrigin: false },
		},
	},
});
