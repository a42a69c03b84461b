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
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * The bio-plausible rules (issue 4), f32, single thread (their online step:
 * {@link OnlineStepBenchmark}):
 *
 * <ul>
 *   <li>{@code offline}: one offline update (forward, loss, learning signal, eligibility, weight
 *       GEMMs; no optimizer step) at the paper's sMNIST configuration: ReLU RNN, voltage-leak,
 *       a = 0, N = 128, N_in = 28, N_out = 10, T = 28, cross-entropy at the last step, L2 on,
 *       B = 256, 16, 1. Targets: e-prop &lt;= 3.0 ms at B = 256 (PyTorch 1.13, one thread: 3.5
 *       ms), &lt;= 0.32 ms at B = 16 (0.97 ms / 3), &lt;= 0.069 ms at B = 1 (0.69 ms / 10).</li>
 * </ul>
 *
 * Per-thread CPU time per call is printed as {@code cpu:} ({@link CpuClock}).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * BioRulesBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1} (add {@code -prof gc} for the allocation rate).
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class BioRulesBenchmark {

  static final int N_IN = 28;
  static final int N = 128;
  static final int N_OUT = 10;
  static final int T = 28;

  /** The offline configuration. */
  @State(Scope.Thread)
  public static class Offline extends CpuClock {
    @Param({"eprop", "eprop-random", "rflo", "mdgl", "mdgl-celltype", "modprop"})
    public String rule;

    @Param({"256", "16", "1"})
    public int batch;

    FloatLearningRule r;
    FloatParameters params;
    FloatBatch data;
    FloatWorkspace workspace;
    float[] grad;

    @Setup(Level.Trial)
    public void setUp() {
      ModelConfig c = ModelConfig.builder(N_IN, N, N_OUT).build();
      r = FloatRules.create(rule, c, RuleOptions.defaults());
      params = FloatParameters.initialize(c, 1);
      data = FloatBatch.classification(T, batch, N_IN, N_OUT, false);
      BenchData.fill(data, 2);
      workspace = r.newWorkspace(batch, T);
      grad = params.newGradient();
      System.out.printf("%n[BioRulesBenchmark] kernels=%s rule=%s B=%d%n", Kernels.provider(),
          rule, batch);
    }

    @Override
    String clockLabel(BenchmarkParams bp) {
      return rule + " offline B=" + batch;
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public double offline(Offline s) {
    s.calls++;
    return s.r.gradient(s.params, s.data, s.workspace, s.grad);
  }
}
