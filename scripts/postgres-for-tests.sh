#!/usr/bin/env bash
# Install (if needed) and start Debian's PostgreSQL, create a throwaway test database, and print its URL.
# Usage: export TROTH_TEST_DATABASE_URL="$(scripts/postgres-for-tests.sh)"
# Run as root (CI and the development machines are); everything it says goes to stderr except the URL.
set -euo pipefail

DB_NAME="${TROTH_TEST_DB_NAME:-troth_test}"
DB_USER="troth"
DB_PASSWORD="troth"

if ! command -v pg_lsclusters >/dev/null 2>&1; then
    echo "installing PostgreSQL from Debian's packages" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
if [[ "$status" != online* ]]; then
    echo "starting PostgreSQL $version/$cluster on port $port" >&2
    pg_ctlcluster "$version" "$cluster" start >&2
fi

as_postgres() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $port $*" >&2; }
as_postgres "-c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD' CREATEDB; END IF; END \\\$\\\$;\""
as_postgres "-c 'DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)'"
as_postgres "-c 'CREATE DATABASE $DB_NAME OWNER $DB_USER'"

echo "postgresql+psycopg://$DB_USER:$DB_PASSWORD@127.0.0.1:$port/$DB_NAME"
