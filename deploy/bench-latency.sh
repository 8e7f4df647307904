#!/usr/bin/env bash
# Exec → live-feed latency as a user sees it: starts the dashboard and a real collector (netlink
# source, as the audit daemon or beside auditd), opens the live feed in headless Chromium filtered
# to a probe program, runs the probe with a unique argument every 250 ms and notes in the browser
# (MutationObserver, browser wall clock) when each probe's row appears; t0 is the exec's kernel
# audit time. Measured idle, then during a paced bash-loop storm (deploy/bench/bash-loop.sh).
# Prints p50/p90 exec → row per phase and, beside it, the dashboard's per-stage p50/p90/p99
# (GET /api/diagnostics/latency: kernel → hub, commit, notify, render).
#
# Usage: deploy/bench-latency.sh [RUNS] [PROBES] [STORM_RATE]   (default 1 run, 40 probes, 1000 execs/s)
#        DASHBOARD_SETTINGS="--Dashboard:NotifyInterval=00:00:00.100" deploy/bench-latency.sh   (to compare settings)
# Needs root (the collector), chromium. Holds the kernel audit lock the tests use; the collector
# removes its audit rules on SIGTERM, and the rules' key is removed again at the end regardless.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${1:-1}"
PROBES="${2:-40}"
RATE="${3:-1000}"
LOCK=/run/execdashboard-kernel-audit-tests.lock
KEY=execdash-latency

if [[ $EUID -ne 0 ]]; then
  echo "bench-latency: run as root (the collector talks to the kernel's audit subsystem)." >&2
  exit 1
fi
if [[ "${BENCH_LOCKED:-}" != 1 ]]; then
  exec env BENCH_LOCKED=1 flock "$LOCK" "$0" "$@"
fi

echo "Building the dashboard and the bench (Release), publishing the collector..."
for project in src/ExecDashboard.Web tests/ExecDashboard.LatencyBench; do
  dotnet build "$project" -c Release -v quiet -nologo >/dev/null
done
# The collector as installed: published, one native executable.
dotnet publish src/ExecDashboard.Collector -c Release -v quiet -nologo >/dev/null

WORK=$(mktemp -d /tmp/execdash-latency.XXXXXX)
DASHBOARD_PID=""
COLLECTOR_PID=""
cleanup() {
  [[ -n "$COLLECTOR_PID" ]] && kill -TERM "$COLLECTOR_PID" 2>/dev/null && wait "$COLLECTOR_PID" 2>/dev/null || true
  [[ -n "$DASHBOARD_PID" ]] && kill -TERM "$DASHBOARD_PID" 2>/dev/null && wait "$DASHBOARD_PID" 2>/dev/null || true
  auditctl -D -k "$KEY" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

token() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
export EXECDASH_TOKEN EXECDASH_COLLECTOR_TOKEN
EXECDASH_TOKEN=$(token)
EXECDASH_COLLECTOR_TOKEN=$(token)

# The probe: a program of its own name, so the feed can be filtered to it and a storm of other
# execs cannot push its rows out of sight.
cp /bin/true "$WORK/latency-probe"

for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS"
  ASPNETCORE_ENVIRONMENT=Production dotnet src/ExecDashboard.Web/bin/Release/net10.0/ExecDashboard.Web.dll \
    --port 0 "--Dashboard:DataDirectory=$WORK/data-$run" ${DASHBOARD_SETTINGS:-} >"$WORK/dashboard.log" 2>&1 &
  DASHBOARD_PID=$!
  URL=""
  for _ in $(seq 1 600); do
    URL=$(grep -so 'http://127.0.0.1:[0-9]*' "$WORK/dashboard.log" | head -1 || true)
    [[ -n "$URL" ]] && break
    kill -0 "$DASHBOARD_PID" 2>/dev/null || { cat "$WORK/dashboard.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$URL" ]] || { echo "bench-latency: the dashboard did not start." >&2; exit 1; }

  src/ExecDashboard.Collector/bin/Release/publish/execdash-collector --server "$URL" --key "$KEY" \
    --spool "$WORK/spool-$run" >"$WORK/collector.log" 2>&1 &
  COLLECTOR_PID=$!

  dotnet tests/ExecDashboard.LatencyBench/bin/Release/net10.0/ExecDashboard.LatencyBench.dll \
    "$URL" "$EXECDASH_TOKEN" "$WORK/latency-probe" deploy/bench/bash-loop.sh "$PROBES" "$RATE"

  kill -TERM "$COLLECTOR_PID"; wait "$COLLECTOR_PID" || true; COLLECTOR_PID=""
  grep -h 'Collector stopped' "$WORK/collector.log" || true
  kill -TERM "$DASHBOARD_PID"; wait "$DASHBOARD_PID" || true; DASHBOARD_PID=""
done
