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
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.FloatSgd;
import org.tca.rules.optim.FloatUpdater;
import org.tca.rules.optim.LearningRateSchedule;
import org.tca.rules.optim.TrainableRanges;
import org.tca.rules.task.Dataset;
import org.tca.rules.train.ParallelRule;

/**
 * One batch-parallel training iteration as the trainer runs it (each shard gathers its trials
 * from the dataset on the thread that computes it, sharded gradient on K threads, fixed-order f64
 * shard reduction, SGD step, projection) at the paper's sMNIST configuration: ReLU RNN, a = 0,
 * N = 128, N_in = 28, N_out = 10, T = 28, cross-entropy at the last step, L2 on. {@code threads}
 * is K; {@code shards} is S (0: the automatic choice for B, {@link ParallelRule#defaultShards}).
 * Results are bit-identical for every K at a given S, so the ratio of two K at the same S is the
 * parallel speed-up. BPTT is about 0.81 GFLOP per iteration at B = 256 ({@link
 * BpttBenchmark#flops}). Targets (issue 10): 2 threads &gt;= 1.85x one thread at B = 256 and
 * 1024 on 2 cores; on 16 cores B = 4096 &lt;= 12 ms and B = 256 &lt;= 1.5 ms on 16 threads, and
 * speed-up / K &gt;= 75% at K = 8 for B &gt;= 1024.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * ParallelBpttBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -p threads=1,2 -p batch=256,1024} (add
 * {@code -prof gc} for the allocation rate).
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

  @Param({"bptt"})
  public String rule;

  @Param({"256", "1024", "4096"})
  public int batch;

  @Param({"1", "2"})
  public int threads;

  @Param({"0"})
  public int shards;

  private ParallelRule parallel;
  private FloatParameters params;
  private Dataset data;
  private int[] order;
  private int offset;
  private FloatWorkspace workspace;
  private float[] grad;
  private FloatUpdater updater;

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig c = ModelConfig.builder(N_IN, N, N_OUT).build();
    int s = shards > 0 ? shards : ParallelRule.defaultShards(batch);
    parallel = new ParallelRule(FloatRules.create(rule, c, 1), s, threads);
    params = FloatParameters.initialize(c, 1);
    int n = 2 * batch;
    float[] x = new float[n * T * N_IN];
    int[] labels = new int[n];
    RandomStream r = new RandomStream(2);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(N_OUT);
    }
    float[] mask = new float[T];
    mask[T - 1] = 1;
    data = Dataset.ofClassification("bench", T, N_IN, N_OUT, mask, x, labels);
    order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) ((i * 7919L) % n);
    }
    workspace = parallel.newWorkspace(batch, T);
    grad = params.newGradient();
    int size = params.data().length;
    // a tiny rate keeps the weights (and so the work) essentially fixed over the measurement
    updater = new FloatUpdater(new FloatSgd(size, TrainableRanges.all(size)),
        LearningRateSchedule.constant(1e-9));
    System.out.printf("%n[ParallelBpttBenchmark] kernels=%s, rule=%s, B=%d, K=%d, S=%d, %.4f"
        + " GFLOP per BPTT iteration%n", Kernels.provider(), rule, batch, threads, s,
        BpttBenchmark.flops(batch) / 1e9);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }

  @Benchmark
  public double iteration() {
    offset = offset == 0 ? batch : 0;
    double j = parallel.gradient(params, data, order, offset, workspace, grad);
    updater.step(params.data(), grad);
    params.project();
    return j;
  }
}
