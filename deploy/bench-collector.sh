#!/usr/bin/env bash
# Collector CPU per 10,000 execs during an exec storm, side by side with Debian's auditd
# (log_format=RAW) on the same storm in the same run. Both receive every record: auditd as the
# audit daemon, the collector beside it on the read-only multicast group (its coexistence mode).
# Also reports the kernel's lost counter and the collector's serial gaps over the run.
#
# Then a second storm, the shape of the sendmail story: a bash loop of /bin/true at about RATE
# execs a second (deploy/bench/bash-loop.sh), once with the collector alone as the audit daemon
# and once with auditd alone (rules added by hand, removed after), and the ratio of their CPU per
# exec. At this pace each exec comes alone, so wake-ups rather than throughput decide the cost.
# Each measured run follows 10 s of the same load, not counted (see the warm-up below). The
# kernel's lost counter is reported for every run, and a last SUMMARY line gives both ratios.
#
# Usage: deploy/bench-collector.sh [SECONDS] [WORKERS] [LOOP_SECONDS] [RATE]
#        (default 60 s, one worker per CPU; the bash loop as long, at 1000 execs/s; LOOP_SECONDS 0 skips it)
# The storm is a C loop of fork + execve(/bin/true) per worker (deploy/bench/exec-storm.c).
# Needs root, gcc, auditd. Holds the kernel audit lock the tests use, and restores the audit
# status (enabled, backlog limit) it found.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN="${1:-60}"
WORKERS="${2:-$(nproc)}"
LOOP_SECONDS="${3:-$SECONDS_TO_RUN}"
LOOP_RATE="${4:-1000}"
WARMUP_SECONDS=10
LOCK=/run/execdashboard-kernel-audit-tests.lock
BENCH_KEY=execdash-bench

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

echo "Publishing the collector (Release, as installed: one native executable)..."
dotnet publish src/ExecDashboard.Collector -c Release -v quiet -nologo >/dev/null
COLLECTOR=src/ExecDashboard.Collector/bin/Release/publish/execdash-collector

WORK=$(mktemp -d /tmp/execdash-bench.XXXXXX)
gcc -O2 -o "$WORK/exec-storm" deploy/bench/exec-storm.c

ENABLED_BEFORE=$(auditctl -s | awk '$1=="enabled"{print $2}')
BACKLOG_BEFORE=$(auditctl -s | awk '$1=="backlog_limit"{print $2}')
AUDITD_PID=""
COLLECTOR_PID=""

