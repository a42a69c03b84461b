package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;

/**
 * UORO, KF-RTRL and R-KF-RTRL: unbiased estimates of the RTRL gradient (and a biased variant is
 * caught by the same test), deterministic signs; with SnAp-1 and SnAp-2 (the deterministic
 * approximations): online == offline, f32 within its error bound of f64, and allocation-free
 * online steps.
 */
class StochasticRtrlTest {

  /** The random approximations. */
  static final List<String> STOCHASTIC = List.of("uoro", "kf-rtrl", "r-kf-rtrl");
  /** Every approximation of RTRL. */
  static final List<String> APPROXIMATE = List.of("uoro", "kf-rtrl", "r-kf-rtrl", "snap-1",
      "snap-2");

  /** The rule with the given id and sign seed (f64), or its decorrelated (biased) variant. */
  static DoubleLearningRule rule(String id, ModelConfig c, long seed, boolean biased) {
    return switch (id) {
      case "uoro" -> new DoubleUoro(c, seed, biased, Kernels.f64());
      case "kf-rtrl" -> new DoubleKfRtrl(c, seed, biased, Kernels.f64());
      case "r-kf-rtrl" -> new DoubleReverseKfRtrl(c, seed, biased, Kernels.f64());
      default -> throw new IllegalArgumentException(id);
    };
  }

  static Stream<Arguments> unbiasedCases() {
    List<Arguments> a = new ArrayList<>();
    for (String id : STOCHASTIC) {
      a.add(Arguments.of(id, ModelConfig.builder(2, 4, 2).activation(Activation.TANH).leak(0.4)
          .l2(0.05).build(), Fixtures.Mask.EVERY));
      a.add(Arguments.of(id, ModelConfig.builder(2, 4, 2).cell(Cell.RATE_LEAK)
          .activation(Activation.SOFTPLUS).leak(0.6).loss(LossKind.MSE).noAutapse(false)
          .build(), Fixtures.Mask.PARTIAL));
    }
    return a.stream();
  }

  /**
   * The mean of S = 5000 estimates, each with its own sign seed, of the gradient of a tiny
   * network (N = 4, T = 5, B = 1) against exact RTRL: every coordinate within 5 standard errors
   * (the standard error from the samples' own spread; the estimates are independent, so by the
   * central limit theorem a coordinate of an unbiased rule leaves 5 se with probability ~6e-7,
   * ~3e-5 over the ~50 coordinates); the exact readout coordinates (spread 0) agree to rounding.
   * The same test on the decorrelated variant (the right factor's signs drawn apart from the
   * left's, so the immediate term averages to 0) must fail: some coordinate beyond 5 se.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("unbiasedCases")
  void theMeanOfManySeededEstimatesIsTheRtrlGradient(String id, ModelConfig c,
      Fixtures.Mask mask) {
    int steps = 5;
    DoubleParameters p = DoubleParameters.initialize(c, 21);
    DoubleBatch batch = PrecisionConversion.widen(Fixtures.floatBatch(c, mask, false, steps, 1, 22));
    double[] exact = ExactRulesAgreementTest.gradient(new DoubleRtrl(c), p, batch);
    double honest = worstStandardScore(id, c, p, batch, exact, false);
    assertTrue(honest <= 5, id + ": a coordinate of the mean is " + honest
        + " standard errors from RTRL's gradient");
    double biased = worstStandardScore(id, c, p, batch, exact, true);
    assertTrue(biased > 5, id + " decorrelated: the biased variant passed (worst " + biased
        + " standard errors)");
  }

  /** max over coordinates of |mean - exact| / se (infinite when se = 0 and they differ). */
  private static double worstStandardScore(String id, ModelConfig c, DoubleParameters p,
      DoubleBatch batch, double[] exact, boolean biased) {
    int samples = 5_000;
    int len = exact.length;
    double[] sum = new double[len];
    double[] sumSq = new double[len];
    double[] g = p.newGradient();
    DoubleWorkspace ws = rule(id, c, 0, biased).newWorkspace(1, batch.steps());
    for (int s = 0; s < samples; s++) {
      rule(id, c, 1000 + s, biased).gradient(p, batch, ws, g);
      for (int i = 0; i < len; i++) {
        sum[i] += g[i];
        sumSq[i] += g[i] * g[i];
      }
    }
    double scale = ExactRulesAgreementTest.maxAbs(exact);
    double worst = 0;
    for (int i = 0; i < len; i++) {
      double mean = sum[i] / samples;
      double var = Math.max(0, (sumSq[i] / samples - mean * mean)) * samples / (samples - 1);
      double se = Math.sqrt(var / samples);
      double err = Math.abs(mean - exact[i]);
      if (se <= 1e-12 * scale) { // a deterministic coordinate: equal to rounding
        worst = Math.max(worst, err <= 1e-12 * scale ? 0 : Double.POSITIVE_INFINITY);
      } else {
        worst = Math.max(worst, err / se);
      }
    }
    return worst;
  }

