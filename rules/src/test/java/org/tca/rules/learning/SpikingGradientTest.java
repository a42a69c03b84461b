package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;
import org.tca.rules.spiking.DoubleSpikingGradient;
import org.tca.rules.spiking.DoubleSpikingNetwork;
import org.tca.rules.spiking.DoubleSpikingTrajectory;
import org.tca.rules.spiking.SpikingConfig;

/**
 * Spiking BPTT and e-prop (f64 twins) against central finite differences (in double) of the
 * independent {@link ReferenceSpikingNet}. The surrogate gradient is not the derivative of the
 * spiking objective (H is flat almost everywhere), so the oracle is made exact instead: around
 * the recorded trajectory, every spike is replaced by the straight-through function
 * z0 + psi0 (s - s0), which equals the spiking network at theta0 and has derivative psi there;
 * BPTT must equal the FD of that network, e-prop the FD of the same network with z_{t-1} frozen
 * where it enters v_t (the published "autodiff with stopped gradients"). Tolerances:
 * {@link FiniteDifferences}. Cases cover LIF only, ALIF only, mixed, refractory periods, the
 * firing-rate term, both losses, Dale and sparse masks, and a loss at every step or the last.
 */
class SpikingGradientTest {

  static final int T = 30;
  static final int B = 2;

  record Case(String name, SpikingConfig config, boolean everyStep, long seed) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    ModelConfig ce = ModelConfig.builder(4, 6, 3).recurrentBias(false).l2(1e-2).build();
    ModelConfig mse = ce.toBuilder().loss(LossKind.MSE).build();
    ModelConfig masked = ce.toBuilder().dale(true).connectionProbability(0.6).build();
    SpikingConfig base = new SpikingConfig(ce, 3, 5, 20, 0.7, 0.6, 0.3, 0, 4, 0, 0.1);
    return List.of(
        new Case("mixed", base, false, 1),
        new Case("lif-only", base.withAdaptive(0), true, 2),
        new Case("alif-only", base.withAdaptive(6), true, 3),
        new Case("mixed-refractory", base.withRefractory(2), true, 4),
        new Case("mixed-rate-term", base.withRate(0.5, 0.1).withRefractory(1), false, 5),
        new Case("mse-mixed", new SpikingConfig(mse, 2, 8, 15, 1.2, 0.5, 0.3, 1, 6, 0.3, 0.05),
            true, 6),
        new Case("dale-sparse", new SpikingConfig(masked, 3, 5, 20, 0.7, 0.6, 0.3, 1, 4, 0, 0.1),
            true, 7));
  }

  /** Binary input spikes (p = 0.3) with a few analogue values, and strong weights, so units fire. */
  static DoubleBatch batch(Case k) {
    ModelConfig c = k.config().base();
    RandomStream r = new RandomStream(k.seed() * 31 + 7);
    FloatBatch b = c.loss() == LossKind.CROSS_ENTROPY
        ? FloatBatch.classification(T, B, c.inputs(), c.outputs(), k.everyStep())
        : FloatBatch.regression(T, B, c.inputs(), c.outputs());
    for (int i = 0; i < b.x().length; i++) {
      double u = r.nextDouble();
      b.x()[i] = u < 0.3 ? 1f : u < 0.35 ? (float) r.nextGaussian() : 0f;
    }
    if (b.classification()) {
      for (int i = 0; i < b.labels().length; i++) {
        b.labels()[i] = r.nextInt(c.outputs());
      }
    } else {
      for (int i = 0; i < b.targets().length; i++) {
        b.targets()[i] = (float) r.nextGaussian();
      }
    }
    float[] mask = new float[T];
    for (int t = 0; t < T; t++) {
      mask[t] = k.everyStep() ? 1f + t % 3 : t >= T - 5 ? 1f : 0f;
    }
    return PrecisionConversion.widen(b.lossMask(mask));
  }

  static DoubleParameters parameters(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config().base(), k.seed());
    BlockView win = p.view(Block.W_IN);
    for (int i = win.offset(); i < win.end(); i++) {
      p.data()[i] *= 0.8;
    }
    BlockView bout = p.view(Block.B_OUT);
    for (int i = bout.offset(); i < bout.end(); i++) {
      p.data()[i] = 0.1 * (i - bout.offset()) - 0.05;
    }
    return p;
  }

  private static FiniteDifferences.Result check(Case k, DoubleSpikingGradient rule,
      boolean stopped) {
    DoubleParameters p = parameters(k);
    DoubleBatch batch = batch(k);
    ReferenceSpikingNet ref = new ReferenceSpikingNet(k.config(), batch);
    double[] grad = p.newGradient();
    double j = rule.gradient(p, batch, rule.newWorkspace(B, T), grad);
    double jRef = ref.spiking(p.data().clone());
    assertEquals(jRef, j, 1e-12 * Math.abs(jRef), "objective vs reference");
    assertTrue(ref.spikes() >= 10, "too few spikes for a meaningful check: " + ref.spikes());
    assertTrue(ref.activeDerivatives() >= 40, "too few psi != 0: " + ref.activeDerivatives());
    return FiniteDifferences.check(rule.id() + " " + k, p, grad,
        stopped ? ref::stopped : ref::straightThrough, T);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bpttIsTheGradientOfTheStraightThroughNetwork(Case k) {
    FiniteDifferences.Result r = check(k, DoubleSpikingGradient.bptt(k.config()), false);
    assertTrue(r.checked() > 40, "checked " + r.checked());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void epropIsAutodiffWithStoppedGradients(Case k) {
    FiniteDifferences.Result r = check(k, DoubleSpikingGradient.eprop(k.config()), true);
    assertTrue(r.checked() > 40, "checked " + r.checked());
  }

  /** The two oracles differ, so each check can tell BPTT from e-prop. */
  @Test
  void epropIsNotTheFullGradient() {
    Case k = cases().get(0);
    assertThrows(AssertionFailedError.class,
        () -> check(k, DoubleSpikingGradient.eprop(k.config()), false));
    assertThrows(AssertionFailedError.class,
        () -> check(k, DoubleSpikingGradient.bptt(k.config()), true));
  }

  @Test
  void networkObjectiveMatchesTheReference() {
    for (Case k : cases()) {
      DoubleParameters p = parameters(k);
      DoubleBatch batch = batch(k);
      double j = new DoubleSpikingNetwork(k.config())
          .objective(p, batch, new DoubleSpikingTrajectory(k.config(), B, T));
      double jRef = new ReferenceSpikingNet(k.config(), batch).spiking(p.data().clone());
      assertEquals(jRef, j, 1e-12 * Math.abs(jRef), k.name());
    }
  }
}
