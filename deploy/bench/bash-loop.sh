#!/usr/bin/env bash
# A paced exec storm the way a shell script makes one: bash runs /bin/true MARKER in a loop at
# about RATE execs a second for SECONDS seconds (fork + exec from bash, as the sendmail wrapper
# did with expr). Prints the number of execs performed.
#
# Usage: deploy/bench/bash-loop.sh SECONDS RATE MARKER
set -euo pipefail
seconds=$1 rate=$2 marker=$3

# A pipe nobody writes to: `read -t` on it is a sleep without an exec of its own.
exec {idle}<> <(:)
start=${EPOCHREALTIME/./}
end=$((start + seconds * 1000000))
step=$((1000000 / rate))
n=0
while :; do
  now=${EPOCHREALTIME/./}
  ((now < end)) || break
  /bin/true "$marker"
  n=$((n + 1))
  ahead=$((start + n * step - ${EPOCHREALTIME/./}))
  if ((ahead > 0)); then
    read -r -t "0.$(printf '%06d' "$ahead")" -u "$idle" || true
  fi
done
echo "$n"
