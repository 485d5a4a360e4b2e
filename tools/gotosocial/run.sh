#!/usr/bin/env bash
# Starts or stops the GoToSocial test server (a real Mastodon-API server, kept
# in memory, loaded with fixed test accounts) on 127.0.0.1 for relais's tests.
# The server itself is not part of relais: it is looked up in GOTOSOCIAL_DIR,
# by default ../shared/tools/gotosocial beside the repository.
#
#   eval "$(tools/gotosocial/run.sh start)"   # exports RELAIS_TEST_GOTOSOCIAL_URL
#   tools/gotosocial/run.sh stop
#
# Only the export line goes to stdout; progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dir="${GOTOSOCIAL_DIR:-$repo/../shared/tools/gotosocial}"
state="${GOTOSOCIAL_STATE_DIR:-${TMPDIR:-/tmp}/relais-gotosocial}"
port="${GOTOSOCIAL_PORT:-18080}"
pidfile="$state/pid"

log() { echo "gotosocial: $*" >&2; }

stop() {
	if [ -f "$pidfile" ]; then
		local pid
		pid="$(cat "$pidfile")"
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid"
			for _ in $(seq 1 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -9 "$pid" 2>/dev/null || true
		fi
		rm -f "$pidfile"
	fi
	rm -rf "$state/work"
}

start() {
	if [ ! -x "$dir/start.sh" ]; then
		log "no GoToSocial test server at $dir (set GOTOSOCIAL_DIR)"
		return 1
	fi
	stop
	mkdir -p "$state/work"
	nohup "$dir/start.sh" "$port" "$state/work" >"$state/log" 2>&1 &
	echo $! >"$pidfile"
	local url="http://127.0.0.1:$port"
	# The first start on a machine compiles ffmpeg's WASM (about a minute).
	for _ in $(seq 1 1800); do
		if curl -fsS "$url/api/v1/instance" >/dev/null 2>&1; then
			log "ready at $url (log: $state/log)"
			echo "export RELAIS_TEST_GOTOSOCIAL_URL=$url"
			return 0
		fi
		if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
			log "the server exited; its log follows"
			cat "$state/log" >&2
			return 1
		fi
		sleep 0.1
	done
	log "not ready after 180 s; its log follows"
	cat "$state/log" >&2
	stop
	return 1
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
*)
	echo "usage: $0 [start|stop]" >&2
	exit 2
	;;
esac
