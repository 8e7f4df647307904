#!/usr/bin/env bash
# Runs ExecDashboard on this machine: builds what changed, starts the dashboard on 127.0.0.1 and a
# local collector (the only part that needs root) pushing to it, prints the login link, and stops
# both on Ctrl-C.
#
#   deploy/run-local.sh [--port N] [extra dashboard options...]
set -euo pipefail
cd "$(dirname "$0")/.."

port=5150
dashboard_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    -h|--help)
      sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
      exit 0 ;;
    *) dashboard_args+=("$1"); shift ;;
  esac
done
case "$port" in ''|*[!0-9]*) echo "run-local: --port needs a number, not '$port'." >&2; exit 2 ;; esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "run-local: building (only what changed)..." >&2
dotnet build -c Release -v quiet -nologo src/ExecDashboard.Web/ExecDashboard.Web.csproj >&2
# Published, as installed: one native executable (Native AOT), which starts in a tenth of a second.
# Linking it needs a C toolchain (clang, or gcc with binutils); on Debian, gcc is installed if neither is.
if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  if command -v apt-get >/dev/null; then
    echo "run-local: installing gcc, which links the native collector..." >&2
    apt_as_root=()
    [ "$(id -u)" -eq 0 ] || apt_as_root=(sudo --)
    "${apt_as_root[@]}" apt-get update -q >&2
    "${apt_as_root[@]}" apt-get install -y -q --no-install-recommends gcc libc6-dev binutils >&2
  else
    echo "run-local: publishing the collector needs a C compiler and linker (clang, or gcc with binutils); install one." >&2
    exit 1
  fi
fi
dotnet publish -c Release -v quiet -nologo src/ExecDashboard.Collector/ExecDashboard.Collector.csproj >&2

web_dll=src/ExecDashboard.Web/bin/Release/net10.0/ExecDashboard.Web.dll
collector=src/ExecDashboard.Collector/bin/Release/publish/execdash-collector

# The collector authenticates with its own token. A fresh one per run, handed to both through the
# environment (never on a command line, where every user could read it in /proc).
if [ -z "${EXECDASH_COLLECTOR_TOKEN:-}" ]; then
  EXECDASH_COLLECTOR_TOKEN=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
  export EXECDASH_COLLECTOR_TOKEN
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "run-local: the collector needs root (kernel audit); install sudo or run as root." >&2; exit 1; }
  as_root=(sudo --preserve-env=EXECDASH_COLLECTOR_TOKEN,DOTNET_CLI_TELEMETRY_OPTOUT,DOTNET_NOLOGO --)
  # Ask for the password now, before anything runs in the background.
  sudo -v
fi

web_pid='' collector_pid=''
stop() {
  trap - INT TERM EXIT
  # SIGTERM lets the collector remove its audit rules and restore the audit status (SIGINT is
  # ignored by background jobs of a script, so it would never arrive).
  [ -n "$collector_pid" ] && kill -TERM "$collector_pid" 2>/dev/null && wait "$collector_pid" 2>/dev/null || true
  [ -n "$web_pid" ] && kill -TERM "$web_pid" 2>/dev/null && wait "$web_pid" 2>/dev/null || true
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

dotnet "$web_dll" --port "$port" "${dashboard_args[@]}" &
web_pid=$!

for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then break; fi
  kill -0 "$web_pid" 2>/dev/null || { echo "run-local: the dashboard did not start (see above)." >&2; exit 1; }
  sleep 0.2
done

"${as_root[@]}" "$collector" --server "http://127.0.0.1:$port" &
collector_pid=$!

echo "run-local: dashboard pid $web_pid, collector pid $collector_pid; Ctrl-C stops both." >&2
wait -n "$web_pid" "$collector_pid" || true
