#!/usr/bin/env bash
# Makes a PostgreSQL server available to the test suite and writes its URL to
# .tmp/test-database-url (read by test/support). Order: $TEST_DATABASE_URL; a server already on
# 127.0.0.1:5432; an installed but stopped Debian cluster; else install Debian's postgresql.
# Idempotent and silent when all is well.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.tmp/test-database-url
default_url="postgres://postgres@127.0.0.1:5432/postgres"
password_url="postgres://postgres:postgres@127.0.0.1:5432/postgres"

say() { echo "ensure-postgres: $*" >&2; }

# Connects and runs `select 1`, so a wrong password fails here rather than in every test file.
answers() {
  node --input-type=module -e '
    import pg from "pg";
    const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    try { await c.connect(); await c.query("select 1"); await c.end(); }
    catch { process.exit(1); }
  ' "$1" >/dev/null 2>&1
}

port_open() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p 5432 -t 3
  else
    node -e 'const s=require("net").connect(5432,"127.0.0.1");s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),3000)'
  fi
}

write_url() {
  mkdir -p .tmp
  if [ ! -f "$out" ] || [ "$(cat "$out")" != "$1" ]; then printf '%s\n' "$1" >"$out"; fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

try_local() {
  local url
  for url in "$default_url" "$password_url"; do
    if answers "$url"; then write_url "$url"; return 0; fi
  done
  return 1
}

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  if answers "$TEST_DATABASE_URL"; then write_url "$TEST_DATABASE_URL"; exit 0; fi
  say "TEST_DATABASE_URL is set but does not answer: $TEST_DATABASE_URL"
  exit 1
fi

if port_open && try_local; then exit 0; fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  say "no PostgreSQL on 127.0.0.1:5432; installing Debian's postgresql"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  as_root pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi

for _ in $(seq 1 30); do port_open && break; sleep 1; done

if try_local; then exit 0; fi

# Debian's default is scram-sha-256 over TCP; give the postgres role a known test password
# (through the Unix socket's peer auth) rather than weakening pg_hba.conf to trust.
as_postgres psql -q -c "alter user postgres password 'postgres'" >/dev/null
if try_local; then exit 0; fi

say "PostgreSQL $version is running but the tests cannot connect as postgres on 127.0.0.1:5432"
exit 1
