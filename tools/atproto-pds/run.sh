#!/usr/bin/env bash
# Installs (if needed) and starts the local PLC directory and Bluesky PDS on
# 127.0.0.1 for relais's end-to-end tests, or stops them.
#
#   eval "$(tools/atproto-pds/run.sh start)"   # exports ATPROTO_PDS_URL, ATPROTO_PLC_URL
#   tools/atproto-pds/run.sh stop
#
# Only the export lines go to stdout; progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${ATPROTO_STATE_DIR:-${TMPDIR:-/tmp}/relais-atproto-pds}"
pidfile="$state/pid"
plc_port="${ATPROTO_PLC_PORT:-2582}"
pds_port="${ATPROTO_PDS_PORT:-2583}"

log() { echo "atproto-pds: $*" >&2; }

# node_headers_dir prints the prefix under which the running Node's headers
# live (PREFIX/include/node/node.h), so node-gyp compiles better-sqlite3
# against them instead of downloading a header tarball.
node_headers_dir() {
	local bin prefix
	bin="$(command -v node)"
	bin="$(readlink -f "$bin")"
	for prefix in "$(dirname "$(dirname "$bin")")" \
		"$(node -p 'process.config.variables.node_prefix')" /usr /usr/local; do
		if [ -f "$prefix/include/node/node.h" ] && [ -f "$prefix/include/node/common.gypi" ]; then
			echo "$prefix"
			return 0
		fi
	done
	log "no Node headers found (install the nodejs development headers, e.g. Debian's libnode-dev)"
	return 1
}

install() {
	if [ -f "$here/node_modules/.package-lock.json" ] &&
		[ -f "$here/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ]; then
		return 0
	fi
	local nodedir
	nodedir="$(node_headers_dir)"
	log "npm ci (better-sqlite3 built from source against $nodedir/include/node)"
	(cd "$here" &&
		npm_config_nodedir="$nodedir" npm_config_build_from_source=true \
			npm ci --no-audit --no-fund --loglevel=error >&2)
}

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
		fi
		rm -f "$pidfile"
	fi
	if [ -f "$state/datadir" ]; then
		rm -rf "$(cat "$state/datadir")"
		rm -f "$state/datadir"
	fi
}

start() {
	install
	stop
	mkdir -p "$state"
	local data
	data="$(mktemp -d "${TMPDIR:-/tmp}/relais-pds-data.XXXXXX")"
	echo "$data" >"$state/datadir"
	ATPROTO_DATA_DIR="$data" ATPROTO_PLC_PORT="$plc_port" ATPROTO_PDS_PORT="$pds_port" \
		nohup node "$here/start.mjs" >"$state/log" 2>&1 &
	echo $! >"$pidfile"
	local url="http://127.0.0.1:$pds_port"
	for _ in $(seq 1 300); do
		if curl -fsS "$url/xrpc/_health" >/dev/null 2>&1; then
			log "ready at $url (log: $state/log)"
			echo "export ATPROTO_PDS_URL=$url"
			echo "export ATPROTO_PLC_URL=http://127.0.0.1:$plc_port"
			return 0
		fi
		if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
			log "the server exited; its log follows"
			cat "$state/log" >&2
			return 1
		fi
		sleep 0.1
	done
	log "not healthy after 30 s; its log follows"
	cat "$state/log" >&2
	stop
	return 1
}

case "${1:-start}" in
install) install ;;
start) start ;;
stop) stop ;;
*)
	echo "usage: $0 [install|start|stop]" >&2
	exit 2
	;;
esac
