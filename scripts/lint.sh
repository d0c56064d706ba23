#!/usr/bin/env bash
# lint.sh - the house style's banned functions (STYLE.md rule 9), then cppcheck.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|gets|atoi|rand|localtime|gmtime|mktime)\s*\(' \
	--include='*.c' --include='*.h' src tests bench fuzz | grep -vE '\b(snprintf|vsnprintf)\s*\(' |
	grep -vE '^[^:]+:[0-9]+:\s*(/\*|\*|//)' || true)
bad="$bad$(grep -rn 'setenv("TZ"' --include='*.c' src tests bench fuzz || true)"
if [ -n "$bad" ]; then
	echo "lint: banned functions (STYLE.md rule 9):"
	echo "$bad"
	exit 1
fi
# A request owns its database connection (api/app.c): no handler borrows or returns one.
owned=$(grep -rnE '\bdb_(acquire|release)\s*\(' --include='*.c' src/api | grep -v '^src/api/app\.c:' || true)
if [ -n "$owned" ]; then
	echo "lint: handlers take the request's connection with app_db (api/app.h), never db_acquire:"
	echo "$owned"
	exit 1
fi
if command -v cppcheck >/dev/null 2>&1; then
	if ! cppcheck -q --error-exitcode=1 --std=c11 --enable=warning,portability \
		--suppress=missingIncludeSystem --inline-suppr -D__GNUC__ -Isrc src fuzz 2>&1; then
		echo "lint: cppcheck found problems"
		exit 1
	fi
fi
exit 0
