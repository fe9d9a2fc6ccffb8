#!/usr/bin/env bash
# One database and one role per service: a service can reach only its own tables. Runs once, when
# the Postgres volume is first initialised (docker-entrypoint-initdb.d).
set -euo pipefail
for service in scheduler accounts package drone_management delivery delivery_history identity api_gateway; do
  password="${SERVICE_DB_PASSWORD:-$service}"
  psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname postgres \
    -v role="$service" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
  echo "created database and role $service"
done
