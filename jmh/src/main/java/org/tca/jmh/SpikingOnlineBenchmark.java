package org.tca.jmh;

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
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.spiking.PoissonEvidenceEncoding;
import org.tca.rules.spiking.SpikingConfig;

/**
 * The online spiking rules (issue 14), f32, one thread, B = 1: one {@code stepOnline} per call
 * (the rule's estimate g_t, no optimizer step) on the published evidence-accumulation network of
 * {@link SpikingBenchmark} (40 Poisson inputs, 50 LIF + 50 ALIF, 2 outputs, T = 2250, loss on
 * the recall window, rate term on; tbptt without it and {@code tbptt-rate} tbptt with it, window
 * k = {@code window}, {@value #WINDOW} unless {@code -p window=...}), cycling through whole
 * sequences; and {@code learnerStep}: the embedding service's spiking learner
 * ({@code OnlineLearner}, e-prop, SGD) on the same network, predict then learn, per call.
 *
 * <p>Each trial prints the benchmark thread's CPU time per step ({@link CpuClock}, "cpu: RULE
 * ... us/step"), the figure to compare on a shared machine (the README's table).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * SpikingOnlineBenchmark -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class SpikingOnlineBenchmark {

  static final int T = PoissonEvidenceEncoding.PUBLISHED_STEPS;
  static final int WINDOW = 50;

  /** One rule's network, trial, workspace and step counter. */
  @State(Scope.Thread)
  public static class Online extends CpuClock {
    @Param({"eprop", "mdgl", "mdgl-celltype", "tbptt", "tbptt-rate", "rtrl"})
    public String rule;

    /** The tbptt window k. */
    @Param({"" + WINDOW})
    public int window;

    FloatLearningRule r;
    FloatParameters params;
    FloatBatch data;
    FloatWorkspace workspace;
    float[] grad;
    int t;

    @Setup(Level.Trial)
    public void setUp() {
      SpikingConfig c = SpikingBenchmark.evidenceNetwork();
      String id = rule;
      if (rule.equals("tbptt")) {
        c = c.withRate(0, c.targetRate());
      } else if (rule.equals("tbptt-rate")) {
        id = "tbptt";
      }
      r = FloatSpikingRules.create(id, c, RuleOptions.defaults().withWindow(window));
      params = SpikingBenchmark.evidenceParameters(c, 1);
      data = trial();
      workspace = r.newWorkspace(1, T);
      grad = params.newGradient();
      r.beginOnline(params, workspace);
      t = 0;
      System.out.printf("%n[SpikingOnlineBenchmark] kernels=%s rule=%s k=%d%n",
          Kernels.provider(), rule, window);
    }

    @Override
    String clockLabel(BenchmarkParams bp) {
      return rule.startsWith("tbptt") ? rule + " k=" + window : rule;
    }
  }

  /** One evidence-accumulation trial (B = 1) of the Poisson encoding. */
  static FloatBatch trial() {
    FloatBatch data = FloatBatch.classification(T, 1, PoissonEvidenceEncoding.CHANNELS, 2,
        false);
    PoissonEvidenceEncoding.fill(data, new RandomStream(2));
    return data;
  }

  /** The embedding service's spiking e-prop learner on the same network and trial. */
  @State(Scope.Thread)
  public static class Learner extends CpuClock {
    OnlineLearner learner;
    FloatBatch data;
    int t;
    final float[] y = new float[2];

    @Setup(Level.Trial)
    public void setUp() {
      learner = new OnlineLearner(LearnerConfig.parse("{\"name\": \"bench\", \"inputs\": "
          + PoissonEvidenceEncoding.CHANNELS + ", \"hidden\": 100, \"outputs\": 2, \"cell\":"
          + " \"lif-alif\", \"input_gain\": 4, \"rate_cost\": 0.01, \"loss\": \"cross-entropy\","
          + " \"rule\": \"eprop\", \"optimizer\": \"sgd\", \"lr\": 1e-5, \"steps\": " + T + "}"));
      data = trial();
    }

    @Override
    String clockLabel(BenchmarkParams bp) {
      return "OnlineLearner.step spiking eprop";
    }
  }

  @Benchmark
  public double step(Online s) {
    if (s.t == T) {
      s.r.beginOnline(s.params, s.workspace);
      s.t = 0;
    }
    s.calls++;
    return s.r.stepOnline(s.params, s.data, s.t++, s.workspace, s.grad);
  }

  @Benchmark
  public double learnerStep(Learner l) {
    int t = l.t;
    l.t = t + 1 == T ? 0 : t + 1;
    l.calls++;
    return l.learner.step(l.data.x(), l.data.xOffset(t, 0), null, 0,
        l.data.labels()[l.data.labelIndex(t, 0)], true, l.y, 0);
  }
}
