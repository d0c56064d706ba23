#!/usr/bin/env bash
# web-build.sh - `make web`: installs the front end's npm packages (npm ci, only when
# package-lock.json changed since the last install) and builds web/ into web/dist. Without
# node, npm or the npm registry it says so and exits 0: the C server still builds and serves
# its API; the booking pages are then missing (and `make test`'s web suite fails).
set -uo pipefail
cd "$(dirname "$0")/../web"

skip() {
	echo "web: $* - the booking pages are not built (the API still works); see README 'Front end'" >&2
	exit 0
}

command -v node >/dev/null && command -v npm >/dev/null || skip "node or npm is missing (scripts/install-deps.sh installs them)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' ||
	skip "node $(node --version) is too old for Vite (20.19 or later needed)"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "web: npm ci" >&2
	npm ci --no-audit --no-fund --loglevel=error >&2 || skip "npm ci failed (no npm registry?)"
fi
npm run --silent build || { echo "web: the build failed" >&2; exit 1; }
