#!/usr/bin/env bash
# Starts the whole system on this machine: PostgreSQL and Kafka (infra/up.sh), the six subgraphs
# (each runs its migrations), the gateway, then loads demo data. Re-running restarts the services.
# They run as in production (NODE_ENV=production), with secrets generated once per state directory
# ($XUEJI_STATE_DIR/jwt-secret and gateway-secret), and introspection on for the demo.
# The demo loads DEMO_PROVINCE (default 220000, Jilin) and runs its policy profile (jilin; see
# profileForRegion in packages/policy) unless XUEJI_POLICY_PROFILE names another.
# Logs: $XUEJI_STATE_DIR/logs/*.log. Stop with: bash scripts/stop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh
setup_toolchain

STATE_DIR=${XUEJI_STATE_DIR:-/var/tmp/xueji}
bash infra/up.sh >/dev/null
set -a; . "$STATE_DIR/infra.env"; set +a
mkdir -p "$STATE_DIR/logs" "$STATE_DIR/run"
# The subgraphs answer only the gateway, which shows them this secret: made once per state
# directory (kept across restarts), unless XUEJI_GATEWAY_SECRET is set already.
if [ -z "${XUEJI_GATEWAY_SECRET:-}" ]; then
  if [ ! -s "$STATE_DIR/gateway-secret" ]; then
    (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))' >"$STATE_DIR/gateway-secret")
  fi
  XUEJI_GATEWAY_SECRET=$(cat "$STATE_DIR/gateway-secret")
fi
export XUEJI_GATEWAY_SECRET
# The services and the gateway run as in production (NODE_ENV=production): tokens are signed with a
# secret of this state directory, made once (kept across restarts) unless XUEJI_JWT_SECRET is set
# already, never with the development secret published in the code. `pnpm token` and the demo seed
# read it from $STATE_DIR/jwt-secret.
if [ -z "${XUEJI_JWT_SECRET:-}" ]; then
  if [ ! -s "$STATE_DIR/jwt-secret" ]; then
    (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))' >"$STATE_DIR/jwt-secret")
  fi
  XUEJI_JWT_SECRET=$(cat "$STATE_DIR/jwt-secret")
fi
export XUEJI_JWT_SECRET
# Production refuses a fixed clock and stack traces in errors: say so now rather than in a log.
for setting in XUEJI_CLOCK_DATE XUEJI_DEBUG_ERRORS; do
  if [ -n "${!setting:-}" ]; then log "$setting is refused in production mode (NODE_ENV=production): unset it"; exit 1; fi
done
# Introspection is off in production unless asked for: the demo asks, for GraphQL clients and
# explorers (XUEJI_INTROSPECTION=false bash scripts/start.sh turns it off).
export XUEJI_INTROSPECTION=${XUEJI_INTROSPECTION:-true}
export DEMO_PROVINCE=${DEMO_PROVINCE:-220000}
XUEJI_POLICY_PROFILE=$("${PNPM[@]}" exec tsx scripts/seed-demo.ts --profile)
export XUEJI_POLICY_PROFILE
log "demo province $DEMO_PROVINCE; policy profile: $XUEJI_POLICY_PROFILE"
bash scripts/stop.sh --services-only

start_process() { # name dir port
  local name=$1 dir=$2 port=$3
  # The subshell execs into node: the pid file holds the service's own pid, and no shell keeps our
  # terminal's descriptors open.
  (cd "$dir" && NODE_ENV=production PORT=$port exec nohup node --import tsx src/main.ts) >"$STATE_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/run/$name.pid"
}

wait_healthy() { # name port
  local name=$1 port=$2
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$STATE_DIR/run/$name.pid")" 2>/dev/null || { log "$name failed to start:"; tail -20 "$STATE_DIR/logs/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  log "$name did not become healthy; see $STATE_DIR/logs/$name.log"; exit 1
}

declare -A PORTS=([enrolment]=4001 [status-change]=4002 [assessment]=4003 [graduation]=4004 [subsidy]=4005 [partners]=4006)
for name in enrolment status-change assessment graduation subsidy partners; do
  start_process "$name" "services/$name" "${PORTS[$name]}"
done
for name in enrolment status-change assessment graduation subsidy partners; do
  wait_healthy "$name" "${PORTS[$name]}"; log "$name subgraph up on :${PORTS[$name]}"
done
start_process gateway gateway 4000
wait_healthy gateway 4000

log "loading demo data"
"${PNPM[@]}" exec tsx scripts/seed-demo.ts

cat <<MSG

  Gateway:  http://127.0.0.1:4000/graphql   (health: http://127.0.0.1:4000/health)
            ready:   http://127.0.0.1:4000/ready    metrics: http://127.0.0.1:4000/metrics (and on each subgraph's port)
  Demo:     DEMO_PROVINCE=$DEMO_PROVINCE, policy profile: $XUEJI_POLICY_PROFILE
            (XUEJI_POLICY_PROFILE=<id> bash scripts/start.sh runs another)
  Token:    pnpm token --role AUTHORITY_REVIEWER --region 220000
            pnpm token --role SCHOOL_REGISTRAR --school <school id>
            pnpm token --role SUBSIDY_OFFICER --region 220100
            pnpm token --role ADMINISTRATOR          (registers partners: registerPartner)
            pnpm token --role PARTNER --subject <partner id>   (partnerChanges)
  Try:      curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' \\
              -H "authorization: Bearer \$(pnpm -s token --role AUTHORITY_REVIEWER --region 220000)" \\
              -d '{"query":"{ schools { id name regionCode } }"}'
  Logs:     $STATE_DIR/logs/      Stop: bash scripts/stop.sh

MSG
