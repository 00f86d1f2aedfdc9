#!/usr/bin/env bash
# Stops the gateway and the subgraphs started by scripts/start.sh, then PostgreSQL and Kafka.
# --services-only leaves PostgreSQL and Kafka running.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE_DIR=${XUEJI_STATE_DIR:-/var/tmp/xueji}
for pidfile in "$STATE_DIR"/run/*.pid; do
  [ -e "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
done
[ "${1:-}" = "--services-only" ] || bash infra/down.sh
