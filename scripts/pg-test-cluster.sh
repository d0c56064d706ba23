#!/usr/bin/env bash
# pg-test-cluster.sh - a throwaway PostgreSQL 15 cluster for tests, on a free loopback port.
#
#   pg-test-cluster.sh start DIR   creates and starts a cluster in DIR (a unix socket dir inside
#                                  it), creates the database bookd_test and prints exactly one
#                                  line on stdout: postgres://USER@127.0.0.1:PORT/bookd_test
#   pg-test-cluster.sh stop DIR    stops it and removes DIR; nothing to do is not an error
#
# Trust authentication on loopback and fsync off: for tests only, never for data you keep.
# PG_DURABLE=1 keeps PostgreSQL's durable defaults (fsync, synchronous_commit, full-page
# writes) instead, for benchmarks whose commits must reach the disk.
# initdb refuses to run as root, so as root the server runs as the `postgres` system user and
# DIR belongs to it. Diagnostics go to stderr; the server log is DIR/log.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
MARKER=.bookd-pg-test-cluster
DB_NAME=bookd_test

die() {
	echo "pg-test-cluster: $*" >&2
	exit 1
}

usage() {
	echo "usage: $0 start DIR | stop DIR" >&2
	exit 2
}

# The account that runs the server binaries, and so the cluster's superuser.
if [ "$(id -u)" -eq 0 ]; then
	PG_USER=postgres
	id -u "$PG_USER" >/dev/null 2>&1 || die "running as root but there is no '$PG_USER' user"
	as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
	PG_USER=$(id -un)
	as_pg() { "$@"; }
fi

# Prints a TCP port on 127.0.0.1 that was free a moment ago (bound, then released).
free_port() {
	local py
	for py in /usr/bin/python3 python3; do
		if command -v "$py" >/dev/null 2>&1; then
			"$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
			return
		fi
	done
	# No python: probe random high ports until nothing answers on one.
	local port i
	for i in $(seq 1 200); do
		port=$((20000 + (RANDOM % 30000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port found"
}

url_of() {
	echo "postgres://$PG_USER@127.0.0.1:$1/$DB_NAME"
}

running() { # DIR
	[ -f "$1/data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

cmd_start() {
	local dir=$1
	# Already ours and running: start is idempotent, print the same URL again.
	if [ -f "$dir/$MARKER" ] && [ -f "$dir/port" ] && running "$dir"; then
		url_of "$(cat "$dir/port")"
		return
	fi
	if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ] && [ ! -f "$dir/$MARKER" ]; then
		die "$dir exists and is not a test cluster; refusing to use it"
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	touch "$dir/$MARKER"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$PG_USER:" "$dir"
		# A parent made by mktemp -d is 0700 root: let the server's user pass through it
		# (search permission only, no listing).
		local a=$dir
		while a=$(dirname "$a") && [ "$a" != / ]; do
			if ! as_pg test -x "$a"; then
				echo "pg-test-cluster: granting $PG_USER passage through $a (chmod o+x)" >&2
				chmod o+x "$a"
			fi
		done
	fi
	as_pg test -w "$dir" || die "$dir is not writable by $PG_USER (is a parent directory closed to it?)"
	# Unix socket paths are limited to 107 bytes: DIR/sock/.s.PGSQL.NNNNN must fit.
	[ ${#dir} -le 80 ] || die "$dir is too long a path for a unix socket directory"

	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_pg rm -rf "$dir/data"
		as_pg "$PG_BIN/initdb" -D "$dir/data" -U "$PG_USER" --auth=trust -E UTF8 \
			--locale=C --no-sync --no-instructions >"$dir/initdb.log" 2>&1 ||
			die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
	fi
	as_pg mkdir -p "$dir/sock"

	local port attempt fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_DURABLE:-0}" = 1 ] && fast=
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 -s \
			-o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 $fast \
-c max_connections=200 -c shared_buffers=32MB -c max_wal_size=1GB -c checkpoint_timeout=30min \
-c autovacuum=off -c jit=off -c log_min_messages=warning" start >&2; then
			break
		fi
		port=
		echo "pg-test-cluster: start on port attempt $attempt failed, retrying" >&2
	done
	[ -n "$port" ] || die "could not start the server: $(tail -n 5 "$dir/log" 2>/dev/null)"
	as_pg sh -c "echo $port > '$dir/port'"

	local i
	for i in $(seq 1 100); do
		if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U "$PG_USER"; then
			break
		fi
		[ "$i" -lt 100 ] || die "server did not become ready: $(tail -n 5 "$dir/log")"
		sleep 0.1
	done
	if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres -XAtq \
		-c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
		"$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$PG_USER" "$DB_NAME" ||
			die "createdb $DB_NAME failed"
	fi
	url_of "$port"
}

cmd_stop() {
	local dir=$1
	[ -e "$dir" ] || return 0
	[ -f "$dir/$MARKER" ] || die "$dir is not a test cluster; refusing to remove it"
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 -s stop >&2 2>/dev/null || true
	fi
	rm -rf "$dir"
}

[ $# -eq 2 ] || usage
case $1 in
start) cmd_start "$2" ;;
stop) cmd_stop "$2" ;;
*) usage ;;
esac
