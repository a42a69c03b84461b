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
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatBptt;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * One f32 BPTT gradient (forward, loss, backward, weight gradients; no optimizer step) at the
 * paper's sMNIST configuration: ReLU RNN, a = 0, N = 128, N_in = 28, N_out = 10, T = 28,
 * cross-entropy at the last step, L2 on, single thread. GFLOP/s = {@link #flops(int)} / time:
 * 2 T B N (N_in + N) forward, 2 (T-1) B N^2 + 2 B N N_out recurrent backward, 2 T B N (N + N_in)
 * weight gradients, 4 B N N_out readout (about 0.81 GFLOP at B = 256). Target: &lt;= 8.3 ms at
 * B = 256 (PyTorch 1.13, one thread: 10.2 ms; B = 16: 1.87 ms; B = 1: 1.32 ms).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * BpttBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1} (add {@code -prof gc} for the allocation rate).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class BpttBenchmark {

  static final int N_IN = 28;
  static final int N = 128;
  static final int N_OUT = 10;
  static final int T = 28;

  @Param({"256", "16", "1"})
  public int batch;

  /** The activation f (relu is the paper's; the smooth ones run the vector exp). */
  @Param({"relu"})
  public String activation;

  private FloatBptt rule;
  private FloatParameters params;
  private FloatBatch data;
  private FloatWorkspace workspace;
  private float[] grad;

  /** Floating-point operations of one gradient at batch size b (multiply-add = 2). */
  public static double flops(int b) {
    double forward = 2.0 * T * b * N * (N_IN + N) + 2.0 * b * N * N_OUT;
    double backward = 2.0 * (T - 1) * b * N * N + 2.0 * b * N * N_OUT;
    double weights = 2.0 * T * b * N * (N + N_IN) + 2.0 * b * N * N_OUT;
    return forward + backward + weights;
  }

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig c = ModelConfig.builder(N_IN, N, N_OUT).activation(Activation.parse(activation))
        .build();
    rule = new FloatBptt(c);
    params = FloatParameters.initialize(c, 1);
    data = FloatBatch.classification(T, batch, N_IN, N_OUT, false);
    BenchData.fill(data, 2);
    workspace = rule.newWorkspace(batch, T);
    grad = params.newGradient();
    System.out.printf("%n[BpttBenchmark] kernels=%s, B=%d, %.4f GFLOP per gradient "
        + "(GFLOP/s = this / seconds per op)%n", Kernels.provider(), batch, flops(batch) / 1e9);
  }

  @Benchmark
  public double gradient() {
    return rule.gradient(params, data, workspace, grad);
  }
}
