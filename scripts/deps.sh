#!/usr/bin/env bash
# Installs every Debian package schema-advisor builds, tests and benchmarks with.
# Used by the README's two set-up commands and by .ci/run, so the three never drift apart.
set -euo pipefail
packages=(
  build-essential cmake pkg-config clang libclang-rt-14-dev clang-format time
  libpg-query-dev libprotobuf-c-dev libsqlitecpp-dev libsqlite3-dev sqlite3 zlib1g-dev libbz2-dev
  nlohmann-json3-dev doctest-dev libkainjow-mustache-dev libcli11-dev
  libpq-dev postgresql-15 postgresql-15-hypopg postgresql-client-15
  python3 python3-alembic python3-sqlalchemy python3-psycopg2 python3-jsonschema
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

# Squawk, the migration linter the end-to-end tests run on every emitted migration
# (tests/e2e/test_migrations_squawk.py), from npm: squawk-cli ships its binary in a per-platform
# optional dependency, so nothing is downloaded at install or test time beyond the npm packages.
# Pinned, so that its rules (and the tests' verdicts) only change when this line does.
squawk_version=2.66.0
if [ "$(squawk --version 2>/dev/null)" != "squawk $squawk_version" ]; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  if ! command -v npm >/dev/null; then
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq nodejs npm
  fi
  "${sudo_cmd[@]}" npm install --global --no-audit --no-fund "squawk-cli@$squawk_version"
fi
