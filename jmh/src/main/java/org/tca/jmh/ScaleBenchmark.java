package org.tca.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.train.ParallelRule;

/**
 * How one gradient's time and memory grow with the network and the sequence: a ReLU RNN, a = 0,
 * N_in = 28, N_out = 10, cross-entropy at the last step, batch B on K threads with the automatic
 * shards, for N = 128 ... 2048 and T = 28 ... 2000. Setup prints the workspace bytes (the wrapped
 * rule's workspace per seat, times the seats K, plus one gradient buffer per shard), the figure
 * that bounds the memory of a run; nominal GFLOP per BPTT gradient = 6 T B N (N + N_in).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * ScaleBenchmark -f 1 -wi 1 -i 3 -bm ss -p threads=2} (single-shot: the largest cases take
 * seconds per gradient).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE,
    "-Xmx20g"})
public class ScaleBenchmark {

  static final int N_IN = 28;
  static final int N_OUT = 10;

  @Param({"bptt", "eprop"})
  public String rule;

  @Param({"128", "512", "2048"})
  public int hidden;

  @Param({"28", "280", "2000"})
  public int steps;

  @Param({"32"})
  public int batch;

  @Param({"1"})
  public int threads;

  private ParallelRule parallel;
  private FloatParameters params;
  private FloatBatch data;
  private ParallelRule.Workspace workspace;
  private float[] grad;

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig c = ModelConfig.builder(N_IN, hidden, N_OUT).build();
    parallel = new ParallelRule(FloatRules.create(rule, c, 1), ParallelRule.defaultShards(batch),
        threads);
    params = FloatParameters.initialize(c, 1);
    data = FloatBatch.classification(steps, batch, N_IN, N_OUT, false).lossAtLastStep();
    BenchData.fill(data, 2);
    workspace = parallel.newWorkspace(batch, steps);
    grad = params.newGradient();
    parallel.gradient(params, data, workspace, grad); // every seat's workspace exists after this
    System.out.printf("%n[ScaleBenchmark] kernels=%s rule=%s N=%d T=%d B=%d K=%d S=%d:"
        + " workspace %.1f MB, parameters %.1f MB, %.3f GFLOP per BPTT gradient%n",
        Kernels.provider(), rule, hidden, steps, batch, threads, parallel.shards(),
        workspace.sizeInBytes() / 1e6, 4.0 * params.data().length / 1e6,
        6.0 * steps * batch * hidden * (double) (hidden + N_IN) / 1e9);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }

  @Benchmark
  public double gradient() {
    return parallel.gradient(params, data, workspace, grad);
  }
}
