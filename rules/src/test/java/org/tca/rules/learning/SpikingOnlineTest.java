package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.PrecisionConversion;
import org.tca.rules.spiking.DoubleSpikingRules;
import org.tca.rules.spiking.FloatSpikingRules;

/**
 * The online modes of the spiking rules (e-prop's per-synapse traces, RTRL's influence
 * matrices, MDGL's modulatory traces, tbptt's ring of the last k steps, k = 5, and its
 * accumulators of the firing-rate term) against their offline form, over the
 * cases of {@link SpikingGradientTest}: with the weights held fixed, the per-step estimates g_t
 * of each sample (B = 1) sum to that sample's offline estimate, and the mean over the samples
 * equals the offline estimate of the batch; the returned w_t l_t (plus the rate term) sum to J
 * minus the L2 penalty.
 *
 * <p>f64: the forward (online) and the reverse (offline) sums agree to rounding, relative 1e-11
 * of the largest entry (T = 30 steps; each entry a sum of O(T) terms carried through O(T)
 * filter steps, so about T^2 u = 1e-13, with headroom). f32: the same spikes (the online step is
 * the offline step with B = 1, so the trajectory is bit-identical); relative error bounded by
 * 4 T u_32 normwise, u_32 = 2^-24.
 */
class SpikingOnlineTest {

  /** Window 5 of 30 steps for tbptt; the feedback seed of eprop-random. */
  private static final RuleOptions OPTIONS = RuleOptions.defaults().withWindow(5)
      .withFeedbackSeed(9);

  static List<Object[]> cases() {
    List<Object[]> out = new java.util.ArrayList<>();
    for (SpikingGradientTest.Case k : SpikingGradientTest.cases()) {
      for (String id : List.of("eprop", "eprop-random", "rtrl", "mdgl", "mdgl-celltype",
          "tbptt")) {
        out.add(new Object[] {id, k});
      }
    }
    return out;
  }

  /** Sample b of a batch as a B = 1 batch. */
  static DoubleBatch sample(DoubleBatch batch, int b) {
    int steps = batch.steps();
    DoubleBatch one = batch.classification()
        ? DoubleBatch.classification(steps, 1, batch.inputs(), batch.outputs(),
            batch.labelsPerStep())
        : DoubleBatch.regression(steps, 1, batch.inputs(), batch.outputs());
    for (int t = 0; t < steps; t++) {
      System.arraycopy(batch.x(), batch.xOffset(t, b), one.x(), one.xOffset(t, 0),
          batch.inputs());
      if (batch.classification()) {
        one.labels()[one.labelIndex(t, 0)] = batch.label(t, b);
      } else {
        System.arraycopy(batch.targets(), batch.targetOffset(t, b), one.targets(),
            one.targetOffset(t, 0), batch.outputs());
      }
    }
    return one.lossMask(batch.lossMask().clone());
  }

