#!/usr/bin/env bash
# bench-web.sh - the web app's figures for `make bench`: the gzip size of the booking page's
# JavaScript (every script it loads from /assets; target 60 kB) and of the embed script
# bookd.js (target 5 kB), read from the precompressed files bookd serves.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -f dist/index.html ]; then
	echo "bench: web/dist is not built (make web); no web figures" >&2
	exit 0
fi
js=0
for f in dist/assets/*.js.gz; do
	js=$((js + $(wc -c <"$f")))
done
echo "bench web.booking.js_gzip $(awk -v b="$js" 'BEGIN {printf "%.1f", b / 1024}') kB"
echo "bench web.embed.js_gzip $(awk -v b="$(wc -c <dist/bookd.js.gz)" 'BEGIN {printf "%.1f", b / 1024}') kB"
