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
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatBptt;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.FloatSgd;
import org.tca.rules.optim.FloatUpdater;
import org.tca.rules.optim.LearningRateSchedule;
import org.tca.rules.optim.TrainableRanges;
import org.tca.rules.train.ParallelRule;

/**
 * One batch-parallel BPTT training iteration (sharded gradient over K threads, fixed-order f64
 * shard reduction, SGD step, projection) at the paper's sMNIST configuration: ReLU RNN, a = 0,
 * N = 128, N_in = 28, N_out = 10, T = 28, B = 256, cross-entropy at the last step, L2 on.
 * {@code threads} is K; {@code shards} is S ({@code 0}: no {@link ParallelRule}, the plain rule on
 * the whole batch, for reference). Results are bit-identical for every K at a given S, so the
 * K = 2 over K = 1 ratio at the same S is the parallel speed-up. About 0.81 GFLOP per iteration
 * ({@link BpttBenchmark#flops}).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * ParallelBpttBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1} (add {@code -prof gc} for the allocation rate).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class ParallelBpttBenchmark {

  static final int N_IN = 28;
  static final int N = 128;
  static final int N_OUT = 10;
  static final int T = 28;
  static final int B = 256;

  @Param({"1", "2"})
  public int threads;

  @Param({"2", "8"})
  public int shards;

  private FloatLearningRule rule;
  private ParallelRule parallel;
  private FloatParameters params;
  private FloatBatch data;
  private FloatWorkspace workspace;
  private float[] grad;
  private FloatUpdater updater;

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig c = ModelConfig.builder(N_IN, N, N_OUT).build();
    FloatBptt bptt = new FloatBptt(c);
    if (shards > 0) {
      parallel = new ParallelRule(bptt, shards, threads);
      rule = parallel;
    } else {
      rule = bptt;
    }
    params = FloatParameters.initialize(c, 1);
    data = FloatBatch.classification(T, B, N_IN, N_OUT, false);
    RandomStream r = new RandomStream(2);
    for (int i = 0; i < data.x().length; i++) {
      data.x()[i] = r.nextFloat();
    }
    for (int i = 0; i < B; i++) {
      data.labels()[i] = r.nextInt(N_OUT);
    }
    workspace = rule.newWorkspace(B, T);
    grad = params.newGradient();
    int size = params.data().length;
    // a tiny rate keeps the weights (and so the work) essentially fixed over the measurement
    updater = new FloatUpdater(new FloatSgd(size, TrainableRanges.all(size)),
        LearningRateSchedule.constant(1e-9));
    System.out.printf("%n[ParallelBpttBenchmark] kernels=%s, K=%d, S=%d, %.4f GFLOP per "
        + "iteration%n", Kernels.provider(), threads, shards, BpttBenchmark.flops(B) / 1e9);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (parallel != null) {
      parallel.close();
    }
  }

  @Benchmark
  public double iteration() {
    double j = rule.gradient(params, data, workspace, grad);
    updater.step(params.data(), grad);
    params.project();
    return j;
  }
}
