#!/usr/bin/env bash
# Makes poppler-utils (pdftotext, pdfinfo, pdftoppm) available to the document tests, which read
# every rendered PDF back with them. Installs Debian's package when pdftotext is missing, like
# ensure-postgres.sh does for PostgreSQL. Idempotent and silent when all is well.
set -euo pipefail

say() { echo "ensure-poppler: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "pdftotext is missing and apt-get is not available: install poppler-utils by hand"
  exit 1
fi
say "installing poppler-utils"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq >/dev/null
as_root apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
command -v pdftotext >/dev/null 2>&1 || { say "pdftotext still missing after install"; exit 1; }
