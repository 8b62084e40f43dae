#!/bin/sh
# Starts one private RabbitMQ node for the AppHost, every path and port its own. epmd is a resource
# of its own on ERL_EPMD_PORT (a system epmd may hold 4369, and an epmd the node started would
# outlive it). Usage: rabbitmq.sh <resource folder> <node name>;
# env AMQP_PORT, RABBITMQ_USER, RABBITMQ_PASSWORD, ERL_EPMD_PORT, RABBITMQ_DIST_PORT,
# optional MANAGEMENT_PORT.
set -eu
folder="$1"; node="$2"
mkdir -p "$folder/home" "$folder/mnesia" "$folder/log"
conf="$folder/rabbitmq.conf"
(umask 077; cat > "$conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$AMQP_PORT
default_user = $RABBITMQ_USER
default_pass = $RABBITMQ_PASSWORD
loopback_users = none
CONF
)
if [ -n "${MANAGEMENT_PORT:-}" ]; then
  printf 'management.tcp.port = %s\nmanagement.tcp.ip = 127.0.0.1\n' "$MANAGEMENT_PORT" >> "$conf"
  echo '[rabbitmq_management].' > "$folder/enabled_plugins"
else
  echo '[].' > "$folder/enabled_plugins"
fi
: > "$folder/rabbitmq-env.conf"
export HOME="$folder/home" RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
  RABBITMQ_NODE_PORT="$AMQP_PORT" \
  RABBITMQ_MNESIA_BASE="$folder/mnesia" RABBITMQ_LOG_BASE="$folder/log" RABBITMQ_LOGS=- \
  RABBITMQ_CONFIG_FILE="$conf" RABBITMQ_ADVANCED_CONFIG_FILE="$folder/advanced.config" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$folder/enabled_plugins" RABBITMQ_CONF_ENV_FILE="$folder/rabbitmq-env.conf" \
  RABBITMQ_PID_FILE="$folder/rabbitmq.pid" RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-start_epmd false" \
  ERL_ZFLAGS="-start_epmd false"
# A stop (SIGTERM from DCP) is a graceful shutdown of the VM, bounded: on a machine under heavy
# load it took longer than DCP waits for, DCP then left the resource in state Unknown and a drill's
# restart found the broker neither running nor stopped. After 8 s the VM gets SIGKILL: nothing
# acknowledged is lost (persistent messages are confirmed only once on disk; the kill -9 drill
# proves it), and no VM outlives this script.
# The node's epmd monitor restarts a lost epmd by running a throwaway `erl -sname`, which starts
# `epmd -daemon` on ERL_EPMD_PORT. When a stack stops, DCP stops the epmd resource and this node
# together; if the monitor's check falls inside the node's shutdown, that daemon would outlive
# every resource (orphaned, ppid 1), and it can appear seconds after this script has exited.
# ERL_ZFLAGS reaches every erl the node starts: with -start_epmd false none starts a daemon
# (epmd is the epmd resource's job); the reap below stays as a second line.
reap_stray_epmd() {
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}; pid=${pid%/environ}
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = epmd ] || continue
    tr '\0' '\n' < "$environ" 2>/dev/null | grep -qx "RABBITMQ_NODENAME=$node" || continue
    tr '\0' '\n' < "$environ" 2>/dev/null | grep -qx "ERL_EPMD_PORT=$ERL_EPMD_PORT" || continue
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- '-daemon' || continue
    kill -TERM "$pid" 2>/dev/null || true
  done
}
/usr/lib/rabbitmq/bin/rabbitmq-server &
server=$!
stop() {
  trap '' TERM INT
  kill -TERM "$server" 2>/dev/null || true # rabbitmq-server passes it to the VM: a graceful stop
  waited=0
  while kill -0 "$server" 2>/dev/null && [ "$waited" -lt 80 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$server" 2>/dev/null; then
    echo "rabbitmq.sh: the broker did not stop within 8 s of SIGTERM; killing it" >&2
    vm=$(cat "$RABBITMQ_PID_FILE" 2>/dev/null || true)
    [ -n "$vm" ] && kill -KILL "$vm" 2>/dev/null || true
    kill -KILL "$server" 2>/dev/null || true
  fi
  wait "$server" 2>/dev/null || true
  reap_stray_epmd
  exit 0
}
trap stop TERM INT
# "|| status=$?": under `set -e` dash would leave at once when a signal interrupts wait, without the trap.
status=0
wait "$server" || status=$?
reap_stray_epmd
exit "$status"