  /** The same batch in f32 (its values came from f32, so exactly). */
  static FloatBatch narrow(DoubleBatch d) {
    FloatBatch f = d.classification()
        ? FloatBatch.classification(d.steps(), d.size(), d.inputs(), d.outputs(),
            d.labelsPerStep())
        : FloatBatch.regression(d.steps(), d.size(), d.inputs(), d.outputs());
    for (int i = 0; i < d.x().length; i++) {
      f.x()[i] = (float) d.x()[i];
    }
    if (d.classification()) {
      System.arraycopy(d.labels(), 0, f.labels(), 0, d.labels().length);
    } else {
      for (int i = 0; i < d.targets().length; i++) {
        f.targets()[i] = (float) d.targets()[i];
      }
    }
    float[] m = new float[d.steps()];
    for (int t = 0; t < m.length; t++) {
      m[t] = (float) d.lossMask()[t];
    }
    return f.lossMask(m);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void onlineSumsToOfflineInDouble(String id, SpikingGradientTest.Case k) {
    assertOnlineSumsTo(id, id, k);
  }

  /** Online RTRL, summed over the steps and averaged over the samples, is BPTT's gradient. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.tca.rules.learning.SpikingGradientTest#cases")
  void onlineRtrlSumsToBptt(SpikingGradientTest.Case k) {
    assertOnlineSumsTo("rtrl", "bptt", k);
  }

  /**
   * Online tbptt with a window longer than the sequence (its ring holds all T steps, each rate
   * credit slot completed only at the last step) is BPTT's gradient.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.tca.rules.learning.SpikingGradientTest#cases")
  void onlineTbpttOverTheWholeSequenceSumsToBptt(SpikingGradientTest.Case k) {
    assertOnlineSumsTo("tbptt", "bptt", k, OPTIONS.withWindow(1000));
  }

  private static void assertOnlineSumsTo(String id, String reference, SpikingGradientTest.Case k) {
    assertOnlineSumsTo(id, reference, k, OPTIONS);
  }

  /** f64: rule {@code id} online against rule {@code reference} offline, to 1e-11. */
  private static void assertOnlineSumsTo(String id, String reference, SpikingGradientTest.Case k,
      RuleOptions options) {
    DoubleParameters p = SpikingGradientTest.parameters(k);
    DoubleBatch batch = SpikingGradientTest.batch(k);
    DoubleLearningRule rule = DoubleSpikingRules.create(id, k.config(),
        options, Kernels.scalarF64());
    DoubleLearningRule offlineRule = DoubleSpikingRules.create(reference, k.config(),
        options, Kernels.scalarF64());
    assertTrue(rule.supportsOnline());
    int bs = batch.size();
    double[] offline = p.newGradient();
    double j = offlineRule.gradient(p, batch, offlineRule.newWorkspace(bs, batch.steps()),
        offline);
    double[] online = p.newGradient();
    double[] g = p.newGradient();
    double jOnline = 0;
    DoubleWorkspace ws = rule.newWorkspace(1, batch.steps());
    for (int b = 0; b < bs; b++) {
      DoubleBatch one = sample(batch, b);
      rule.beginOnline(p, ws);
      for (int t = 0; t < one.steps(); t++) {
        jOnline += rule.stepOnline(p, one, t, ws, g) / bs;
        for (int i = 0; i < g.length; i++) {
          online[i] += g[i] / bs;
        }
      }
    }
    double scale = 0;
    for (double v : offline) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < offline.length; i++) {
      assertEquals(offline[i], online[i], 1e-11 * scale,
          id + " online vs " + reference + " " + k + " entry " + i);
    }
    double l2 = new org.tca.rules.spiking.DoubleSpikingNetwork(k.config()).l2Penalty(p);
    assertEquals(j, jOnline + l2, 1e-12 * Math.abs(j), "objective");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void onlineSumsToOfflineInFloat(String id, SpikingGradientTest.Case k) {
    FloatParameters p = PrecisionConversion.narrow(SpikingGradientTest.parameters(k));
    DoubleBatch wide = SpikingGradientTest.batch(k);
    FloatLearningRule rule = FloatSpikingRules.create(id, k.config(),
        OPTIONS, Kernels.scalarF32());
    float[] offline = p.newGradient();
    rule.gradient(p, narrow(wide), rule.newWorkspace(wide.size(), wide.steps()), offline);
    double[] online = new double[offline.length];
    float[] g = p.newGradient();
    FloatWorkspace ws = rule.newWorkspace(1, wide.steps());
    for (int b = 0; b < wide.size(); b++) {
      FloatBatch one = narrow(sample(wide, b));
      rule.beginOnline(p, ws);
      for (int t = 0; t < one.steps(); t++) {
        rule.stepOnline(p, one, t, ws, g);
        for (int i = 0; i < g.length; i++) {
          online[i] += (double) g[i] / wide.size();
        }
      }
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < offline.length; i++) {
      diff += (online[i] - offline[i]) * (online[i] - offline[i]);
      norm += (double) offline[i] * offline[i];
    }
    double bound = 4.0 * wide.steps() * Math.scalb(1.0, -24);
    assertTrue(Math.sqrt(diff) <= bound * Math.sqrt(norm), id + " " + k + ": |online - offline| = "
        + Math.sqrt(diff) + " > 4 T u |offline| = " + bound * Math.sqrt(norm));
  }
}