cleanup() {
  [[ -n "$COLLECTOR_PID" ]] && kill -TERM "$COLLECTOR_PID" 2>/dev/null && wait "$COLLECTOR_PID" 2>/dev/null || true
  [[ -n "$AUDITD_PID" ]] && kill -TERM "$AUDITD_PID" 2>/dev/null && wait "$AUDITD_PID" 2>/dev/null || true
  auditctl -D -k "$BENCH_KEY" >/dev/null 2>&1 || true
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

start_auditd() {
  auditd -n -c "$WORK/auditd" &
  AUDITD_PID=$!
  for _ in $(seq 100); do
    [[ "$(auditctl -s | awk '$1=="pid"{print $2}')" == "$AUDITD_PID" ]] && break
    sleep 0.1
  done
  [[ "$(auditctl -s | awk '$1=="pid"{print $2}')" == "$AUDITD_PID" ]] || { echo "bench-collector: auditd did not start." >&2; exit 1; }
  auditctl -b 8192 >/dev/null
}

stop_pid() { kill -TERM "$1"; wait "$1" || true; }

# Starts the collector writing jsonl to $1 (errors to $1.err); ready once a marked exec comes out.
start_collector() {
  "$COLLECTOR" --source netlink --output jsonl >"$1" 2>"$1.err" &
  COLLECTOR_PID=$!
  local canary="execdash-bench-canary-$$-$RANDOM"
  for _ in $(seq 300); do
    /bin/true "$canary"
    grep -q "$canary" "$1" && break
    sleep 0.2
  done
  grep -q "$canary" "$1" || { echo "bench-collector: the collector did not start:" >&2; cat "$1.err" >&2; exit 1; }
}

start_auditd
start_collector "$WORK/collector.jsonl"

# Warm-up: a storm first, so the JIT has compiled the collector's hot paths (auditd is native
# code; a long-running collector pays its JIT once). Its CPU is not counted. Tiered compilation
# recompiles a method after 30 calls and again after profiling it, so what runs a few times a
# second (ticks, per-batch work) is recompiled seconds after start: measured, the JIT thread was
# still busy 6 to 8 s after the collector started, inside a 3 s warm-up's measurement.
"$WORK/exec-storm" "$WARMUP_SECONDS" "$WORKERS" "execdash-warmup-$$" >/dev/null
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
stop_pid "$COLLECTOR_PID"
COLLECTOR_PID=""
stop_pid "$AUDITD_PID"
AUDITD_PID=""

OURS_SEEN=$(grep -c "$MARKER" "$WORK/collector.jsonl" || true)
# RAW lines quote printable arguments: a1="execdash-storm-PID".
THEIRS_SEEN=$(grep -c "a1=\"$MARKER\"" "$WORK/auditd/audit.log" || true)
GAPS=$(grep -o 'serial gaps [0-9]*' "$WORK/collector.jsonl.err" | tail -1 | awk '{print $3}')
DROPS=$(grep -o 'queue drops [0-9]*' "$WORK/collector.jsonl.err" | tail -1 | awk '{print $3}')
HZ=$(getconf CLK_TCK)

STORM_LOST=$((LOST_AFTER - LOST_BEFORE))
STORM_RATIO=$(awk -v ours=$((OURS_AFTER - OURS_BEFORE)) -v theirs=$((THEIRS_AFTER - THEIRS_BEFORE)) \
  'BEGIN { if (theirs > 0) printf "%.2f", ours / theirs; else print "n/a" }')

awk -v execs="$EXECS" -v secs="$SECONDS_TO_RUN" -v hz="$HZ" \
    -v ours=$((OURS_AFTER - OURS_BEFORE)) -v theirs=$((THEIRS_AFTER - THEIRS_BEFORE)) \
    -v ours_seen="$OURS_SEEN" -v theirs_seen="$THEIRS_SEEN" \
    -v lost=$((LOST_AFTER - LOST_BEFORE)) -v gaps="${GAPS:-?}" -v drops="${DROPS:-?}" 'BEGIN {
  printf "execs performed        %d in %s s (%.0f execs/s)\n", execs, secs, execs / secs
  printf "execs seen             collector %d, auditd %d\n", ours_seen, theirs_seen
  printf "CPU seconds            collector %.2f, auditd %.2f\n", ours / hz, theirs / hz
  printf "CPU s per 10,000 execs collector %.3f, auditd %.3f\n", ours / hz / execs * 10000, theirs / hz / execs * 10000
  if (theirs > 0) printf "ratio collector/auditd %.2f (C storm)\n", ours / theirs
  printf "kernel lost            %d\n", lost
  printf "collector serial gaps  %s, queue drops %s\n", gaps, drops
}'

if [[ "$LOOP_SECONDS" == 0 ]]; then
  echo "SUMMARY C storm ratio $STORM_RATIO (kernel lost $STORM_LOST); bash loop skipped"
  exit 0
fi

# The bash loop: first the collector alone (no auditd, so it registers as the audit daemon).
echo "Bash loop: /bin/true at about $LOOP_RATE execs/s for $LOOP_SECONDS s, collector alone, then auditd alone..."
start_collector "$WORK/loop.jsonl"
deploy/bench/bash-loop.sh "$WARMUP_SECONDS" "$LOOP_RATE" "execdash-warmup-$$" >/dev/null
sleep 2
LOOP_MARKER="execdash-loop-$$"
LOST_BEFORE=$(kernel_lost)
OURS_BEFORE=$(cpu_ticks "$COLLECTOR_PID")
OURS_EXECS=$(deploy/bench/bash-loop.sh "$LOOP_SECONDS" "$LOOP_RATE" "$LOOP_MARKER")
for _ in $(seq 150); do
  [[ $(grep -c "$LOOP_MARKER" "$WORK/loop.jsonl") -ge $OURS_EXECS ]] && break
  sleep 0.2
