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
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * One online step (B = 1, f32, single thread) of the RTRL approximations UORO, KF-RTRL,
 * R-KF-RTRL, SnAp-1 and SnAp-2, and of RFLO (issue 11) on vanilla-rtrl's
 * Add-task network: tanh, plain RNN (rate-leak, a = 1), N_in = 2, N_out = 2, cross-entropy at
 * every step, N = 32 and 64, sequences of 1000 steps. vanilla-rtrl (numpy, Marschall et al. 2020)
 * measured on that task: UORO 470-540 us, KF-RTRL 345-365 us per step; target &gt;= 30x faster.
 * Measured on the 2-core development machine under load from other builds (-wi 15 -w 2 -i 5;
 * the Vector API kernels need 15-30 s of warm-up there), CPU time per step, N = 32 / 64: UORO
 * 8.3 / 15.2 us, KF-RTRL 10.8 / 66.5, R-KF-RTRL 12.1 / 46.1, SnAp-1 11.0 / 22.5, SnAp-2 405 /
 * 2911, RFLO 3.1 / 6.1 (the README's table, beside vanilla-rtrl's figures).
 *
 *
 * <p>Besides JMH's wall-clock average, each trial prints the benchmark thread's CPU time per step
 * over the measurement iterations ("cpu: ... us/step", from ThreadMXBean), the figure to compare
 * on a shared machine. SnAp-2 on this dense W_rec keeps every entry (it is RTRL, O(N^4) per step).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * StochasticRtrlBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class StochasticRtrlBenchmark {

  static final int N_IN = 2;
  static final int N_OUT = 2;
  static final int T = 1000;

  /** One rule at one width. */
  @State(Scope.Thread)
  public static class Online extends CpuClock {
    @Param({"uoro", "kf-rtrl", "r-kf-rtrl", "snap-1", "snap-2", "rflo"})
    public String rule;

    @Param({"32", "64"})
    public int hidden;

    FloatLearningRule r;
    FloatParameters params;
    FloatBatch data;
    FloatWorkspace workspace;
    float[] grad;
    int t;

    @Setup(Level.Trial)
    public void setUp() {
      ModelConfig c = ModelConfig.builder(N_IN, hidden, N_OUT).cell(Cell.RATE_LEAK).leak(1.0)
          .activation(org.tca.numerics.kernels.Activation.TANH).build();
      r = FloatRules.create(rule, c, RuleOptions.defaults());
      params = FloatParameters.initialize(c, 1);
      data = FloatBatch.classification(T, 1, N_IN, N_OUT, true).lossAtEveryStep();
      RandomStream rs = new RandomStream(3);
      for (int i = 0; i < data.x().length; i++) {
        data.x()[i] = rs.nextInt(2);
      }
      for (int i = 0; i < data.labels().length; i++) {
        data.labels()[i] = rs.nextInt(N_OUT);
      }
      workspace = r.newWorkspace(1, T);
      grad = params.newGradient();
      r.beginOnline(params, workspace);
      t = 0;
    }

    @Override
    String clockLabel(BenchmarkParams bp) {
      return rule + " N=" + hidden;
    }
  }


  @Benchmark
  public double onlineStep(Online s) {
    if (s.t == T) {
      s.r.beginOnline(s.params, s.workspace);
      s.t = 0;
    }
    s.calls++;
    return s.r.stepOnline(s.params, s.data, s.t++, s.workspace, s.grad);
  }
}
