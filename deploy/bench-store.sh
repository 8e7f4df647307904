#!/usr/bin/env bash
# Storage benchmark: generates the sendmail story as a raw auditd log (~300,000 execs by default),
# measures a bare SQLite bulk insert of as many exec-shaped rows (the baseline), then the real
# collector replaying the log into the real dashboard (cold: just started; then warm: a second log of
# the same size into the same dashboard, as a long-running one is), the raw-log import and the export over the
# API, stored bytes per exec, the dashboard's RSS and the p95 of the process queries, and prints
# every rate as a ratio to the baseline of the same run.
#
# Usage: deploy/bench-store.sh [--runs N]    (N sendmail runs of 10, 20, 30, ... children; default 244)
#        deploy/bench-store.sh --write-log FILE [--runs N]    (only write the recording, to profile by hand)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "Building the dashboard, the collector and the benchmark (Release), publishing the collector..."
for project in src/ExecDashboard.Web src/ExecDashboard.Collector tests/ExecDashboard.Benchmarks; do
  if ! out=$(dotnet build "$project" -c Release -v quiet -nologo 2>&1); then
    echo "$out" >&2
    echo "bench-store: building $project failed." >&2
    exit 1
  fi
done
# The collector runs as installed: published (one native executable, compiled ahead of time).
if ! out=$(dotnet publish src/ExecDashboard.Collector -c Release -v quiet -nologo 2>&1); then
  echo "$out" >&2
  echo "bench-store: publishing the collector failed." >&2
  exit 1
fi
exec dotnet tests/ExecDashboard.Benchmarks/bin/Release/net10.0/ExecDashboard.Benchmarks.dll store "$@"
