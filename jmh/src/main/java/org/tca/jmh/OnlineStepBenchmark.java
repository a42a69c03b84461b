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
import org.tca.embed.LearnerConfig;
import org.tca.embed.OnlineLearner;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.FloatOptimizer;
import org.tca.rules.optim.FloatOptimizers;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.rules.optim.TrainableRanges;

/**
 * One online step of e-prop and RFLO, f32, one thread (issue 10's single-core online target,
 * &lt;= 3 us per step; vanilla-rtrl RFLO: 157 us): B = 1, N = 128, N_in = 28, N_out = 10, ReLU,
 * loss at every step (so every step emits an update), on each cell (voltage-leak a = exp(-1/20):
 * the factored trace; rate-leak a = 1/20: RFLO's full N x (N_in + N + 1) trace), sequences of
 * 1000 steps. The step is u = W_in x + W_rec z (two gemvs), the readout and its rank-1
 * gradient, the trace update, and the update of the recurrent blocks, by optimizer:
 * <ul>
 *   <li>{@code none}: the rule's estimate only, N x (N_in + N) values of g_t written;
 *   <li>{@code sgd}, {@code adam}: the fused step the embedding service runs per event (the
 *       optimizer takes W_in | W_rec a chunk of rows at a time as the rule emits them, g_t is
 *       never written whole), lr 1e-5;
 *   <li>{@code sgd-unfused}, {@code adam-unfused}: the same update as two calls, the estimate
 *       and then {@code optimizer.step} (the bits are the same; the cost is what fusing saves).
 * </ul>
 *
 * <p>Besides JMH's wall-clock average, each trial prints the benchmark thread's CPU time per step
 * over the measurement iterations ("cpu: ... us/step", from ThreadMXBean), the figure to compare
 * on a shared machine. {@code learnerStep} is the embedding service's whole step (predict, then
 * learn with the fused update) on its learner, as {@code EmbedLatencyBenchmark.inProcess} calls
 * it.
 *
 * <p>Warm-up: 20 one-second iterations. The Vector API kernels run 100-1000x slower until C2
 * has compiled them, and on a loaded 2-vCPU machine the online step took 10-15 s to get there
 * (the first iterations report milliseconds per step); JMH's usual 3 seconds report the
 * interpreter.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * OnlineStepBenchmark -f 1 -i 5 -r 1} (add {@code -prof gc} for the allocation rate: 0 B/op;
 * {@code -p optimizer=sgd,adam} for the fused steps only).
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
  public static class Online extends CpuClock {
    @Param({"eprop", "rflo"})
    public String rule;

    @Param({"voltage-leak", "rate-leak"})
    public String cell;

    @Param({"none", "sgd", "adam", "sgd-unfused", "adam-unfused"})
    public String optimizer;

    FloatLearningRule r;
    FloatParameters params;
    FloatBatch data;
    FloatWorkspace workspace;
    float[] grad;
    FloatOptimizer opt; // null: the estimate only
    boolean fused;
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
      if (!optimizer.equals("none")) {
        int size = params.data().length;
        opt = FloatOptimizers.create(OptimizerSettings.of(optimizer.replace("-unfused", "")),
            size, TrainableRanges.all(size));
        fused = !optimizer.endsWith("-unfused");
      }
      System.out.printf("%n[OnlineStepBenchmark] kernels=%s rule=%s cell=%s optimizer=%s%n",
          Kernels.provider(), rule, cell, optimizer);
    }

    @Override
    String clockLabel(BenchmarkParams bp) {
      return rule + " " + cell + " " + optimizer;
    }
  }

  /**
   * The embedding service's learner ({@link EmbedLatencyBenchmark#CONFIG}: e-prop, voltage
   * leak, N = 128, N_in = 28, N_out = 1, MSE, SGD), one {@code OnlineLearner.step} with learning
   * per call: the predict-then-learn step the service runs per request, compute only.
   */
  @State(Scope.Thread)
  public static class Learner extends CpuClock {
    OnlineLearner learner;
    final float[] x = new float[N_IN];
    final float[] target = {0.5f};
    final float[] y = new float[1];

    @Setup(Level.Trial)
    public void setUp() {
      learner = new OnlineLearner(LearnerConfig.parse(EmbedLatencyBenchmark.CONFIG));
      RandomStream r = new RandomStream(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
    }

    @Override
    String clockLabel(BenchmarkParams bp) {
      return "OnlineLearner.step";
    }
  }

  private static final double LR = 1e-5;

  @Benchmark
  public double step(Online s) {
    if (s.t == T) {
      s.r.beginOnline(s.params, s.workspace);
      s.t = 0;
    }
    s.calls++;
    if (s.opt == null) {
      return s.r.stepOnline(s.params, s.data, s.t++, s.workspace, s.grad);
    }
    if (s.fused) {
      return s.r.stepOnline(s.params, s.data, s.t++, s.workspace, s.grad, s.opt, LR);
    }
    double l = s.r.stepOnline(s.params, s.data, s.t++, s.workspace, s.grad);
    s.opt.step(s.params.data(), s.grad, 1.0, LR);
    return l;
  }

  @Benchmark
  public double learnerStep(Learner l) {
    l.calls++;
    return l.learner.step(l.x, 0, l.target, 0, 0, true, l.y, 0);
  }
}
