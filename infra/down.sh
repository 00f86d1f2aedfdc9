#!/usr/bin/env bash
# Stop what infra/up.sh started (Kafka, then PostgreSQL). Data is kept.
#   infra/down.sh --purge   also deletes the state dir (${XUEJI_STATE_DIR:-/var/tmp/xueji}); the jar cache is kept.
set -euo pipefail

STATE_DIR="${XUEJI_STATE_DIR:-/var/tmp/xueji}"
PG_DATA="$STATE_DIR/pg/data"
KAFKA_PID="$STATE_DIR/kafka/kafka.pid"
PURGE=0
case "${1:-}" in
  --purge) PURGE=1 ;;
  "") ;;
  *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac
log() { echo "[infra] $*" >&2; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Kafka
if [[ -f "$KAFKA_PID" ]]; then
  pid=$(cat "$KAFKA_PID")
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q 'kafka\.Kafka' "/proc/$pid/cmdline" 2>/dev/null; then
    log "stopping Kafka (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then log "Kafka did not stop in 30s, killing"; kill -KILL "$pid" || true; fi
  else
    log "Kafka not running"
  fi
  rm -f "$KAFKA_PID"
else
  log "Kafka not started by up.sh (no pid file)"
fi

# PostgreSQL
if [[ -f "$PG_DATA/PG_VERSION" ]]; then
  v=$(cat "$PG_DATA/PG_VERSION")
  bin="/usr/lib/postgresql/$v/bin"
  [[ -x "$bin/pg_ctl" ]] || bin=$(dirname "$(command -v pg_ctl)")
  if as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "stopping PostgreSQL ($PG_DATA)"
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
  else
    log "PostgreSQL not running"
  fi
else
  log "no local PostgreSQL cluster in $STATE_DIR"
fi

if [[ $PURGE -eq 1 ]]; then
  case "$STATE_DIR" in /|"$HOME"|/var|/var/tmp|/tmp) echo "refusing to delete $STATE_DIR" >&2; exit 1 ;; esac
  log "deleting $STATE_DIR"
  rm -rf "$STATE_DIR"
fi
