#!/usr/bin/env bash
# Makes Debian's PgBouncer available to the scale-out test (test/db/scale-out.test.ts), which starts
# its own instance in transaction mode in front of the test PostgreSQL. Installs the package when
# the binary is missing; never starts the system service. Silent when all is well.
set -euo pipefail
if command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; then exit 0; fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "ensure-pgbouncer: installing Debian's pgbouncer" >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
# The package may start its own service on 6432; the test runs its own instance on another port.
as_root service pgbouncer stop >/dev/null 2>&1 || true
