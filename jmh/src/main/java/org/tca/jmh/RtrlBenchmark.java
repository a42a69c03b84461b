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
import org.tca.rules.learning.FloatRtrl;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.ParameterLayout;

/**
 * One online f32 RTRL step (B = 1): forward step, influence update M_t = J_t M_{t-1} + D_t I_t
 * (an N x N by N x P product, P = N N_in + N^2 + N), readout, cross-entropy at every step and the
 * gradient c_t' M_t, single thread. N_in = 28, N_out = 10, a = 0 (the paper's cell), ReLU or
 * tanh (ReLU: about half the neurons have f' = 0, and {@link FloatRtrl} skips their rows, so the
 * product is about a quarter of the dense one; tanh: dense). The sequence is {@value #T} steps
 * long and restarts (beginOnline) when it ends, so the cheap first step (M_{-1} = 0) is 1/T of the
 * calls. Peer (vanilla-rtrl, numpy, one step):
 * 1.35 ms at N = 64, 19.75 ms at N = 128; aim: 5x faster (&lt;= 270 us, &lt;= 3.95 ms).
 * GFLOP/s of the dense influence product alone = 2 N^2 P / time ({@link #influenceFlops}).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * RtrlBenchmark -f 1 -wi 5 -w 2 -i 5 -r 1} (add {@code -prof gc} for the allocation rate). At
 * N = 128 a step takes milliseconds, so the once-per-step kernels need the longer warm-up to be
 * compiled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class RtrlBenchmark {

  static final int N_IN = 28;
  static final int N_OUT = 10;
  static final int T = 200;

  @Param({"64", "128"})
  public int hidden;

  @Param({"relu", "tanh"})
  public String activation;

  private FloatRtrl rule;
  private FloatParameters params;
  private FloatBatch data;
  private FloatWorkspace workspace;
  private float[] grad;
  private int t;

  /** Floating-point operations of the dense influence product N x N by N x P (multiply-add = 2). */
  public static double influenceFlops(ModelConfig c) {
    double n = c.hidden();
    return 2.0 * n * n * new ParameterLayout(c).recurrentSize();
  }

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig c = ModelConfig.builder(N_IN, hidden, N_OUT)
        .activation(Activation.parse(activation)).build();
    rule = new FloatRtrl(c);
    params = FloatParameters.initialize(c, 1);
    data = FloatBatch.classification(T, 1, N_IN, N_OUT, true).lossAtEveryStep();
    BenchData.fill(data, 2);
    workspace = rule.newWorkspace(1, T);
    grad = params.newGradient();
    rule.beginOnline(params, workspace);
    t = 0;
    System.out.printf("%n[RtrlBenchmark] kernels=%s, N=%d, %s, P=%d, %.4f GFLOP dense influence"
        + " product per step%n", Kernels.provider(), hidden, activation,
        new ParameterLayout(c).recurrentSize(), influenceFlops(c) / 1e9);
  }

  @Benchmark
  public double step() {
    if (t == T) {
      rule.beginOnline(params, workspace);
      t = 0;
    }
    return rule.stepOnline(params, data, t++, workspace, grad);
  }
}
