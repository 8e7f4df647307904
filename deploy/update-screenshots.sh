#!/usr/bin/env bash
# Retakes the README screenshots (deploy/screenshots/*.png) with the end-to-end browser test:
# the sendmail loop in the live feed, the process view with its graph and timeline, the rates view,
# and the lifetime views at real scale (224 runs with every end).
set -euo pipefail
cd "$(dirname "$0")/.."
EXECDASH_SCREENSHOTS="$PWD/deploy/screenshots" dotnet test tests/ExecDashboard.EndToEnd.Tests "$@"
