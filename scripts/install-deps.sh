#!/usr/bin/env bash
# Installs every Debian package bookd needs to build, run and test. Idempotent: it only calls
# apt-get when something is missing.
set -euo pipefail

PACKAGES=(
	build-essential pkg-config
	libmicrohttpd-dev  # HTTP server with its own thread pool
	libjansson-dev     # JSON
	libsqlite3-dev     # the default store
	libpq-dev          # the PostgreSQL store
	libsodium-dev      # random bytes, argon2id, constant-time compares
	libcurl4-openssl-dev # SMTP and HTTP clients
	libical-dev        # IANA zone rules and iCalendar
	check              # C unit tests
	postgresql         # a real PostgreSQL for the tests
	curl wrk           # API checks and the HTTP benchmark
	python3            # the API test harness (Debian's /usr/bin/python3)
	python3-aiosmtpd   # the SMTP sink the notification tests send to
	cppcheck
	clang              # builds the libFuzzer targets of fuzz/ (make FUZZ=1, make fuzz)
	libclang-rt-dev    # clang's runtimes: libFuzzer, AddressSanitizer, UBSan for clang
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root to install)" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
