#!/usr/bin/env bash
# The Debian packages the tests use beyond npm's: PgBouncer, and the Python
# stack of the SQLAlchemy / FastAPI tests, run with Debian's /usr/bin/python3.
# Installs the missing ones (root, apt-get); elsewhere it says what it left
# out, and the tests that need them skip, naming the packages.
set -euo pipefail

packages=(
  pgbouncer
  python3-pytest
  python3-sqlalchemy
  python3-psycopg2
  python3-psycopg
  python3-asyncpg
  python3-fastapi
  python3-httpx
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ci-packages: all installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ci-packages: not installing ${missing[*]} (needs root and apt-get); the tests that use them will skip" >&2
  exit 0
fi

echo "ci-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
# The tests start their own PgBouncer on a free port; the package's service is not wanted.
if [[ " ${missing[*]} " == *" pgbouncer "* ]] && command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now pgbouncer >/dev/null 2>&1 || true
fi
