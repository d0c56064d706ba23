#!/usr/bin/env bash
# Installs every Debian package bookd needs to build, run and test. Idempotent: it only calls
# apt-get when something is missing.
set -euo pipefail

PACKAGES=(
	build-essential pkg-config
	libmicrohttpd-dev  # HTTP server with its own thread pool
	libgnutls28-dev    # HTTPS: libmicrohttpd's TLS, and the certificate reload on SIGHUP
	libjansson-dev     # JSON
	libsqlite3-dev     # the default store
	libpq-dev          # the PostgreSQL store
	libsodium-dev      # random bytes, argon2id, constant-time compares
	libcurl4-openssl-dev # SMTP and HTTP clients
	libical-dev        # IANA zone rules and iCalendar
	libxml2-dev        # CalDAV: reading WebDAV multistatus answers (namespaces, no network)
	check              # C unit tests
	postgresql         # a real PostgreSQL for the tests
	curl wrk           # API checks and the HTTP benchmark
	python3            # the API test harness (Debian's /usr/bin/python3)
	python3-aiosmtpd   # the SMTP sink the notification tests send to
	python3-icalendar  # the calendar feed tests parse feeds back with a second reader
	radicale           # the CalDAV server the two-way sync tests and benchmark run against
	nginx-light        # the reverse proxy of the README's setup, tested in front of bookd
	cppcheck
	clang              # builds the libFuzzer targets of fuzz/ (make FUZZ=1, make fuzz)
	libclang-rt-dev    # clang's runtimes: libFuzzer, AddressSanitizer, UBSan for clang
)
# The front end (web/): node and npm build it, Debian's chromium runs its browser tests. A
# node that is already there (any packaging) is kept: Debian's npm would conflict with it.
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)
PACKAGES+=(chromium fonts-dejavu-core) # headless browser tests and their screenshots' font

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
