#!/usr/bin/env bash
# Install (Debian package) and start a PostgreSQL server on loopback for the store tests, with a
# role and database for them. Prints the URL to use; prints nothing and exits 1 if it cannot.
set -uo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2 || exit 1
  else
    exit 1
  fi
fi
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if command -v pg_lsclusters >/dev/null 2>&1; then
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$ver main$"; then
    pg_createcluster "$ver" main >/dev/null 2>&1 || exit 1
  fi
  pg_ctlcluster "$ver" main start >/dev/null 2>&1 || pg_lsclusters -h | grep -q online || exit 1
else
  exit 1
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
  su postgres -c "psql -p $port -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
su postgres -c "psql -p $port -qtAc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='sitrep') THEN CREATE ROLE sitrep LOGIN PASSWORD 'sitrep' CREATEDB; END IF; END \\\$\\\$;\"" >/dev/null 2>&1 || exit 1
su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname='sitrep_test'\"" | grep -q 1 \
  || su postgres -c "createdb -p $port -O sitrep sitrep_test" >/dev/null 2>&1 || exit 1
echo "postgresql://sitrep:sitrep@127.0.0.1:$port/sitrep_test"
