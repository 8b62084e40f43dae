#!/bin/sh
# Starts one private redis-server for the AppHost. The password goes in a file only this user can
# read, not on the command line where `ps` shows it.
# Usage: redis.sh <resource folder> [redis-server options...]; env REDIS_PORT, REDIS_PASSWORD.
set -eu
folder="$1"; shift
mkdir -p "$folder/data"
(umask 077; printf 'requirepass "%s"\n' "$REDIS_PASSWORD" > "$folder/auth.conf")
exec redis-server "$folder/auth.conf" --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes \
  --daemonize no --dir "$folder/data" "$@"
