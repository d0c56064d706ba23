#!/usr/bin/env bash
# bench-web.sh - the web app's figures for `make bench`: the gzip size of the booking page's
# JavaScript (every script it loads from /assets; target 60 kB) and of the embed script
# bookd.js (target 5 kB), read from the precompressed files bookd serves; and, in chromium
# (web/tests/bench.mjs), the time from navigation start to the first slot on screen at
# 390x844 (target 1 s) and the gzip size of the scripts the staff dashboard's first page
# after login fetches (web.admin.js_gzip; without the browser, the booking entry plus the
# dashboard chunk).
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -f dist/index.html ]; then
	echo "bench: web/dist is not built (make web); no web figures" >&2
	exit 0
fi
# The staff dashboard's chunk (AdminApp-*) loads only on /admin: the booking page's figure
# leaves it out. The analytics page's chart chunk (charts-*) and the setup editors
# (SetupView-*) load only when those pages are opened: in neither figure.
js=0
admin=0
for f in dist/assets/*.js.gz; do
	case "$(basename "$f")" in
	AdminApp-*) admin=$((admin + $(wc -c <"$f"))) ;;
	charts-* | SetupView-*) ;;
	*) js=$((js + $(wc -c <"$f"))) ;;
	esac
done
echo "bench web.booking.js_gzip $(awk -v b="$js" 'BEGIN {printf "%.1f", b / 1024}') kB"
echo "bench web.embed.js_gzip $(awk -v b="$(wc -c <dist/bookd.js.gz)" 'BEGIN {printf "%.1f", b / 1024}') kB"
# The browser figures need the browser and a built bookd.
if [ -x /usr/bin/chromium ] && [ -x ../build/bookd ] && [ -d node_modules/playwright-core ]; then
	node tests/bench.mjs || echo "bench: the browser figures could not be measured" >&2
else
	echo "bench web.admin.js_gzip $(awk -v b="$((js + admin))" 'BEGIN {printf "%.1f", b / 1024}') kB"
fi
