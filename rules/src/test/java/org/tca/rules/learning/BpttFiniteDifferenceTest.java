package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;

/**
 * BPTT (f64) against central finite differences of an independent reference objective, for
 * every cell x activation x loss x mask x leak combination with the structural options cycled
 * (see {@link Fixtures#allCases()}), L2 on. Tolerances: {@link FiniteDifferences}.
 */
class BpttFiniteDifferenceTest {

  static List<Case> cases() {
    return Fixtures.allCases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bpttMatchesFiniteDifferences(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    ReferenceRnn ref = new ReferenceRnn(k.config(), batch);
    DoubleBptt bptt = new DoubleBptt(k.config());
    double[] grad = p.newGradient();
    double j = bptt.gradient(p, batch, bptt.newWorkspace(Fixtures.B, Fixtures.T), grad);
    double jRef = ref.objective(p.data());
    assertEquals(jRef, j, 1e-13 * Math.abs(jRef), "objective vs reference");
    FiniteDifferences.Result r =
        FiniteDifferences.check("BPTT " + k, p, grad, ref::objective, Fixtures.T);
    assertTrue(r.checked() > 30, "checked " + r.checked());
  }

  @Test
  void objectiveMatchesReferenceForTheNetworkToo() {
    Case k = Fixtures.allCases().get(17);
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    DoubleNetwork net = new DoubleNetwork(k.config());
    double j = net.objective(p, batch, new DoubleTrajectory(k.config(), Fixtures.B, Fixtures.T));
    double jRef = new ReferenceRnn(k.config(), batch).objective(p.data());
    assertEquals(jRef, j, 1e-13 * Math.abs(jRef));
  }

  /** The check is sharp: a gradient off by 1e-6 in one entry is rejected. */
  @Test
  void checkRejectsASlightlyWrongGradient() {
    Case k = Fixtures.allCases().stream()
        .filter(c -> c.config().activation() == org.tca.numerics.kernels.Activation.TANH)
        .findFirst().orElseThrow();
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    ReferenceRnn ref = new ReferenceRnn(k.config(), batch);
    DoubleBptt bptt = new DoubleBptt(k.config());
    double[] grad = p.newGradient();
    bptt.gradient(p, batch, bptt.newWorkspace(Fixtures.B, Fixtures.T), grad);
    FiniteDifferences.Result ok = FiniteDifferences.check("ok", p, grad, ref::objective, Fixtures.T);
    assertTrue(ok.maxTolerance() < 1e-7, "tolerance " + ok.maxTolerance());
    int i = p.view(Block.W_REC).index(0, 1);
    grad[i] += 1e-6;
    assertThrows(AssertionFailedError.class,
        () -> FiniteDifferences.check("bad", p, grad, ref::objective, Fixtures.T));
  }
}
