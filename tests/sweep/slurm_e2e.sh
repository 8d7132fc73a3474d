#!/bin/bash
# End-to-end test of the Slurm scripts on a throw-away single-node cluster.
#
# Usage: tests/sweep/slurm_e2e.sh path/to/suanwang
#
# Starts its own munged (own socket), slurmctld and slurmd (SlurmUser=root,
# NodeName=localhost, proctrack/linuxproc, task/none, select/cons_tres, state
# under a temporary folder, ports chosen at random), submits
# tests/sweep/data/tiny_sweep.lua as a 2-task array through
# scripts/slurm/submit_sweep.sh, waits (300 s at most) for the dependent
# merge job, and compares the merged file with a local `suanwang sweep -j 2`
# (tests/sweep/compare_runs.py). When slurmctld/slurmd/munged are missing it
# tries `apt-get install -y slurm-wlm munge` (as root); when they still are
# missing or a daemon does not start, it prints why and exits 77 (skipped).
# The daemons are always stopped on exit.
set -uo pipefail

bin=${1:?usage: slurm_e2e.sh path/to/suanwang}
bin=$(readlink -f "$bin")
src=$(cd "$(dirname "$0")/../.." && pwd)
skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

need_install=0
for c in slurmctld slurmd munged sbatch squeue; do
  command -v "$c" >/dev/null 2>&1 || need_install=1
done
if [ "$need_install" = 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "slurm_e2e: installing slurm-wlm and munge" >&2
    (apt-get install -y slurm-wlm munge || { apt-get update && apt-get install -y slurm-wlm munge; }) \
      >/tmp/slurm_e2e_apt.log 2>&1 || true
  fi
  for c in slurmctld slurmd munged sbatch squeue; do
    command -v "$c" >/dev/null 2>&1 || skip "$c is not installed and could not be installed (see /tmp/slurm_e2e_apt.log)"
  done
fi
[ "$(id -u)" = 0 ] || skip "needs root (SlurmUser=root for a throw-away cluster)"

tmp=$(mktemp -d /tmp/slurm_e2e.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  local rc=$?
  if [ -n "${SLURM_CONF:-}" ]; then scancel --quiet --user=root >/dev/null 2>&1 || true; fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; done
  sleep 1
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -9 "${pids[$i]}" 2>/dev/null || true; done
  if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
    for f in "$tmp"/*.log "$tmp"/out/slurm-*.out; do
      [ -f "$f" ] && { echo "---- $f (tail)" >&2; tail -n 20 "$f" >&2; }
    done
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- munge
key=/etc/munge/munge.key
if [ ! -s "$key" ]; then
  key=$tmp/munge.key
  if command -v mungekey >/dev/null 2>&1; then mungekey --create --keyfile="$key" >/dev/null 2>&1; fi
  [ -s "$key" ] || dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
fi
mkdir -p "$tmp/munge"
chmod 700 "$tmp/munge"
cp "$key" "$tmp/munge/munge.key"
chmod 400 "$tmp/munge/munge.key"
sock=$tmp/munge/munge.socket
munged --foreground --force --socket="$sock" --key-file="$tmp/munge/munge.key" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munged.log" \
  --seed-file="$tmp/munge/munge.seed" >"$tmp/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { cat "$tmp/munged.out" "$tmp/munged.log" >&2 2>/dev/null; skip "munged did not start"; }

# ---- slurm.conf
cpus=$(nproc)
base=$((20000 + RANDOM % 20000))
mkdir -p "$tmp/state" "$tmp/spool"
cat >"$tmp/slurm.conf" <<EOF
ClusterName=suanwangtest
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf

slurmctld -D -i -f "$SLURM_CONF" >"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >"$tmp/slurmd.out" 2>&1 &
pids+=($!)
ready=0
for _ in $(seq 60); do
  state=$(sinfo -h -N -o '%t' 2>/dev/null | head -n1)
  case "$state" in idle*|mix*|alloc*) ready=1; break ;; esac
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || break 2; done
  sleep 1
done
if [ "$ready" != 1 ]; then
  for f in slurmctld.out slurmctld.log slurmd.out slurmd.log; do
    [ -f "$tmp/$f" ] && { echo "---- $f" >&2; tail -n 15 "$tmp/$f" >&2; }
  done
  skip "the single-node Slurm cluster did not come up (node state '${state:-none}')"
fi
echo "slurm_e2e: cluster up ($(sinfo -h -o '%P %D %c %t' | head -n1))" >&2

# ---- submit the sweep: 2 shards + merge
out=$tmp/out
ids=$(SUANWANG="$bin" CPUS_PER_TASK=1 "$src/scripts/slurm/submit_sweep.sh" \
  "$src/tests/sweep/data/tiny_sweep.lua" 2 "$out") || fail "submit_sweep.sh failed"
echo "$ids" >&2
array_id=$(echo "$ids" | awk '$1 == "array" { print $2 }')
merge_id=$(echo "$ids" | awk '$1 == "merge" { print $2 }')
[ -n "$array_id" ] && [ -n "$merge_id" ] || fail "no job ids from submit_sweep.sh"

deadline=$((SECONDS + 300))
while :; do
  q=$(squeue -h -o '%i %T %r' 2>/dev/null)
  [ -z "$q" ] && break
  if echo "$q" | grep -q DependencyNeverSatisfied; then
    fail "the merge job can never run (a shard failed): $q"
  fi
  [ "$SECONDS" -lt "$deadline" ] || fail "jobs still queued after 300 s: $q"
  sleep 2
done
merged=$out/tiny_sweep.h5
[ -f "$merged" ] || fail "the merge job did not write $merged"
[ -f "$out/shard-0.h5" ] && [ -f "$out/shard-1.h5" ] || fail "expected shard-0.h5 and shard-1.h5 in $out"

# ---- compare with a local sweep
"$bin" sweep "$src/tests/sweep/data/tiny_sweep.lua" -j 2 --quiet --no-shard -o "$tmp/local.h5" \
  || fail "local sweep failed"
/usr/bin/python3 "$src/tests/sweep/compare_runs.py" --ignore shard "$tmp/local.h5" "$merged" \
  || fail "the Slurm result differs from the local sweep"
/usr/bin/python3 - "$out/shard-0.h5" "$out/shard-1.h5" <<'PY' || fail "shards hold the wrong points"
import sys, h5py
want = [("1/2", ["p0000", "p0002"]), ("2/2", ["p0001", "p0003"])]
for path, (shard, ids) in zip(sys.argv[1:], want):
    with h5py.File(path, "r") as f:
        got = (f["sweep"].attrs["shard"], sorted(f["runs"]))
        assert got == (shard, ids), (path, got)
PY
echo "slurm_e2e: OK (array $array_id, merge $merge_id)"
