#!/bin/bash
# Submit a suanwang parameter sweep to Slurm as an array of N shards plus a
# merge job that runs when every shard succeeded.
#
# Usage:
#   scripts/slurm/submit_sweep.sh FILE.lua N [OUTDIR] [-- extra sweep options]
#
#   FILE.lua  the scenario (with a `sweep` table)
#   N         number of array tasks (shards); shard I/N runs the points whose
#             index % N == I-1 (see `suanwang sweep --list --shard I/N`)
#   OUTDIR    where shard-<task>.h5 and the merged result go
#             (default: sweep-<scenario stem>)
#
# Submits `sbatch --array=0-(N-1) sweep.sbatch FILE.lua OUTDIR`, then
# `sbatch --dependency=afterok:<array id>` a job running
# `suanwang merge -o OUTDIR/<stem>.h5 OUTDIR/shard-*.h5 --force`. Prints the two
# job ids ("array <id>", "merge <id>") on stdout.
#
# Environment:
#   SUANWANG      path of the suanwang binary (default: suanwang on PATH,
#                 resolved to an absolute path here so the jobs find it)
#   SBATCH_ARGS   extra sbatch options for both jobs (partition, account, time)
#   CPUS_PER_TASK worker processes per shard (default 2)
set -euo pipefail

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
scenario=$1
n=$2
shift 2
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "submit_sweep.sh: N must be a positive integer (got '$n')" >&2; exit 2; }
[ -f "$scenario" ] || { echo "submit_sweep.sh: $scenario: no such file" >&2; exit 2; }
stem=$(basename "$scenario" .lua)
outdir="sweep-$stem"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then outdir=$1; shift; fi
[ "${1:-}" = "--" ] && shift

here=$(cd "$(dirname "$0")" && pwd)
bin=${SUANWANG:-$(command -v suanwang || true)}
[ -n "$bin" ] || { echo "submit_sweep.sh: suanwang not found (set SUANWANG=/path/to/suanwang)" >&2; exit 2; }
bin=$(readlink -f "$bin")
scenario=$(readlink -f "$scenario")
mkdir -p "$outdir"
outdir=$(readlink -f "$outdir")
cpus=${CPUS_PER_TASK:-2}
# shellcheck disable=SC2086
array_id=$(SUANWANG="$bin" sbatch --parsable ${SBATCH_ARGS:-} --array=0-$((n - 1)) \
  --cpus-per-task="$cpus" --chdir="$outdir" --output="$outdir/slurm-%A_%a.out" \
  --export=ALL,SUANWANG="$bin" "$here/sweep.sbatch" "$scenario" "$outdir" "$@")
array_id=${array_id%%;*}
# shellcheck disable=SC2086
merge_id=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency=afterok:"$array_id" \
  --job-name=suanwang-merge --cpus-per-task=1 --chdir="$outdir" \
  --output="$outdir/slurm-%j-merge.out" \
  --wrap="\"$bin\" merge --force -o \"$outdir/$stem.h5\" \"$outdir\"/shard-*.h5")
merge_id=${merge_id%%;*}
echo "array $array_id"
echo "merge $merge_id"
echo "submit_sweep.sh: $n shards -> $outdir/shard-*.h5, merged into $outdir/$stem.h5 by job $merge_id" >&2
