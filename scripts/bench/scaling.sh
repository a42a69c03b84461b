#!/usr/bin/env bash
# The multicore figures of the README's performance section, in one run (about 7 minutes on 16
# cores): JMH scaling grid of a training iteration (BPTT and e-prop, B x threads), single-core
# kernels of the rules, lambda_max, the paper-smnist study wall time with all threads, and the
# PyTorch peer (CPU at the same threads, and CUDA when there is a GPU).
#
#   scripts/bench/scaling.sh OUT_DIR [MNIST_DIR]
#
# Env: JAVA (default: $JAVA_HOME/bin/java or java), TCA_JAR (cli/target/tca.jar), BENCH_JAR
# (jmh/target/benchmarks.jar), THREADS (default: "1 2 4 8 16"), PYTHON (python3; the peer is
# skipped when it has no torch), JMH_OPTS (default: -wi 2 -w 500ms -i 3 -r 500ms), STUDY_THREADS
# (16), STUDY_PRESET (paper-smnist).
set -uo pipefail
out=${1:?usage: scaling.sh OUT_DIR [MNIST_DIR]}
data=${2:-}
mkdir -p "$out"
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
tca=${TCA_JAR:-cli/target/tca.jar}
bench=${BENCH_JAR:-jmh/target/benchmarks.jar}
threads=${THREADS:-1 2 4 8 16}
py=${PYTHON:-python3}
csv() { echo "$*" | tr ' ' ','; }
log() { echo "== $(date +%T) $*" | tee -a "$out/log"; }

log "machine"
{ lscpu 2>/dev/null | grep -E 'Model name|^CPU\(s\)|Thread|Core|Socket|NUMA node\(s\)|L2|L3|Flags' \
    | sed 's/Flags:.*\(avx512f\).*/Flags: ... avx512f .../'; nproc; free -g | head -2; } | tee -a "$out/log"
jmh() { # name, extra args...
  local name=$1; shift
  "$java" --add-modules jdk.incubator.vector --sun-misc-unsafe-memory-access=allow -jar "$bench" \
    "$@" -f 1 ${JMH_OPTS:--wi 2 -w 500ms -i 3 -r 500ms} -rf json -rff "$out/jmh-$name.json" 2>&1 \
    | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)' | tee -a "$out/log"
}
log "JMH: BPTT iteration, B x K (automatic shards)"
jmh bptt ParallelBpttBenchmark -p rule=bptt -p batch=256,1024,4096 -p threads=$(csv $threads)
log "JMH: e-prop iteration"
jmh eprop ParallelBpttBenchmark -p rule=eprop -p batch=256,4096 -p threads=${EPROP_THREADS:-1,8,16}
log "JMH: other shard plans at 8-16 threads"
jmh shards ParallelBpttBenchmark -p rule=bptt -p batch=256 -p shards=16,32 -p threads=${SHARD_THREADS:-8,16}
jmh shards4096 ParallelBpttBenchmark -p rule=bptt -p batch=4096 -p shards=64,256 -p threads=${SHARD_THREADS_4096:-16}
log "JMH: one core (BPTT gradient by B, bio rules, lambda_max)"
jmh bptt1 'BpttBenchmark.gradient' -p batch=256,64,32,16,1
jmh bio1 'BioRulesBenchmark' -p rule=eprop,rflo -p batch=256,1
jmh lambda 'LambdaMaxBenchmark.lanczos$'
if [ -n "$data" ]; then
  for k in ${STUDY_THREADS:-16}; do
    log "study ${STUDY_PRESET:-paper-smnist} --threads $k"
    rm -rf "/tmp/pss$k"
    t0=$(date +%s.%N)
    "$java" --add-modules jdk.incubator.vector -jar "$tca" study --preset ${STUDY_PRESET:-paper-smnist} \
      --data "$data" --out "/tmp/pss$k" --threads "$k" > "$out/study$k.txt" 2> "$out/study$k.err"
    rc=$?
    echo "exit $rc, wall $(awk "BEGIN{print $(date +%s.%N) - $t0}") s" | tee -a "$out/log"
    tail -n 5 "$out/study$k.err" >> "$out/log"
    tail -n 25 "$out/study$k.txt" >> "$out/log"
  done
fi
if "$py" -c 'import torch' 2>/dev/null; then
  log "PyTorch CPU"
  "$py" scripts/bench/torch_rnn.py --batch 256 4096 --threads 1 8 16 --seconds 1.5 | tee -a "$out/log"
  if "$py" -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)'; then
    log "PyTorch CUDA"
    "$py" scripts/bench/torch_rnn.py --device cuda --batch 1 256 4096 --threads 1 --seconds 1.5 \
      | tee -a "$out/log"
  fi
fi
log "done"
