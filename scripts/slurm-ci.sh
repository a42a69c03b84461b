#!/usr/bin/env bash
# 'tca study --slurm' tested for real on a one-node Slurm cluster (scripts/slurm-local.sh), as
# .ci/run calls it after the Maven suite: a tiny study runs locally, and again as a job array;
# one array task is cancelled (scancel) after a checkpoint inside its run, 'tca study status'
# must call that run failed, a second 'tca study --slurm' must submit exactly that run, which must
# resume from its checkpoint; then runs.csv and summary.json must equal the local study's byte for
# byte. Fails (never skips) when the cluster cannot be started. About 1.5 minutes (97 s wall on
# a shared 2-core machine at load average 11).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tca="$root/bin/tca"
die() { echo "slurm-ci: FAIL: $*" >&2; exit 1; }
say() { echo "slurm-ci: [$((SECONDS))s] $*"; }

"$root/scripts/slurm-local.sh" start || die "the local Slurm cluster did not start"

mkdir -p "$root/cli/target"
work="$(mktemp -d "$root/cli/target/slurm-ci.XXXXXX")" # a disk the node sees, not tmpfs
iterations=6000
cat >"$work/study.json" <<EOF
{"name": "slurm-ci", "task": "delayed-xor",
 "task_params": {"cue": 3, "delay": 4, "std": 1, "n-train": 48, "n-test": 40,
                 "n-validation": 16, "shift-delay": 6, "noise": 0.3},
 "rules": ["bptt", "eprop"], "seeds": [0, 1], "learning_rates": [0.1],
 "iterations": $iterations, "hidden": 8, "tau": 5, "batch": 8, "checkpoints": 6,
 "held_out": 16, "curvature_max_iterations": 20, "alignment_batch": 8, "kernels": "scalar"}
EOF
local_dir="$work/local"
slurm_dir="$work/slurm"

"$tca" study --config "$work/study.json" --out "$local_dir" --threads 2 -q >/dev/null \
  || die "the local study failed"
say "local study done"

submit() { # prints the job id of 'tca study --slurm'; checks it submitted $1 runs
  local out job
  out="$("$tca" study --config "$work/study.json" --out "$slurm_dir" --slurm --max-parallel 2)" \
    || die "tca study --slurm failed"
  echo "$out" >&2
  grep -qE ": $1 runs? in $1 array tasks?" <<<"$out" || die "expected $1 runs submitted"
  job="$(sed -n 's/.*submitted Slurm job \([0-9]*\).*/\1/p' <<<"$out")"
  [ -n "$job" ] || die "no job id printed"
  echo "$job"
}

wait_gone() { # waits until job $1 has left the queue
  local _
  for _ in $(seq 1 240); do
    [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return
    sleep 1
  done
  die "job $1 still queued after 240 s"
}

job="$(submit 4)"
# A run past its second saved checkpoint (its state file replaced twice: iteration >= 1200 of
# 6000), cancelled at once, so well before its end. Polled from the shell: a JVM per poll is slow.
victim=""
declare -A seen=()
for _ in $(seq 1 2400); do
  for f in "$slurm_dir"/state/*.state; do
    [ -e "$f" ] || continue
    key="$(stat -c %i@%y "$f" 2>/dev/null | tr -d " ")" || continue
    run="$(basename "$f" .state)"
    case " ${seen[$run]:-} " in *" $key "*) ;; *) seen[$run]="${seen[$run]:-} $key" ;; esac
    if [ "$(wc -w <<<"${seen[$run]}")" -ge 2 ]; then victim="$run"; break 2; fi
  done
  sleep 0.1
done
[ -n "$victim" ] || die "no run was seen past two checkpoints in 240 s"
task="$(awk -F'\t' -v r="$victim" '$3 == r {t = $1 "_" $2} END {print t}' \
  "$slurm_dir/slurm/submissions.tsv")"
line="$victim, array task $task"
scancel "$task"
say "cancelled array task $task mid-run ($line)"
wait_gone "$job"
say "job $job done"

status="$("$tca" study status "$slurm_dir")"
echo "$status"
grep -qE "^$victim +failed +$task .*checkpoint at iteration [1-9]" <<<"$status" \
  || die "status does not show $victim as failed with its checkpoint"
grep -q "3 done" <<<"$status" || die "the other three runs are not done"
[ ! -e "$slurm_dir/runs.csv" ] || die "runs.csv written before every run was done"

job2="$(submit 1)"
say "resubmitted"
wait_gone "$job2"
grep -q "run $victim resumes from its checkpoint at iteration [1-9]" \
  "$slurm_dir/slurm/logs/${job2}_0.out" || die "the resubmitted run did not resume from its checkpoint"
"$tca" study status "$slurm_dir" | grep -q "4 done" || die "not every run is done after resubmitting"
"$tca" study --config "$work/study.json" --out "$slurm_dir" --slurm | grep -q "nothing to submit" \
  || die "a finished study submitted again"

for f in runs.csv summary.json; do
  cmp "$local_dir/$f" "$slurm_dir/$f" || die "$f differs from the local study's"
done
for f in "$local_dir"/runs/*.json; do
  cmp "$f" "$slurm_dir/runs/$(basename "$f")" || die "$(basename "$f") differs"
done
[ -z "$(find "$slurm_dir" -name '*.tmp')" ] || die "temporary files left behind"
say "OK: runs.csv, summary.json and every run file equal the local study's byte for byte"
rm -rf "$work"
