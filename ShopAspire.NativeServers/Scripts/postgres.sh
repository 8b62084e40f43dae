#!/bin/sh
# Starts one private PostgreSQL server for the AppHost: initdb on first start, then exec postgres
# so that DCP's signals (stop, kill) reach the postmaster itself. As root both run as the
# unprivileged postgres user: initdb refuses to run as root.
# Usage: postgres.sh <bin dir> <resource folder> [postgres -c options...]; env PGPORT, POSTGRES_PASSWORD.
set -eu
bin="$1"; folder="$2"; shift 2
data="$folder/data"; sockets="$folder/run"
mkdir -p "$sockets"
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$folder" "$sockets"
  as_server="setpriv --reuid=postgres --regid=postgres --init-groups --"
  # A data root under a folder only root may enter (mktemp -d makes one) would fail initdb with
  # a bare "permission denied"; say what to change instead.
  if ! $as_server test -w "$folder"; then
    echo "postgres.sh: the postgres user cannot reach $folder: every folder above it must be searchable by other users (chmod o+x), or choose another ShopAspire:DataRoot." >&2
    exit 1
  fi
else
  as_server=""
fi
if [ ! -s "$data/PG_VERSION" ]; then
  rm -rf "$data"
  pwfile="$folder/.initdb-password"
  (umask 077; printf '%s' "$POSTGRES_PASSWORD" > "$pwfile")
  [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
  if ! $as_server "$bin/initdb" -D "$data" -U postgres -A scram-sha-256 --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 --no-instructions; then
    rm -f "$pwfile"; rm -rf "$data"; exit 1
  fi
  rm -f "$pwfile"
fi
exec $as_server "$bin/postgres" -D "$data" -p "$PGPORT" -k "$sockets" -c listen_addresses=127.0.0.1 "$@"
