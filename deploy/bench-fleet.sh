#!/usr/bin/env bash
# Fleet load generator: starts a throwaway PostgreSQL cluster (Debian's postgresql package, as the
# tests use) and two dashboard replicas on it, connects hundreds of simulated collectors (SignalR
# hub clients with the real MessagePack protocol and collector token) shipping sendmail-like
# traffic, half to each replica, and measures sustained events/s, ack latency p50/p99 and fan-out
# latency (commit on one replica -> in the other's live views) p50/p99; then the same load against
# one dashboard on SQLite, the baseline, and prints the PostgreSQL figures as ratios to it.
#
# Usage: deploy/bench-fleet.sh [--collectors 200] [--seconds 30] [--rate 20] [--batch-ms 250]
#        (--rate: execs/s per simulated host; --batch-ms: how often each sends a batch)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "Building the dashboard and the benchmark (Release)..."
for project in src/ExecDashboard.Web tests/ExecDashboard.Benchmarks; do
  if ! out=$(dotnet build "$project" -c Release -v quiet -nologo 2>&1); then
    echo "$out" >&2
    echo "bench-fleet: building $project failed." >&2
    exit 1
  fi
done
exec dotnet tests/ExecDashboard.Benchmarks/bin/Release/net10.0/ExecDashboard.Benchmarks.dll fleet "$@"
