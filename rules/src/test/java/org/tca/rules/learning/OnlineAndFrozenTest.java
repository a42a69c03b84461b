package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * Online mode (B = 1, one estimate per step) with the weights held fixed sums to the offline
 * gradient; frozen blocks get exactly 0 and leave the rest unchanged; workspaces are reusable
 * (same result, bit for bit, on reuse and with spare capacity). Tolerances as in
 * {@link ExactRulesAgreementTest}.
 */
class OnlineAndFrozenTest {

  static List<Case> cases() {
    return Fixtures.allCases().subList(0, 72).stream().filter(c -> c.seed() % 3 == 0).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void onlineRtrlAccumulatesTheOfflineGradient(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, 1);
    DoubleRtrl rtrl = new DoubleRtrl(k.config());
    DoubleWorkspace ws = rtrl.newWorkspace(1, Fixtures.T);
    double[] sum = p.newGradient();
    double[] step = p.newGradient();
    double loss = 0;
    rtrl.beginOnline(p, ws);
    for (int t = 0; t < Fixtures.T; t++) {
      loss += rtrl.stepOnline(p, batch, t, ws, step);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += step[i];
      }
    }
    double[] offline = ExactRulesAgreementTest.gradient(rtrl, p, batch);
    double[] bptt = p.newGradient();
    DoubleBptt b = new DoubleBptt(k.config());
    double j = b.gradient(p, batch, b.newWorkspace(1, Fixtures.T), bptt);
    ExactRulesAgreementTest.assertClose("online RTRL vs offline RTRL", offline, sum);
    ExactRulesAgreementTest.assertClose("online RTRL vs BPTT", bptt, sum);
    double l2 = new org.tca.rules.model.DoubleNetwork(k.config()).l2Penalty(p);
    assertEquals(j - l2, loss, 1e-12 * Math.abs(j));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void onlineTruncatedBpttAccumulatesTheOfflineGradient(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, 1);
    for (int window : new int[] {1, 2, 3, Fixtures.T, 50}) {
      DoubleTruncatedBptt rule = new DoubleTruncatedBptt(k.config(), window);
      DoubleWorkspace ws = rule.newWorkspace(1, Fixtures.T);
      double[] offline = ExactRulesAgreementTest.gradient(rule, p, batch);
      for (int repeat = 0; repeat < 2; repeat++) { // the second pass reuses the ring
        double[] sum = p.newGradient();
        double[] step = p.newGradient();
        rule.beginOnline(p, ws);
        for (int t = 0; t < Fixtures.T; t++) {
          rule.stepOnline(p, batch, t, ws, step);
          for (int i = 0; i < sum.length; i++) {
            sum[i] += step[i];
          }
        }
        ExactRulesAgreementTest.assertClose("online tBPTT(" + window + ")", offline, sum);
      }
    }
  }

  @Test
  void onlineModeChecksItsPreconditions() {
    Case k = Fixtures.allCases().get(0);
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleRtrl rtrl = new DoubleRtrl(k.config());
    DoubleWorkspace ws = rtrl.newWorkspace(1, Fixtures.T);
    double[] g = p.newGradient();
    DoubleBatch one = Fixtures.doubleBatch(k, Fixtures.T, 1);
    rtrl.beginOnline(p, ws);
    assertThrows(IllegalStateException.class, () -> rtrl.stepOnline(p, one, 1, ws, g));
    DoubleBatch three = Fixtures.doubleBatch(k, Fixtures.T, 3);
    assertThrows(IllegalArgumentException.class, () -> rtrl.stepOnline(p, three, 0, ws, g));
    DoubleBptt bptt = new DoubleBptt(k.config());
    assertFalse(bptt.supportsOnline());
    assertTrue(rtrl.supportsOnline());
    assertThrows(UnsupportedOperationException.class,
        () -> bptt.beginOnline(p, bptt.newWorkspace(1, Fixtures.T)));
    assertThrows(IllegalArgumentException.class,
        () -> bptt.gradient(p, one, rtrl.newWorkspace(1, Fixtures.T), g));
    assertEquals(rtrl.newWorkspace(1, 10).sizeInBytes(), rtrl.newWorkspace(1, 1000).sizeInBytes(),
        "RTRL memory must not grow with T");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void frozenBlocksGetZeroAndTheRestIsUnchanged(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    List<DoubleLearningRule> rules = List.of(new DoubleBptt(k.config()),
        new DoubleTruncatedBptt(k.config(), 3), new DoubleRtrl(k.config()));
    for (DoubleLearningRule rule : rules) {
      double[] all = ExactRulesAgreementTest.gradient(rule, p, batch);
      DoubleParameters frozen = p.copy().freeze(Block.W_IN, true).freeze(Block.B_OUT, true);
      double[] some = ExactRulesAgreementTest.gradient(rule, frozen, batch);
      for (Block b : Block.values()) {
        BlockView v = p.view(b);
        for (int i = v.offset(); i < v.end(); i++) {
          double expected = frozen.isFrozen(b) ? 0.0 : all[i];
          assertEquals(expected, some[i], 0.0, rule.id() + " " + b.id() + " entry " + i);
        }
      }
      DoubleParameters readoutOnly = p.copy().freeze(Block.W_IN, true)
          .freeze(Block.W_REC, true).freeze(Block.B_REC, true);
      double[] out = ExactRulesAgreementTest.gradient(rule, readoutOnly, batch);
      BlockView wOut = p.view(Block.W_OUT);
      for (int i = 0; i < out.length; i++) {
        double expected = i >= wOut.offset() ? all[i] : 0.0;
        assertEquals(expected, out[i], 1e-15 * ExactRulesAgreementTest.maxAbs(all), rule.id());
      }
    }
  }

  @Test
  void rulesAreMadeByNameAndAccuracyIsCounted() {
    Case k = Fixtures.allCases().get(2);
    assertTrue(DoubleRules.create("bptt", k.config(), 0) instanceof DoubleBptt);
    assertEquals(4, ((DoubleTruncatedBptt) DoubleRules.create("tbptt", k.config(), 4)).window());
    assertEquals("rtrl", DoubleRules.create("rtrl", k.config(), 0).id());
    assertThrows(IllegalArgumentException.class, () -> DoubleRules.create("sgd", k.config(), 0));
    org.tca.rules.model.DoubleNetwork net = new org.tca.rules.model.DoubleNetwork(k.config());
    DoubleParameters p = DoubleParameters.initialize(k.config(), 5);
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B).lossAtLastStep();
    var tr = new org.tca.rules.model.DoubleTrajectory(k.config(), Fixtures.B, Fixtures.T);
    net.forward(p, batch, tr);
    int expected = 0;
    for (int b = 0; b < Fixtures.B; b++) {
      double[] y = tr.y();
      int off = tr.yOffset(Fixtures.T - 1) + b * 2;
      expected += (y[off + 1] > y[off] ? 1 : 0) == batch.label(Fixtures.T - 1, b) ? 1 : 0;
    }
    assertEquals(expected, net.correct(batch, tr));
  }

  @Test
  void workspacesAreReusableAndMayBeLarger() {
    Case k = Fixtures.allCases().get(40);
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    DoubleBatch other = Fixtures.doubleBatch(
        new Case(k.config(), Fixtures.Mask.EVERY, false, 77), Fixtures.T - 2, Fixtures.B + 1);
    for (DoubleLearningRule rule : List.of(new DoubleBptt(k.config()),
        new DoubleTruncatedBptt(k.config(), 2), new DoubleRtrl(k.config()))) {
      double[] first = ExactRulesAgreementTest.gradient(rule, p, batch);
      DoubleWorkspace big = rule.newWorkspace(Fixtures.B + 2, Fixtures.T + 3);
      double[] g = p.newGradient();
      rule.gradient(p, batch, big, g);
      assertArrayEquals(first, g, rule.id() + ": larger workspace");
      rule.gradient(p, other, big, g);
      rule.gradient(p, batch, big, g);
      assertArrayEquals(first, g, rule.id() + ": reused workspace");
    }
  }
}
