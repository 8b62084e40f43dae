#!/usr/bin/env bash
# Issue 11, part 0: profile the order path under checkout load, with the figures beside it.
# Restores the pinned profilers (dotnet-trace, dotnet-counters: benchmarks/order-cost/.config/dotnet-tools.json,
# their own manifest so that the AppHost's build, which restores the root one, does not fetch them), then runs
# the order-cost benchmark (its own stack, throwaway data) with --profile: after the measured
# phases it drives spread checkouts while dotnet-trace (CPU sampling, speedscope) and
# dotnet-counters watch one api and one worker instance, and Postgres (started with
# pg_stat_statements preloaded for this run) counts the statements.
#
#   benchmarks/order-cost/profile.sh [OUT_DIR] [benchmark options...]
#   e.g. benchmarks/order-cost/profile.sh docs/order-cost/profile-before --seconds 20 --orders-seed 1000000
#
# OUT_DIR (default docs/order-cost/profile) gets api.speedscope.json, worker.speedscope.json (open
# them at speedscope's site or any speedscope viewer), *-counters.csv, pg-statements.md and
# report.md (the figures of the same run; pg_stat_statements costs Postgres a little, so take the
# "before"/"after" figures from runs without --profile). NICE (default 15) is the niceness.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="docs/order-cost/profile"
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then out="$1"; shift; fi
(cd benchmarks/order-cost && dotnet tool restore >/dev/null)
exec nice -n "${NICE:-15}" dotnet run -c Release --project benchmarks/Shop.Benchmarks.OrderCost -- \
  --profile "$out" --out "$out/report.md" "$@"