done
OURS_AFTER=$(cpu_ticks "$COLLECTOR_PID")
OURS_LOST=$(($(kernel_lost) - LOST_BEFORE))
OURS_SEEN=$(grep -c "$LOOP_MARKER" "$WORK/loop.jsonl" || true)
OURS_EXITS=$(grep -c '"type":"exit"' "$WORK/loop.jsonl" || true)
stop_pid "$COLLECTOR_PID"
COLLECTOR_PID=""
LOOP_GAPS=$(grep -o 'serial gaps [0-9]*' "$WORK/loop.jsonl.err" | tail -1 | awk '{print $3}')

# Then auditd alone, with rules like the collector's under a key of this script's own.
: >"$WORK/auditd/audit.log"
start_auditd
auditctl -e 1 >/dev/null
auditctl -a always,exit -F arch=b64 -S execve,execveat -F key="$BENCH_KEY" >/dev/null
if [[ "$(uname -m)" == x86_64 ]]; then
  auditctl -a always,exit -F arch=b32 -S execve,execveat -F key="$BENCH_KEY" >/dev/null
fi
deploy/bench/bash-loop.sh "$WARMUP_SECONDS" "$LOOP_RATE" "execdash-warmup-$$" >/dev/null
sleep 2
LOST_BEFORE=$(kernel_lost)
THEIRS_BEFORE=$(cpu_ticks "$AUDITD_PID")
THEIRS_EXECS=$(deploy/bench/bash-loop.sh "$LOOP_SECONDS" "$LOOP_RATE" "$LOOP_MARKER")
sleep 2
THEIRS_AFTER=$(cpu_ticks "$AUDITD_PID")
THEIRS_LOST=$(($(kernel_lost) - LOST_BEFORE))
THEIRS_SEEN=$(grep -c "a1=\"$LOOP_MARKER\"" "$WORK/auditd/audit.log" || true)
auditctl -D -k "$BENCH_KEY" >/dev/null
stop_pid "$AUDITD_PID"
AUDITD_PID=""

LOOP_RATIO=$(awk -v ours=$((OURS_AFTER - OURS_BEFORE)) -v theirs=$((THEIRS_AFTER - THEIRS_BEFORE)) \
    -v ours_execs="$OURS_EXECS" -v theirs_execs="$THEIRS_EXECS" \
  'BEGIN { if (theirs > 0) printf "%.2f", (ours / ours_execs) / (theirs / theirs_execs); else print "n/a" }')

awk -v secs="$LOOP_SECONDS" -v hz="$HZ" -v ours_execs="$OURS_EXECS" -v theirs_execs="$THEIRS_EXECS" \
    -v ours=$((OURS_AFTER - OURS_BEFORE)) -v theirs=$((THEIRS_AFTER - THEIRS_BEFORE)) \
    -v ours_seen="$OURS_SEEN" -v theirs_seen="$THEIRS_SEEN" -v ours_exits="$OURS_EXITS" \
    -v ours_lost="$OURS_LOST" -v theirs_lost="$THEIRS_LOST" -v gaps="${LOOP_GAPS:-?}" 'BEGIN {
  printf "bash loop execs        collector run %d (%.0f/s), auditd run %d (%.0f/s)\n", ours_execs, ours_execs / secs, theirs_execs, theirs_execs / secs
  printf "execs seen             collector %d, auditd %d\n", ours_seen, theirs_seen
  printf "CPU seconds            collector %.2f, auditd %.2f\n", ours / hz, theirs / hz
  ours_per = ours / hz / ours_execs * 10000; theirs_per = theirs / hz / theirs_execs * 10000
  printf "CPU s per 10,000 execs collector %.3f, auditd %.3f\n", ours_per, theirs_per
  if (theirs > 0) printf "ratio collector/auditd %.2f (bash loop, per exec)\n", ours_per / theirs_per
  printf "kernel lost            collector run %d, auditd run %d\n", ours_lost, theirs_lost
  printf "collector output       %d exit lines (warm-up included), serial gaps %s\n", ours_exits, gaps
}'
echo "SUMMARY C storm ratio $STORM_RATIO (kernel lost $STORM_LOST); bash loop ratio $LOOP_RATIO (kernel lost: collector run $OURS_LOST, auditd run $THEIRS_LOST); target < 1.0 for both"
