#!/usr/bin/env bash
# Load runs of loadtest/shopper-mix.yml by hand (docs/measuring.md, "Load gate"):
#
#   loadtest/run.sh short [--target URL]   the CI gate's 40 s mix (after a 10 s warm-up) against a running stack
#   loadtest/run.sh long  [--target URL]   5 minutes: a 1-minute ramp-up, then 4 minutes at the highest rate
#   loadtest/run.sh update-baseline        rewrites loadtest/baseline.json from 5 gate runs on a test stack
#
# URL is the api's: by default http://localhost:5280, where `dotnet run --project ShopAspire.AppHost`
# keeps it (LOADTEST_TARGET may give another).
# Each run keeps loadtest/reports/<UTC time>-<short|long>.json (Artillery's report), .html
# (Artillery's HTML report) and .md (per request: count, p50, p95, p95 / calibration beside the
# baseline), and exits non-zero when the scenario's ensure checks fail.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

usage() {
  sed -n '2,12p' "$here/run.sh" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

mode=${1:-}
[ $# -gt 0 ] && shift
case "$mode" in
  update-baseline)
    # The baseline is what the gate compares with, so it comes from the gate's own run: same
    # scenario, same fresh test stack, the machine to itself.
    cd "$here/.."
    exec env LOADTEST_UPDATE_BASELINE=1 dotnet test tests/Shop.IntegrationTests \
      --filter "FullyQualifiedName~Load.ShopperMixLoadGate" --logger "console;verbosity=normal"
    ;;
  short | long) ;;
  *) usage ;;
esac

target=${LOADTEST_TARGET:-http://localhost:5280}
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=${2:-}; shift 2 ;;
    --target=*) target=${1#--target=}; shift ;;
    *) usage ;;
  esac
done
if ! curl -fs -o /dev/null "$target/alive"; then
  echo "No API answers at $target/alive: start the stack (dotnet run --project ShopAspire.AppHost) or give --target." >&2
  exit 2
fi

# The pinned Artillery, installed again only when package-lock.json changed. No install scripts:
# Artillery's browser engine would download a Chromium build.
lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [ "$(cat node_modules/.shopaspire-lock 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.shopaspire-lock
fi
export ARTILLERY_DISABLE_TELEMETRY=true
# no-telemetry.cjs: Artillery calls home even so, and waits ~12 s for DNS where there is no route out.
artillery() { node --require ./no-telemetry.cjs node_modules/artillery/bin/run "$@"; }

mkdir -p reports
name=reports/$(date -u +%Y%m%d-%H%M%S)-$mode
if [ "$mode" = short ]; then
  # As the gate does: JIT, caches and pools warmed first, that run's figures thrown away.
  warmup=$(mktemp)
  trap 'rm -f "$warmup"' EXIT
  ARTILLERY_DISABLE_ENSURE=1 artillery run --target "$target" -e warmup --output "$warmup" shopper-mix.yml > /dev/null
fi

set +e
artillery run --target "$target" -e "$mode" --output "$name.json" shopper-mix.yml | tee "$name.log"
status=${PIPESTATUS[0]}
set -e

artillery report "$name.json" --output "$name.html" > /dev/null 2>&1 || echo "(no HTML report: artillery report failed)"
node summarize.js "$name.json" baseline.json | tee "$name.md"
echo "Kept $name.json, $name.html, $name.md and $name.log."
exit "$status"
