# Sourced by scripts/start.sh and scripts/test.sh: makes sure the toolchain and the packages are here.
# Installs what is missing: pnpm from the npm registry, a JDK and Maven from Debian's packages
# (Kafka runs from Maven Central jars; PostgreSQL is installed by infra/up.sh).

log() { printf '[xueji] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1
  fi
}

apt_install() {
  log "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_node() {
  if ! command -v node >/dev/null; then log "Node.js >= 20.19 is required"; exit 1; fi
  local v; v=$(node -p 'process.versions.node')
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || { log "Node.js $v is too old; >= 20.19 is required"; exit 1; }
}

PNPM_VERSION=$(node -p 'require("./package.json").packageManager.split("@")[1]')
ensure_pnpm() {
  if command -v pnpm >/dev/null && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then PNPM=(pnpm); return; fi
  if [ "$(id -u)" = 0 ]; then
    log "installing pnpm $PNPM_VERSION"
    npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null 2>&1 && PNPM=(pnpm) && return
  fi
  PNPM=(npx --yes "pnpm@$PNPM_VERSION")
}

ensure_java() {
  local missing=()
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || missing+=(maven)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# Certificates: a CJK font for their PDFs (Debian's WenQuanYi Micro Hei), poppler's tools with
# which the tests read a PDF back, and Chromium for the lookup page's browser test.
ensure_document_tools() {
  local missing=()
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  # The public lookup page is tested in a real headless browser.
  command -v chromium >/dev/null || missing+=(chromium)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

ensure_packages() {
  if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
    log "installing npm packages (pnpm install --frozen-lockfile)"
    "${PNPM[@]}" install --frozen-lockfile --reporter=silent
  fi
}

setup_toolchain() {
  ensure_node
  ensure_pnpm
  ensure_packages
  ensure_document_tools
  # Java and Maven only when this machine runs Kafka itself.
  if [ -z "${KAFKA_BROKERS:-}" ]; then ensure_java; fi
}
