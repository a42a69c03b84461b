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
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * One online step of e-prop and RFLO, f32, one thread (issue 10's single-core online target,
 * &lt;= 3 us per step; vanilla-rtrl RFLO: 157 us): B = 1, N = 128, N_in = 28, N_out = 10, ReLU,
 * loss at every step (so every step emits an update), on each cell (voltage-leak a = exp(-1/20):
 * the factored trace; rate-leak a = 1/20: RFLO's full N x (N_in + N + 1) trace), sequences of
 * 1000 steps. The step is u = W_in x + W_rec z (two gemvs), the readout and its rank-1
 * gradient, the trace update, and the emission of the recurrent blocks' gradient
 * (N x (N_in + N) values written). The embedding service runs the same step per event.
 *
 * <p>Warm-up: 20 one-second iterations. The Vector API kernels run 100-1000x slower until C2
 * has compiled them, and on a loaded 2-vCPU machine the online step took 10-15 s to get there
 * (the first iterations report milliseconds per step); JMH's usual 3 seconds report the
 * interpreter.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * OnlineStepBenchmark -f 1 -i 5 -r 1} (add {@code -prof gc} for the allocation rate: 0 B/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 20, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class OnlineStepBenchmark {

  static final int N_IN = 28;
  static final int N = 128;
  static final int N_OUT = 10;
  static final int T = 1000;

  @State(Scope.Thread)
  public static class Online {
    @Param({"eprop", "rflo"})
    public String rule;

    @Param({"voltage-leak", "rate-leak"})
    public String cell;

    FloatLearningRule r;
    FloatParameters params;
    FloatBatch data;
    FloatWorkspace workspace;
    float[] grad;
    int t;

    @Setup(Level.Trial)
    public void setUp() {
      ModelConfig c = ModelConfig.builder(N_IN, N, N_OUT).cell(Cell.parse(cell)).tau(20, 1)
          .build();
      r = FloatRules.create(rule, c, RuleOptions.defaults());
      params = FloatParameters.initialize(c, 1);
      data = FloatBatch.classification(T, 1, N_IN, N_OUT, true).lossAtEveryStep();
      BenchData.fill(data, 3);
      workspace = r.newWorkspace(1, T);
      grad = params.newGradient();
      r.beginOnline(params, workspace);
      t = 0;
      System.out.printf("%n[OnlineStepBenchmark] kernels=%s rule=%s cell=%s%n",
          Kernels.provider(), rule, cell);
    }
  }

  @Benchmark
  public double step(Online s) {
    if (s.t == T) {
      s.r.beginOnline(s.params, s.workspace);
      s.t = 0;
    }
    return s.r.stepOnline(s.params, s.data, s.t++, s.workspace, s.grad);
  }
}
