#!/usr/bin/env bash
# Runs every check and test: formatting, clippy, and all tests on SQLite and on PostgreSQL
# (a throwaway cluster started here). With CI=true a missing PostgreSQL is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

# A clean clone builds once: incremental state would only double the target directory
# (about 10 GB) on a machine whose disk is not ours to fill.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

find_pg_bin() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir 2>/dev/null)/initdb" ]; then
    pg_config --bindir; return
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; fi
}

PGBIN=$(find_pg_bin || true)
if [ -z "$PGBIN" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  log "installing PostgreSQL with apt"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || true
  PGBIN=$(find_pg_bin || true)
fi

PGTMP=""
cleanup() {
  if [ -n "$PGTMP" ] && [ -d "$PGTMP" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
  fi
}
trap cleanup EXIT

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}

if [ -n "$PGBIN" ]; then
  PGUSER_OS=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root.
    PGUSER_OS=postgres
    id -u "$PGUSER_OS" >/dev/null 2>&1 || useradd --system --no-create-home "$PGUSER_OS"
  fi
  PGTMP=$(mktemp -d /tmp/hjt-pg.XXXXXX)
  chmod 755 "$PGTMP"
  [ "$(id -u)" = 0 ] && chown "$PGUSER_OS" "$PGTMP"
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
  log "starting a throwaway PostgreSQL ($PGBIN) on port $PGPORT"
  as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 >"$PGTMP/initdb.log" 2>&1
  # TLS with a throwaway self-signed certificate, so the TLS test has something to talk to.
  SSL_OPTS=""
  if command -v openssl >/dev/null 2>&1; then
    openssl req -new -x509 -days 2 -nodes -subj "/CN=127.0.0.1" \
      -keyout "$PGTMP/data/server.key" -out "$PGTMP/data/server.crt" >/dev/null 2>&1
    chmod 600 "$PGTMP/data/server.key"
    [ "$(id -u)" = 0 ] && chown "$PGUSER_OS" "$PGTMP/data/server.key" "$PGTMP/data/server.crt"
    SSL_OPTS="-c ssl=on"
    export TEST_DATABASE_TLS=1
  elif [ "${CI:-}" = "true" ]; then
    echo "openssl is not available to make the test cluster's certificate: under CI that is a failure" >&2
    exit 1
  fi
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
    -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off $SSL_OPTS" \
    start >/dev/null
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not available and could not be installed: under CI that is a failure" >&2
  exit 1
else
  echo "WARNING: PostgreSQL not available; running the SQLite tests only" >&2
fi

# Headless Chromium (Debian package) for the tests that load printable pages in a real browser.
find_chromium() {
  local b
  for b in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$b" ] && command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return; }
  done
}
if [ -z "$(find_chromium)" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  log "installing Chromium with apt"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
fi
CHROMIUM=$(find_chromium || true)
if [ -n "$CHROMIUM" ]; then
  export CHROMIUM
elif [ "${CI:-}" = "true" ]; then
  echo "headless Chromium is not available and could not be installed: under CI that is a failure" >&2
  exit 1
else
  echo "WARNING: Chromium not available; the browser tests are skipped" >&2
fi

# Plain-text accounting tools that check the journal exports independently: hledger (Debian
# package), beancount and beanquery (PyPI, in the tools virtualenv with schemathesis).
# jq: the README's walk-throughs use it, and scripts/walkthrough.py runs them.
missing=""
for pkg in hledger jq; do command -v "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
if [ -n "$missing" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  log "installing$missing with apt"
  # shellcheck disable=SC2086 # one word per package
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) || true
fi
VENV=.venv-tools
if [ ! -x "$VENV/bin/schemathesis" ] || [ ! -x "$VENV/bin/bean-check" ] || [ ! -x "$VENV/bin/bean-query" ]; then
  log "installing schemathesis, beancount and beanquery into $VENV"
  { [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"; } \
    && "$VENV/bin/pip" install -q "schemathesis>=4.3,<5" "beancount>=3,<4" "beanquery>=0.2,<0.3" \
    || echo "could not install the Python tools into $VENV" >&2
fi
for t in hledger jq "$VENV/bin/bean-check" "$VENV/bin/bean-query" "$VENV/bin/schemathesis"; do
  if ! command -v "$t" >/dev/null 2>&1 && [ ! -x "$t" ]; then
    if [ "${CI:-}" = "true" ]; then
      echo "$t is not available and could not be installed: under CI that is a failure" >&2
      exit 1
    fi
    echo "WARNING: $t not available; the tests that need it are skipped" >&2
  fi
done
export BEAN_CHECK="$PWD/$VENV/bin/bean-check" BEAN_QUERY="$PWD/$VENV/bin/bean-query"

log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
log "cargo test (SQLite${TEST_DATABASE_URL:+ and PostgreSQL})"
cargo test --workspace --no-fail-fast -- --test-threads 2
log "openapi/openapi.json is what the code serves"
cargo run -q -p api -- openapi | diff -u openapi/openapi.json - >/dev/null \
  || { echo "openapi/openapi.json is stale: cargo run -p api -- openapi > openapi/openapi.json" >&2; exit 1; }
log "the README's walk-throughs, run as written against a fresh service"
cargo build -q -p api
API_BIN="${CARGO_TARGET_DIR:-target}/debug/api"
# Under CI a missing tool has already failed the run above.
if command -v jq >/dev/null 2>&1 && command -v hledger >/dev/null 2>&1 && [ -x "$VENV/bin/bean-check" ]; then
  API_BIN="$API_BIN" PATH="$PWD/$VENV/bin:$PATH" python3 scripts/walkthrough.py README.md
else
  echo "WARNING: jq, hledger or bean-check missing; the README's walk-throughs are not run" >&2
fi
log "schemathesis against the running service, a token of each role"
if [ -x "$VENV/bin/schemathesis" ]; then
  fuzz_against() { # $1: the DATABASE_URL of a fresh database
    local dir port pid role token
    dir=$(mktemp -d /tmp/hjt-st.XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    DATA_DIR="$dir" DATABASE_URL="${1:-$dir/st.sqlite}" JWT_SECRET=schemathesis-secret \
      BIND="127.0.0.1:$port" RUST_LOG=error "$API_BIN" >"$dir/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
    cp scripts/schemathesis.toml "$dir/"
    for role in finance caseworker controller admin operator payroll_firm; do
      token=$(JWT_SECRET=schemathesis-secret "$API_BIN" token --role "$role" --municipality 101)
      if ! (cd "$dir" && "$OLDPWD/$VENV/bin/schemathesis" run \
        "http://127.0.0.1:$port/openapi.json" -H "Authorization: Bearer $token" \
        --phases examples,coverage,fuzzing,stateful \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,positive_data_acceptance,missing_required_header,use_after_free,ensure_resource_availability,ignored_auth \
        --max-examples 15 --max-failures 20 --seed 20261125 --no-color); then
        kill "$pid" 2>/dev/null
        echo "schemathesis found failures as $role" >&2
        exit 1
      fi
    done
    kill "$pid" 2>/dev/null || true
  }
  fuzz_against ""
  if [ -n "${TEST_DATABASE_URL:-}" ]; then
    STDB="st_$(date +%s)_$$"
    psql -q "$TEST_DATABASE_URL" -c "CREATE DATABASE $STDB" >/dev/null
    fuzz_against "${TEST_DATABASE_URL%/*}/$STDB"
  fi
fi

log "benchmark smoke run"
cargo run -q -p bench -- --db sqlite --clients 4 --entries 200
cargo run -q -p bench -- --mode payroll --db sqlite --decisions 2000
cargo run -q -p bench -- --mode import --db sqlite --rows 2000 --cases 10
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  cargo run -q -p bench -- --db postgres --database-url "$TEST_DATABASE_URL" --clients 4 --entries 200
  cargo run -q -p bench -- --mode payroll --db postgres --database-url "$TEST_DATABASE_URL" --decisions 2000
  cargo run -q -p bench -- --mode import --db postgres --database-url "$TEST_DATABASE_URL" --rows 2000 --cases 10
fi
log "all checks passed"
