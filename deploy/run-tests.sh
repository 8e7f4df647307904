#!/usr/bin/env bash
# Runs every test: unit, fixture, real-kernel (needs root) and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test ExecDashboard.sln --logger "console;verbosity=normal" "$@"
