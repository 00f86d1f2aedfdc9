#!/usr/bin/env bash
# Runs every test: type check, lint, formatting, unit tests, then the integration and end-to-end
# tests against real PostgreSQL and Kafka (named in the environment, from Testcontainers where a
# container runtime exists, otherwise started here by infra/up.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh
setup_toolchain

log "generated resolver types"; "${PNPM[@]}" exec tsx scripts/codegen.ts --check
log "type check";   "${PNPM[@]}" exec tsc -p tsconfig.json --noEmit
log "lint";         "${PNPM[@]}" exec eslint . --max-warnings 0
log "formatting";   "${PNPM[@]}" exec prettier --check . --log-level warn
log "unit tests";   "${PNPM[@]}" exec jest --selectProjects unit --ci
log "integration and end-to-end tests"
# --forceExit: a Kafka client socket closing late must not keep CI waiting once every test has ended.
"${PNPM[@]}" exec jest --selectProjects integration --ci --maxWorkers=2 --forceExit
