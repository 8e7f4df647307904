#!/usr/bin/env bash
# Collector CPU per 10,000 execs during an exec storm, side by side with Debian's auditd
# (log_format=RAW) on the same storm in the same run. Both receive every record: auditd as the
# audit daemon, the collector beside it on the read-only multicast group (its coexistence mode).
# Also reports the kernel's lost counter and the collector's serial gaps over the run.
#
# Usage: deploy/bench-collector.sh [SECONDS] [WORKERS]    (default 60 s, one worker per CPU)
# The storm is a C loop of fork + execve(/bin/true) per worker (deploy/bench/exec-storm.c).
# Needs root, gcc, auditd. Holds the kernel audit lock the tests use, and restores the audit
# status (enabled, backlog limit) it found.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN="${1:-60}"
WORKERS="${2:-$(nproc)}"
LOCK=/run/execdashboard-kernel-audit-tests.lock

if [[ $EUID -ne 0 ]]; then
  echo "bench-collector: run as root (the collector and auditd talk to the kernel's audit subsystem)." >&2
  exit 1
fi
for tool in gcc auditd auditctl; do
  command -v "$tool" >/dev/null || { echo "bench-collector: $tool is not installed." >&2; exit 1; }
done

if [[ "${BENCH_LOCKED:-}" != 1 ]]; then
  exec env BENCH_LOCKED=1 flock "$LOCK" "$0" "$@"
fi

echo "Building the collector (Release)..."
dotnet build src/ExecDashboard.Collector -c Release -v quiet -nologo >/dev/null
COLLECTOR=src/ExecDashboard.Collector/bin/Release/net10.0/execdash-collector

WORK=$(mktemp -d /tmp/execdash-bench.XXXXXX)
gcc -O2 -o "$WORK/exec-storm" deploy/bench/exec-storm.c

ENABLED_BEFORE=$(auditctl -s | awk '$1=="enabled"{print $2}')
BACKLOG_BEFORE=$(auditctl -s | awk '$1=="backlog_limit"{print $2}')
AUDITD_PID=""
COLLECTOR_PID=""

cleanup() {
  [[ -n "$COLLECTOR_PID" ]] && kill -TERM "$COLLECTOR_PID" 2>/dev/null && wait "$COLLECTOR_PID" 2>/dev/null || true
  [[ -n "$AUDITD_PID" ]] && kill -TERM "$AUDITD_PID" 2>/dev/null && wait "$AUDITD_PID" 2>/dev/null || true
  auditctl -e "$ENABLED_BEFORE" -b "$BACKLOG_BEFORE" >/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat, after the comm).
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
kernel_lost() { auditctl -s | awk '$1=="lost"{print $2}'; }

mkdir -p "$WORK/auditd/plugins"
cat > "$WORK/auditd/auditd.conf" <<CONF
local_events = yes
write_logs = yes
log_file = $WORK/auditd/audit.log
log_format = RAW
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 0
num_logs = 0
max_log_file_action = IGNORE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
name_format = NONE
q_depth = 8000
overflow_action = IGNORE
plugin_dir = $WORK/auditd/plugins
end_of_event_timeout = 2
CONF

auditd -n -c "$WORK/auditd" &
AUDITD_PID=$!
for _ in $(seq 100); do
  [[ "$(auditctl -s | awk '$1=="pid"{print $2}')" == "$AUDITD_PID" ]] && break
  sleep 0.1
done
[[ "$(auditctl -s | awk '$1=="pid"{print $2}')" == "$AUDITD_PID" ]] || { echo "bench-collector: auditd did not start." >&2; exit 1; }
auditctl -b 8192 >/dev/null

"$COLLECTOR" --source netlink --output jsonl >"$WORK/collector.jsonl" 2>"$WORK/collector.err" &
COLLECTOR_PID=$!

# Ready once a marked exec comes out of the collector.
CANARY="execdash-bench-canary-$$"
for _ in $(seq 300); do
  /bin/true "$CANARY"
  grep -q "$CANARY" "$WORK/collector.jsonl" && break
  sleep 0.2
done
grep -q "$CANARY" "$WORK/collector.jsonl" || { echo "bench-collector: the collector did not start:" >&2; cat "$WORK/collector.err" >&2; exit 1; }

# Warm-up: a short storm first, so the JIT has compiled the collector's hot paths (auditd is native
# code; a long-running collector pays its JIT once). Its CPU is not counted.
"$WORK/exec-storm" 3 "$WORKERS" "execdash-warmup-$$" >/dev/null
sleep 2

MARKER="execdash-storm-$$"
LOST_BEFORE=$(kernel_lost)
OURS_BEFORE=$(cpu_ticks "$COLLECTOR_PID")
THEIRS_BEFORE=$(cpu_ticks "$AUDITD_PID")

echo "Storm: $WORKERS workers exec /bin/true for $SECONDS_TO_RUN s..."
EXECS=$("$WORK/exec-storm" "$SECONDS_TO_RUN" "$WORKERS" "$MARKER")

# Let both drain what the storm left queued: wait until the collector has them all (or 30 s).
for _ in $(seq 150); do
  [[ $(grep -c "$MARKER" "$WORK/collector.jsonl") -ge $EXECS ]] && break
  sleep 0.2
done
sleep 1

OURS_AFTER=$(cpu_ticks "$COLLECTOR_PID")
THEIRS_AFTER=$(cpu_ticks "$AUDITD_PID")
LOST_AFTER=$(kernel_lost)

# SIGTERM, not SIGINT: a script's background jobs start with SIGINT ignored (POSIX shells), and .NET keeps it so.
kill -TERM "$COLLECTOR_PID"
wait "$COLLECTOR_PID" || true
COLLECTOR_PID=""
kill -TERM "$AUDITD_PID"
wait "$AUDITD_PID" || true
AUDITD_PID=""

OURS_SEEN=$(grep -c "$MARKER" "$WORK/collector.jsonl" || true)
# RAW lines quote printable arguments: a1="execdash-storm-PID".
THEIRS_SEEN=$(grep -c "a1=\"$MARKER\"" "$WORK/auditd/audit.log" || true)
GAPS=$(grep -o 'serial gaps [0-9]*' "$WORK/collector.err" | tail -1 | awk '{print $3}')
DROPS=$(grep -o 'queue drops [0-9]*' "$WORK/collector.err" | tail -1 | awk '{print $3}')
HZ=$(getconf CLK_TCK)

awk -v execs="$EXECS" -v secs="$SECONDS_TO_RUN" -v hz="$HZ" \
    -v ours=$((OURS_AFTER - OURS_BEFORE)) -v theirs=$((THEIRS_AFTER - THEIRS_BEFORE)) \
    -v ours_seen="$OURS_SEEN" -v theirs_seen="$THEIRS_SEEN" \
    -v lost=$((LOST_AFTER - LOST_BEFORE)) -v gaps="${GAPS:-?}" -v drops="${DROPS:-?}" 'BEGIN {
  printf "execs performed        %d in %s s (%.0f execs/s)\n", execs, secs, execs / secs
  printf "execs seen             collector %d, auditd %d\n", ours_seen, theirs_seen
  printf "CPU seconds            collector %.2f, auditd %.2f\n", ours / hz, theirs / hz
  printf "CPU s per 10,000 execs collector %.3f, auditd %.3f\n", ours / hz / execs * 10000, theirs / hz / execs * 10000
  if (theirs > 0) printf "ratio collector/auditd %.2f\n", ours / theirs
  printf "kernel lost            %d\n", lost
  printf "collector serial gaps  %s, queue drops %s\n", gaps, drops
}'
