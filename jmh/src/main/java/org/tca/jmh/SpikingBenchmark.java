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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.FloatSpikingGradient;
import org.tca.rules.spiking.FloatSpikingWorkspace;
import org.tca.rules.spiking.PoissonEvidenceEncoding;
import org.tca.rules.spiking.SpikingConfig;

/**
 * Spiking cells (issue 14), f32, one thread: one offline gradient (event-driven forward, loss,
 * reverse sweep through the pseudo-derivative, event-driven weight sums; no optimizer step) of
 * BPTT and e-prop on the published evidence-accumulation network: 40 Poisson inputs
 * ({@link PoissonEvidenceEncoding}), 50 LIF + 50 ALIF units (tau_m = 20, tau_a = 2000 ms), 2
 * outputs, B = 64, T = 2250, loss on the 150-step recall window, firing-rate term on. W_in is
 * scaled so the network fires at roughly 10-20 Hz (printed at setup). Target: &lt;= 0.15 s each.
 *
 * <p>Besides JMH's wall-clock average, each trial prints the benchmark thread's CPU time per
 * gradient ("cpu: ... ms", ThreadMXBean; the minimum and the mean over the measurement
 * iterations' invocations), the figure to compare on a shared machine (the README's table).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * SpikingBenchmark -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class SpikingBenchmark {

  static final int N = 100;
  static final int B = 64;
  static final int T = PoissonEvidenceEncoding.PUBLISHED_STEPS;

  /** The network, batch and workspace of one rule. */
  @State(Scope.Thread)
  public static class Setting {
    @Param({"bptt", "eprop"})
    public String rule;

    FloatSpikingGradient r;
    FloatParameters params;
    FloatBatch data;
    FloatSpikingWorkspace workspace;
    float[] grad;
    boolean measuring;
    long invocations;
    long cpuTotal;
    long cpuMin = Long.MAX_VALUE;

    @Setup(Level.Iteration)
    public void iteration(IterationParams iteration) {
      measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void report() {
      System.out.printf(java.util.Locale.ROOT,
          "%ncpu: %s min %.1f ms, mean %.1f ms per gradient (%d invocations)%n", rule,
          cpuMin / 1e6, cpuTotal / 1e6 / Math.max(1, invocations), invocations);
    }

    @Setup(Level.Trial)
    public void setUp() {
      SpikingConfig c = evidenceNetwork();
      r = rule.equals("bptt") ? FloatSpikingGradient.bptt(c) : FloatSpikingGradient.eprop(c);
      params = evidenceParameters(c, 1);
      data = FloatBatch.classification(T, B, PoissonEvidenceEncoding.CHANNELS, 2, false);
      PoissonEvidenceEncoding.fill(data, new RandomStream(2));
      workspace = r.newWorkspace(B, T);
      grad = params.newGradient();
      r.gradient(params, data, workspace, grad);
      System.out.printf("%n[SpikingBenchmark] kernels=%s rule=%s mean rate %.1f Hz%n",
          Kernels.provider(), rule, 1000 * r.network().meanRate(workspace.trajectory()));
    }
  }

  /** The published evidence-accumulation network (rate term toward 10 Hz). */
  public static SpikingConfig evidenceNetwork() {
    ModelConfig base = ModelConfig.builder(PoissonEvidenceEncoding.CHANNELS, N, 2)
        .recurrentBias(false).l2(0).build();
    return SpikingConfig.published(base).withRate(1e-2, 0.01);
  }

  /** Parameters from {@code seed} with W_in and W_rec scaled for a ~10-20 Hz network. */
  public static FloatParameters evidenceParameters(SpikingConfig c, long seed) {
    FloatParameters p = FloatParameters.initialize(c.base(), seed);
    var win = p.view(org.tca.rules.model.Block.W_IN);
    for (int i = win.offset(); i < win.end(); i++) {
      p.data()[i] *= 2f;
    }
    var wrec = p.view(org.tca.rules.model.Block.W_REC);
    for (int i = wrec.offset(); i < wrec.end(); i++) {
      p.data()[i] *= 0.5f;
    }
    return p;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public double gradient(Setting s) {
    long start = THREADS.getCurrentThreadCpuTime();
    double j = s.r.gradient(s.params, s.data, s.workspace, s.grad);
    if (s.measuring) {
      long cpu = THREADS.getCurrentThreadCpuTime() - start;
      s.invocations++;
      s.cpuTotal += cpu;
      s.cpuMin = Math.min(s.cpuMin, cpu);
    }
    return j;
  }

  static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
}