  static List<Case> cases() {
    return Fixtures.allCases().stream().filter(k -> k.seed() % 4 == 1).toList();
  }

  /**
   * Online (per step, B = 1, weights fixed) sums to the offline estimate of the same sample, and
   * the offline estimate of a batch is the mean of its samples' offline estimates (the same signs:
   * each sample's stream is keyed by the parameters and its own inputs). Tolerance as in
   * {@link ExactRulesAgreementTest} (the same operations, summed in another order).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void onlineStepsSumToTheOfflineEstimate(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    for (String id : APPROXIMATE) {
      DoubleLearningRule r = DoubleRules.create(id, k.config(),
          RuleOptions.defaults().withFeedbackSeed(7));
      DoubleWorkspace ws = r.newWorkspace(1, Fixtures.T);
      double[] mean = p.newGradient();
      double meanJ = 0;
      for (int b = 0; b < Fixtures.B; b++) {
        DoubleBatch one = sample(batch, b);
        double[] sum = p.newGradient();
        double[] step = p.newGradient();
        double loss = 0;
        r.beginOnline(p, ws);
        for (int t = 0; t < Fixtures.T; t++) {
          loss += r.stepOnline(p, one, t, ws, step);
          for (int i = 0; i < sum.length; i++) {
            sum[i] += step[i];
          }
        }
        double[] offline = p.newGradient();
        double j = r.gradient(p, one, ws, offline);
        ExactRulesAgreementTest.assertClose(id + " online vs offline, sample " + b, offline, sum);
        double l2 = new org.tca.rules.model.DoubleNetwork(k.config()).l2Penalty(p);
        assertEquals(j - l2, loss, 1e-12 * Math.abs(j), id + " loss");
        for (int i = 0; i < sum.length; i++) {
          mean[i] += offline[i] / Fixtures.B;
        }
        meanJ += j / Fixtures.B;
      }
      double[] g = p.newGradient();
      double j = r.gradient(p, batch, r.newWorkspace(Fixtures.B, Fixtures.T), g);
      ExactRulesAgreementTest.assertClose(id + " batch vs mean of samples", mean, g);
      assertEquals(meanJ, j, 1e-12 * Math.abs(j), id + " batch objective");
    }
  }

  /** Sample b of a batch as a batch of one (the same mask). */
  static DoubleBatch sample(DoubleBatch batch, int b) {
    int steps = batch.steps();
    int nIn = batch.inputs();
    int nOut = batch.outputs();
    DoubleBatch one = batch.classification()
        ? DoubleBatch.classification(steps, 1, nIn, nOut, batch.labelsPerStep())
        : DoubleBatch.regression(steps, 1, nIn, nOut);
    for (int t = 0; t < steps; t++) {
      System.arraycopy(batch.x(), batch.xOffset(t, b), one.x(), one.xOffset(t, 0), nIn);
      if (batch.classification()) {
        one.labels()[one.labelIndex(t, 0)] = batch.label(t, b);
      } else {
        System.arraycopy(batch.targets(), batch.targetOffset(t, b), one.targets(),
            one.targetOffset(t, 0), nOut);
      }
    }
    return one.lossMask(batch.lossMask().clone());
  }

  static Stream<Arguments> precisionCases() {
    List<Arguments> a = new ArrayList<>();
    for (String id : APPROXIMATE) {
      a.add(Arguments.of(id, ModelConfig.builder(3, 5, 2).activation(Activation.TANH).leak(0.5)
          .build(), Fixtures.Mask.EVERY));
      a.add(Arguments.of(id, ModelConfig.builder(3, 5, 2).cell(Cell.RATE_LEAK).leak(0.3)
          .loss(LossKind.MSE).dale(true).build(), Fixtures.Mask.PARTIAL));
      a.add(Arguments.of(id, ModelConfig.builder(7, 32, 4).activation(Activation.SOFTPLUS)
          .connectionProbability(0.5).build(), Fixtures.Mask.LAST));
    }
    return a.stream();
  }

