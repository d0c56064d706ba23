#!/usr/bin/env bash
# run.sh - `make run`: migrate, load the demo business if absent, serve on 127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${BOOKD_DB:-sqlite:bookd.db}
build/bookd migrate --db "$DB"
build/bookd demo --db "$DB"
echo "bookd: http://127.0.0.1:8080/healthz and /api/v1/public/demo/services - Ctrl-C stops"
exec build/bookd serve --db "$DB" --listen "${BOOKD_LISTEN:-127.0.0.1:8080}"
