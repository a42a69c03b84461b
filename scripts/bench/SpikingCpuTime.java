import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.tca.jmh.SpikingBenchmark;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.spiking.FloatSpikingGradient;
import org.tca.rules.spiking.PoissonEvidenceEncoding;
import org.tca.rules.spiking.SpikingConfig;

/**
 * JMH SpikingBenchmark's setting (the published evidence-accumulation network, B = 64, T = 2250,
 * one offline gradient of BPTT and of e-prop, f32, one thread), timed by the thread's CPU time
 * (ThreadMXBean) of each gradient: the figure to compare with scripts/bench/spiking_torch.py's
 * process CPU time on a shared machine, where JMH's wall-clock average mostly measures the load.
 * Prints the minimum, median and maximum over 6 gradients after 6 warm-up ones. Run from the
 * repository root after {@code mvn -B -ntp -DskipTests package}:
 * {@code java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar
 * scripts/bench/SpikingCpuTime.java}.
 */
public class SpikingCpuTime {
  public static void main(String[] args) {
    var threads = ManagementFactory.getThreadMXBean();
    int warm = 6;
    int n = 6;
    for (String rule : new String[] {"bptt", "eprop"}) {
      SpikingConfig c = SpikingBenchmark.evidenceNetwork();
      FloatSpikingGradient r = rule.equals("bptt") ? FloatSpikingGradient.bptt(c)
          : FloatSpikingGradient.eprop(c);
      var params = SpikingBenchmark.evidenceParameters(c, 1);
      FloatBatch data = FloatBatch.classification(PoissonEvidenceEncoding.PUBLISHED_STEPS, 64,
          PoissonEvidenceEncoding.CHANNELS, 2, false);
      PoissonEvidenceEncoding.fill(data, new RandomStream(2));
      var workspace = r.newWorkspace(64, PoissonEvidenceEncoding.PUBLISHED_STEPS);
      float[] grad = params.newGradient();
      double[] ms = new double[n];
      double loss = 0;
      for (int i = 0; i < warm + n; i++) {
        long t0 = threads.getCurrentThreadCpuTime();
        loss = r.gradient(params, data, workspace, grad);
        long dt = threads.getCurrentThreadCpuTime() - t0;
        if (i >= warm) {
          ms[i - warm] = dt / 1e6;
        }
      }
      Arrays.sort(ms);
      System.out.printf(java.util.Locale.ROOT, "%s: thread CPU ms per gradient: min %.0f, median"
          + " %.0f, max %.0f (%d after %d warm-up); loss %.4f, mean rate %.1f Hz%n", rule, ms[0],
          (ms[n / 2 - 1] + ms[n / 2]) / 2, ms[n - 1], n, warm, loss,
          1000 * r.network().meanRate(workspace.trajectory()));
    }
  }
}