  /**
   * f32 against f64 on the same (f32-representable) weights and data, with the same signs (the
   * sign streams are keyed by the values, equal in both): the bound of
   * {@link PrecisionAgreementTest} (T = 6, B = 3), relative to ||g||_inf.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("precisionCases")
  void f32IsWithinItsErrorBoundOfF64(String id, ModelConfig c, Fixtures.Mask mask) {
    int steps = 6;
    int size = 3;
    FloatParameters p32 = FloatParameters.initialize(c, 11);
    DoubleParameters p64 = PrecisionConversion.widen(p32);
    FloatBatch b32 = Fixtures.floatBatch(c, mask, false, steps, size, 12);
    FloatLearningRule r32 = FloatRules.create(id, c, RuleOptions.defaults().withFeedbackSeed(5));
    DoubleLearningRule r64 = DoubleRules.create(id, c, RuleOptions.defaults().withFeedbackSeed(5));
    float[] g32 = p32.newGradient();
    double[] g64 = p64.newGradient();
    double j32 = r32.gradient(p32, b32, r32.newWorkspace(size, steps), g32);
    double j64 = r64.gradient(p64, PrecisionConversion.widen(b32), r64.newWorkspace(size, steps),
        g64);
    double u = Math.ulp(1.0f) / 2;
    int nMax = c.hidden() + c.inputs() + c.outputs() + 2;
    double rel = 16 * Math.sqrt(2.0 * steps * nMax + steps * size) * u;
    double scale = ExactRulesAgreementTest.maxAbs(g64);
    double maxErr = 0;
    for (int i = 0; i < g64.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(g32[i] - g64[i]));
    }
    assertTrue(maxErr <= rel * scale, id + ": f32 vs f64 error " + maxErr + " > bound "
        + rel * scale);
    assertTrue(maxErr > 0, "f32 and f64 paths should not be identical");
    assertTrue(Math.abs(j32 - j64) <= rel * Math.abs(j64), "objective " + j32 + " vs " + j64);
  }

  /** Same seed, same bits (on reuse and in a larger workspace); another seed, another estimate. */
  @Test
  void theSignsAreAFunctionOfTheSeedParametersAndSample() {
    Case k = Fixtures.allCases().get(5);
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    for (String id : STOCHASTIC) {
      DoubleLearningRule r = DoubleRules.create(id, k.config(), RuleOptions.defaults());
      assertEquals(id, r.id());
      assertTrue(FloatRules.NAMES.contains(id));
      assertEquals(RuleOptions.DEFAULT_FEEDBACK_SEED, r.settings().get("sign_seed"));
      double[] first = ExactRulesAgreementTest.gradient(r, p, batch);
      double[] again = p.newGradient();
      DoubleWorkspace big = r.newWorkspace(Fixtures.B + 2, Fixtures.T + 3);
      r.gradient(p, batch, big, again);
      r.gradient(p, batch, big, again);
      assertArrayEquals(first, again, id + ": reused, larger workspace");
      double[] other = ExactRulesAgreementTest.gradient(
          DoubleRules.create(id, k.config(), RuleOptions.defaults().withFeedbackSeed(2)), p,
          batch);
      assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(other), id);
      assertEquals(r.newWorkspace(1, 10).sizeInBytes(), r.newWorkspace(1, 1000).sizeInBytes(),
          id + ": memory must not grow with T");
    }
  }

  /**
   * After warm-up, a sequence of online steps (N = 32, B = 1) allocates nothing. With the scalar
   * kernels: whether the Vector API's kernels box their vectors depends on what C2 has compiled
   * and inlined so far (in a full test run a sequence still allocated ~1 KB per step after 5e4
   * steps), which is not this rule's code.
   */
  @Test
  void onlineStepsAllocateNothing() {
    assertTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
        && mx.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes");
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ModelConfig c = ModelConfig.builder(4, 32, 3).activation(Activation.TANH).leak(0.3).build();
    FloatParameters p = FloatParameters.initialize(c, 3);
    int steps = 50;
    FloatBatch batch = Fixtures.floatBatch(c, Fixtures.Mask.EVERY, false, steps, 1, 4);
    for (String id : APPROXIMATE) {
      FloatLearningRule r = FloatRules.create(id, c, RuleOptions.defaults(), Kernels.scalarF32());
      FloatWorkspace ws = r.newWorkspace(1, steps);
      float[] g = p.newGradient();
      long allocated = Long.MAX_VALUE;
      // the minimum over rounds, so a one-off JIT transition does not count as steady state
      for (int round = 0; round < 20 && allocated > 0; round++) {
        r.beginOnline(p, ws);
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int t = 0; t < steps; t++) {
          r.stepOnline(p, batch, t, ws, g);
        }
        allocated = Math.min(allocated, mx.getCurrentThreadAllocatedBytes() - before);
      }
      assertEquals(0, allocated, id + " allocated " + allocated + " bytes per " + steps
          + " online steps");
    }
  }
}
