package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.numerics.random.RandomStream;
import org.tca.numerics.linalg.DenseSymmetricEigen;
import org.tca.numerics.linalg.EigenPairs;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.learning.DoubleBptt;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.PrecisionConversion;

/**
 * The checkpoint probe against the dense W_rec Hessian (f64 products on the widened weights):
 * lambda_max and lambda_min within the Lanczos residual plus the f32 product error, the trace
 * within four standard errors, 2/eta stored, the gradient start of the first checkpoint and the
 * warm start from the previous one; a cold probe reused over a run gives the bits of a new probe
 * per checkpoint.
 */
class CurvatureProbeTest {

  @Test
  void recordsLambdaMaxTraceAndTheStabilityLine() {
    Case k = CurvatureFixtures.allCases().get(27);
    FloatParameters p = FloatParameters.initialize(k.config(), k.seed());
    FloatBatch batch = CurvatureFixtures.floatBatch(k);
    CurvatureProbe probe = new CurvatureProbe(k.config(), batch,
        CurvatureProbe.Settings.defaults().withBottom(true).withTrace(true));
    Map<String, Double> m = probe.measure(100, 0.05, p);
    assertEquals(List.of("lambda_max", "lambda_max_residual", "lanczos_products", "two_over_eta",
        "lambda_min", "trace", "trace_se"), List.copyOf(m.keySet()));

    DoubleParameters pd = PrecisionConversion.widen(p);
    BlockSelection sel = BlockSelection.recurrent(pd.layout(), pd.structure());
    DoubleHessianVectorProduct hd = new DoubleHessianVectorProduct(k.config(), sel, 3, 6);
    hd.prepare(pd, PrecisionConversion.widen(batch));
    int d = sel.dimension();
    EigenPairs exact =
        DenseSymmetricEigen.decompose(d, DenseHessianTest.denseFromProducts(hd), 1e-10);
    double norm = Math.max(Math.abs(exact.value(0)), Math.abs(exact.value(d - 1)));
    double trace = 0;
    for (int i = 0; i < d; i++) {
      trace += exact.value(i);
    }
    // f32 products: relative error <= K u_f32 (CurvatureFixtures.roundingUnits)
    double f32 = CurvatureFixtures.roundingUnits(k.config(), 6, 3, Math.ulp(1.0f) / 2) * norm;
    assertEquals(exact.value(d - 1), m.get("lambda_max"), m.get("lambda_max_residual") + f32);
    assertEquals(exact.value(0), m.get("lambda_min"), 1e-6 * norm + f32);
    assertEquals(40.0, m.get("two_over_eta"), 1e-12);
    assertEquals(trace, m.get("trace"), 4 * m.get("trace_se") + d * f32);

    CurvatureProbe top = new CurvatureProbe(k.config(), batch, CurvatureProbe.Settings.defaults());
    Map<String, Double> cold = top.measure(100, 0.05, p); // from the gradient start
    assertEquals(exact.value(d - 1), cold.get("lambda_max"), cold.get("lambda_max_residual") + f32);
    Map<String, Double> warm = top.measure(101, 0.05, p);
    assertTrue(warm.get("lanczos_products") < cold.get("lanczos_products"),
        "warm start: " + warm.get("lanczos_products") + " vs " + cold.get("lanczos_products"));
    assertEquals(exact.value(d - 1), warm.get("lambda_max"), warm.get("lambda_max_residual") + f32);

    // the seen-curvature of BPTT itself is 1 (f64 differences; SeenCurvatureTest derives ~1e-7)
    CurvatureProbe withRule = new CurvatureProbe(k.config(), batch,
        CurvatureProbe.Settings.defaults(), new DoubleBptt(k.config()));
    assertEquals(1.0, withRule.measure(100, 0.05, p).get("seen_curvature"), 1e-6);
  }

  @Test
  void aColdProbeReusedOverARunGivesTheBitsOfANewProbePerCheckpoint() {
    // lambda_min too (random start), and lambda_max alone (gradient start)
    coldProbeReusedOverARun(CurvatureProbe.Settings.defaults().withBottom(true).withTrace(true));
    coldProbeReusedOverARun(CurvatureProbe.Settings.defaults());
  }

  private static void coldProbeReusedOverARun(CurvatureProbe.Settings settings) {
    Case k = CurvatureFixtures.allCases().get(27);
    FloatBatch batch = CurvatureFixtures.floatBatch(k);
    DoubleBptt rule = new DoubleBptt(k.config());
    long seenAt = 20;
    CurvatureProbe reused = CurvatureProbe.cold(k.config(), batch, settings, rule, seenAt);
    FloatParameters p = FloatParameters.initialize(k.config(), k.seed());
    RandomStream r = new RandomStream(5);
    FloatHessianVectorProduct operator = null;
    for (long it = 0; it <= 40; it += 10) {
      for (int i = 0; i < p.data().length; i++) {
        p.data()[i] += 0.01f * (float) r.nextGaussian();
      }
      // what studies did before: a new probe at every checkpoint, with the rule at the chosen one
      CurvatureProbe fresh = new CurvatureProbe(k.config(), batch, settings,
          it == seenAt ? rule : null);
      Map<String, Double> expected = fresh.measure(it, 0.05, p);
      Map<String, Double> got = reused.measure(it, 0.05, p);
      assertEquals(expected, got, "checkpoint " + it);
      assertEquals(it == seenAt, got.containsKey("seen_curvature"), "checkpoint " + it);
      operator = operator == null ? reused.hessian() : operator;
      assertSame(operator, reused.hessian(), "the operator is built once");
    }
  }
}
