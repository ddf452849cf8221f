#!/bin/bash
# Cold start, idle memory and shutdown of the server on a database (docs/BENCHMARKS.md):
# drops the page cache (needs root), starts `xingshen serve`, times the first login page,
# reads the RSS 2 s and 10 s later, then sends SIGTERM and times the exit (the store is closed then).
#
# usage: benches/coldstart.sh DATABASE_DIR [PORT]   (B= the binary, default target/release/xingshen)
set -euo pipefail
B=${B:-target/release/xingshen}
DB=$(realpath "$1"); PORT=${2:-3991}
sync; echo 3 > /proc/sys/vm/drop_caches || echo "page cache NOT dropped (not root?)"
LOG=$(mktemp)
start=$(date +%s%N)
LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-target/site} RUST_LOG=info,surrealdb=warn,surrealkv=warn \
  "$B" --db "surrealkv://$DB" serve --addr "127.0.0.1:$PORT" > /dev/null 2> "$LOG" &
PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/login"; do
  kill -0 "$PID" 2> /dev/null || { cat "$LOG"; exit 1; }
  sleep 0.01
done
up=$(date +%s%N)
sleep 2; rss2=$(awk '/VmRSS/{print $2}' "/proc/$PID/status"); sleep 8
rss=$(awk '/VmRSS/{print $2}' "/proc/$PID/status")
echo "first page after $(( (up - start) / 1000000 )) ms; RSS 2 s later $(( rss2 / 1024 )) MB, 10 s later $(( rss / 1024 )) MB"
stopping=$(date +%s%N)
kill -TERM "$PID"
code=0; wait "$PID" || code=$?
echo "SIGTERM to exit: $(( ($(date +%s%N) - stopping) / 1000000 )) ms, exit code $code"
grep -E 'database closed|not closed cleanly' "$LOG" | sed 's/\x1b\[[0-9;]*m//g'
rm -f "$LOG"
