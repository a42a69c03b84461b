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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.curvature.BlockSelection;
import org.tca.rules.curvature.FloatHessianVectorProduct;
import org.tca.rules.learning.FloatBptt;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * One exact f32 Hessian-vector product (forward-over-reverse, {@link FloatHessianVectorProduct})
 * against one f32 BPTT gradient ({@link FloatBptt}) in the same fork, at the paper's sMNIST
 * configuration (ReLU, a = 0, N = 128, N_in = 28, N_out = 10, T = 28, B = 256, cross-entropy at
 * the last step, L2 on, single thread), over W_rec alone and over all blocks. {@code hvp} is one
 * product at a prepared point (the use in Lanczos, power iteration, trace and density);
 * {@code prepare} is the once-per-point forward and backward pass. Target: hvp &lt;= 2.5x
 * bpttGradient (PyTorch double backward: 23 ms vs 14 ms), allocation-free (-prof gc).
 *
 * Per-thread CPU time per call is printed as {@code cpu:} ({@link CpuClock}).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * HessianVectorProductBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class HessianVectorProductBenchmark extends CpuClock {

  static final int N_IN = 28;
  static final int N = 128;
  static final int N_OUT = 10;
  static final int T = 28;
  static final int B = 256;

  /** "W_rec" or "all". */
  @Param({"W_rec", "all"})
  public String blocks;

  private FloatParameters params;
  private FloatBatch data;
  private FloatHessianVectorProduct hvp;
  private double[] v;
  private double[] out;
  private FloatBptt rule;
  private FloatWorkspace workspace;
  private float[] grad;

  /** The paper's network at initialisation and a seeded batch of uniform pixels. */
  static FloatBatch batch(long seed) {
    FloatBatch b = FloatBatch.classification(T, B, N_IN, N_OUT, false);
    BenchData.fill(b, seed);
    return b;
  }

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig c = ModelConfig.builder(N_IN, N, N_OUT).build();
    params = FloatParameters.initialize(c, 1);
    data = batch(2);
    BlockSelection sel = BlockSelection.of(params.layout(), params.structure(),
        BlockSelection.parseBlocks(blocks));
    hvp = new FloatHessianVectorProduct(c, sel, B, T);
    hvp.prepare(params, data);
    v = new double[sel.dimension()];
    new RandomStream(3).fillNormal(v, 0, v.length, 0, 1);
    out = new double[v.length];
    rule = new FloatBptt(c);
    workspace = rule.newWorkspace(B, T);
    grad = params.newGradient();
    System.out.printf("%n[HessianVectorProductBenchmark] kernels=%s, blocks=%s, dimension=%d%n",
        Kernels.provider(), sel, sel.dimension());
  }

  @Override
  String clockLabel(BenchmarkParams bp) {
    return bp.getBenchmark() + " " + blocks;
  }

  @Benchmark
  public double hvp() {
    calls++;
    hvp.apply(v, out);
    return out[0];
  }

  @Benchmark
  public double prepare() {
    calls++;
    return hvp.prepare(params, data);
  }

  @Benchmark
  public double bpttGradient() {
    calls++;
    return rule.gradient(params, data, workspace, grad);
  }
}
