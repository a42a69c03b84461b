package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.learning.LocalReference.Kind;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;

/**
 * ModProp's two mu placements (issue 15, defect 10; {@link MuPlacement}):
 *
 * <ol>
 *   <li>the sender placement equals the authors' recursion G_t = f'(v_t) D_t + mu (1-a) Wt'
 *       G_{t+1} + a G_{t+1}, dW = sum_t (1-a) G_t q_t', computed by {@link LocalReference} with
 *       plain loops and an explicit N x N Wt, in f64 to rounding (1e-12 max|g|, as {@link
 *       ExactRulesAgreementTest}) and in f32 within the bound of {@link PrecisionAgreementTest}
 *       (Higham-Mary, 16 sqrt(2 T n_step + T B) u max|g|), so the f32 and f64 twins agree;</li>
 *   <li>the placements differ on generic networks, and coincide where the algebra says they
 *       must: a linear f with mu = 1 (f' = mu everywhere) and mu = 0 (both are e-prop);</li>
 *   <li>the rate-leak cell, which has no counterpart in the authors' code, is refused.</li>
 * </ol>
 *
 * Online, the sender placement sums to its offline update in {@link BioRulesOnlineTest}.
 */
class ModPropPlacementTest {

  static List<Case> voltageCases() {
    return BioRulesIdentityTest.cases().stream()
        .filter(c -> c.config().cell() == Cell.VOLTAGE_LEAK).toList();
  }

  static List<Case> linearVoltageCases() {
    return Fixtures.cases(Activation.IDENTITY).stream()
        .filter(c -> c.config().cell() == Cell.VOLTAGE_LEAK).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("voltageCases")
  void senderPlacementIsTheAuthorsRecursionInBothPrecisions(Case k) {
    ModelConfig c = k.config();
    FloatParameters p32 = FloatParameters.initialize(c, k.seed());
    DoubleParameters p = PrecisionConversion.widen(p32);
    FloatBatch b32 = Fixtures.floatBatch(c, k.mask(), k.labelsPerStep(), Fixtures.T,
        Fixtures.B, k.seed());
    DoubleBatch batch = PrecisionConversion.widen(b32);
    LocalReference ref = new LocalReference(c, batch);
    double[][] wt = LocalReference.cellTypeMeans(p);
    for (Feedback fb : List.of(Feedback.SYMMETRIC, Feedback.random(3, 0.5))) {
      double mu = fb.isSymmetric() ? 0.25 : 0.7;
      DoubleModProp r64 = new DoubleModProp(c, mu, MuPlacement.SENDER, fb, Kernels.f64());
      double[] expected = ref.gradient(p, Kind.MODPROP_SENDER,
          fb.isSymmetric() ? null : BioRulesIdentityTest.rows(r64.feedbackMatrix()), wt, mu);
      double[] g64 = ExactRulesAgreementTest.gradient(r64, p, batch);
      ExactRulesAgreementTest.assertClose("f64 sender mu=" + mu + " " + k, expected, g64);
      FloatModProp r32 = new FloatModProp(c, mu, MuPlacement.SENDER, fb, Kernels.f32());
      float[] g32 = p32.newGradient();
      r32.gradient(p32, b32, r32.newWorkspace(Fixtures.B, Fixtures.T), g32);
      double u = Math.ulp(1.0f) / 2;
      int nStep = c.hidden() + c.inputs() + c.outputs() + 2;
      double bound = 16 * Math.sqrt(2.0 * Fixtures.T * nStep + Fixtures.T * Fixtures.B) * u
          * ExactRulesAgreementTest.maxAbs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], g32[i], bound, "f32 sender mu=" + mu + " " + k + " entry " + i);
        assertEquals(g64[i], g32[i], bound, "f32 vs f64 sender mu=" + mu + " " + k + " entry "
            + i);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("voltageCases")
  void thePlacementsDifferOnAGenericNetwork(Case k) {
    ModelConfig c = k.config();
    DoubleParameters p = DoubleParameters.initialize(c, k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    double[] receiver = ExactRulesAgreementTest.gradient(new DoubleModProp(c, 0.25,
        Kernels.f64()), p, batch);
    double[] sender = ExactRulesAgreementTest.gradient(new DoubleModProp(c, 0.25,
        MuPlacement.SENDER, Feedback.SYMMETRIC, Kernels.f64()), p, batch);
    BlockView wrec = p.view(Block.W_REC);
    double diff = 0;
    double scale = 0;
    for (int i = wrec.offset(); i < wrec.end(); i++) {
      diff = Math.max(diff, Math.abs(receiver[i] - sender[i]));
      scale = Math.max(scale, Math.abs(receiver[i]));
    }
    assertTrue(diff > 1e-3 * scale, "receiver and sender W_rec updates should differ: max diff "
        + diff + " at max|g| " + scale);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("linearVoltageCases")
  void thePlacementsCoincideForALinearCellWithMuOne(Case k) {
    ModelConfig c = k.config();
    DoubleParameters p = DoubleParameters.initialize(c, k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    ExactRulesAgreementTest.assertClose("receiver vs sender, f linear, mu = 1 " + k,
        ExactRulesAgreementTest.gradient(new DoubleModProp(c, 1.0, Kernels.f64()), p, batch),
        ExactRulesAgreementTest.gradient(new DoubleModProp(c, 1.0, MuPlacement.SENDER,
            Feedback.SYMMETRIC, Kernels.f64()), p, batch));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("voltageCases")
  void withMuZeroBothPlacementsAreEprop(Case k) {
    ModelConfig c = k.config();
    DoubleParameters p = DoubleParameters.initialize(c, k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    double[] eprop = ExactRulesAgreementTest.gradient(new DoubleEprop(c), p, batch);
    for (MuPlacement m : MuPlacement.values()) {
      ExactRulesAgreementTest.assertClose(m.id() + ", mu = 0 vs e-prop " + k, eprop,
          ExactRulesAgreementTest.gradient(new DoubleModProp(c, 0.0, m, Feedback.SYMMETRIC,
              Kernels.f64()), p, batch));
    }
  }

  @Test
  void senderPlacementRefusesTheRateLeakCellAndIsMadeByName() {
    ModelConfig rate = ModelConfig.builder(3, 5, 2).cell(Cell.RATE_LEAK).leak(0.3).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FloatRules.create("modprop", rate,
            RuleOptions.defaults().withMuPlacement(MuPlacement.SENDER)));
    assertTrue(e.getMessage().contains("voltage-leak"), e.getMessage());
    ModelConfig c = ModelConfig.builder(3, 5, 2).leak(0.5).build();
    FloatModProp sender = (FloatModProp) FloatRules.create("modprop", c,
        RuleOptions.defaults().withMu(0.5).withMuPlacement(MuPlacement.SENDER));
    assertEquals(MuPlacement.SENDER, sender.placement());
    assertEquals(0.5, sender.mu());
    assertTrue(sender.settings().get("mu_placement").toString().startsWith("sender: "));
    // the default's settings, and so the fingerprints of saved runs, are unchanged
    assertEquals("receiver: mu at every later neuron, exact f' at the updated neuron",
        FloatRules.create("modprop", c, RuleOptions.defaults()).settings().get("mu_placement"));
    assertEquals(MuPlacement.SENDER, MuPlacement.parse("Sender"));
    assertThrows(IllegalArgumentException.class, () -> MuPlacement.parse("readout"));
  }
}
