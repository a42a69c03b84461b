package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.linalg.LanczosResult;
import org.tca.rules.learning.Fixtures.Mask;
import org.tca.rules.learning.DoubleBptt;
import org.tca.rules.learning.DoubleTruncatedBptt;
import org.tca.rules.learning.FloatBptt;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;

/**
 * Seen-curvature along the top W_rec eigenvector: c = 1 for BPTT (its update field is the
 * gradient, so G = H) up to the finite-difference error, estimated by Richardson (c(2h) vs c(h))
 * plus the rounding term K u max(1, |g|_inf) / (h |v'Hv|); c != 1, by far more than that, for
 * truncated BPTT(1).
 */
class SeenCurvatureTest {

  static final int T = 8;
  static final int B = 4;

  static ModelConfig config() {
    return ModelConfig.builder(3, 6, 2).cell(Cell.VOLTAGE_LEAK).activation(Activation.TANH)
        .leak(0.5).loss(LossKind.CROSS_ENTROPY).l2(0.01).build();
  }

  static FloatBatch batch(ModelConfig c) {
    return org.tca.rules.learning.Fixtures.floatBatch(c, Mask.EVERY, false, T, B, 31);
  }

  @Test
  void bpttSeesAllTheCurvatureAndTruncationDoesNot() {
    ModelConfig c = config();
    DoubleParameters p = DoubleParameters.initialize(c, 32);
    DoubleBatch batch = PrecisionConversion.widen(batch(c));
    BlockSelection sel = BlockSelection.recurrent(p.layout(), p.structure());
    DoubleHessianVectorProduct hvp = new DoubleHessianVectorProduct(c, sel, B, T);
    hvp.prepare(p, batch);
    LanczosResult top = new HessianEigensolver(sel.dimension()).top(hvp, 1, 1e-10, null, 1);
    double[] v1 = top.top().vector(0);

    DoubleSeenCurvature exact = new DoubleSeenCurvature(new DoubleBptt(c), sel, B, T);
    double h = exact.defaultStep(p);
    SeenCurvature c1 = exact.measure(p, batch, v1, hvp, h);
    SeenCurvature c2 = exact.measure(p, batch, v1, hvp, 2 * h);
    double[] g = p.newGradient();
    new DoubleBptt(c).gradient(p, batch, new DoubleBptt(c).newWorkspace(B, T), g);
    double gmax = 1;
    for (double x : g) {
      gmax = Math.max(gmax, Math.abs(x));
    }
    double rounding = CurvatureFixtures.roundingUnits(c, T, B, Math.ulp(1.0) / 2) * gmax
        * Math.sqrt(sel.dimension()) / (h * Math.abs(c1.curvature()));
    double tol = 2 * Math.abs(c2.seen() - c1.seen()) + rounding;
    assertEquals(1.0, c1.seen(), tol, "BPTT " + c1);
    assertTrue(tol < 1e-6, "a sharp check: " + tol);
    assertEquals(top.largest(), c1.curvature(), 1e-9 * top.largest());

    DoubleSeenCurvature truncated =
        new DoubleSeenCurvature(new DoubleTruncatedBptt(c, 1), sel, B, T);
    SeenCurvature ct = truncated.measure(p, batch, v1, hvp);
    assertTrue(Math.abs(ct.seen() - 1) > 1e3 * tol, "tBPTT(1) " + ct);
    DoubleSeenCurvature full = new DoubleSeenCurvature(new DoubleTruncatedBptt(c, T), sel, B, T);
    assertEquals(1.0, full.measure(p, batch, v1, hvp).seen(), 1e3 * tol, "tBPTT(T) is BPTT");
  }

  /**
   * In single precision the rounding error of the update is measured rather than bounded: eps =
   * ||g_f32 - g_f64||_2 at the same weights, which enters v'Gv through two updates divided by 2h,
   * so the tolerance is 2 |c(2h) - c(h)| + 2 eps / (h |v'Hv|).
   */
  @Test
  void singlePrecisionBpttIsOneWithinItsDifferenceError() {
    ModelConfig c = config();
    FloatParameters p = FloatParameters.initialize(c, 32);
    FloatBatch batch = batch(c);
    BlockSelection sel = BlockSelection.recurrent(p.layout(), p.structure());
    FloatHessianVectorProduct hvp = new FloatHessianVectorProduct(c, sel, B, T);
    hvp.prepare(p, batch);
    double[] v1 = new HessianEigensolver(sel.dimension()).top(hvp, 1, 1e-5, null, 1)
        .top().vector(0);
    FloatSeenCurvature probe = new FloatSeenCurvature(new FloatBptt(c), sel, B, T);
    double h = probe.defaultStep(p);
    SeenCurvature s1 = probe.measure(p, batch, v1, hvp, h);
    SeenCurvature s2 = probe.measure(p, batch, v1, hvp, 2 * h);
    float[] g32 = p.newGradient();
    new FloatBptt(c).gradient(p, batch, new FloatBptt(c).newWorkspace(B, T), g32);
    DoubleParameters pd = PrecisionConversion.widen(p);
    double[] g64 = pd.newGradient();
    new DoubleBptt(c).gradient(pd, PrecisionConversion.widen(batch),
        new DoubleBptt(c).newWorkspace(B, T), g64);
    double eps = 0;
    for (int i = 0; i < g64.length; i++) {
      eps += (g32[i] - g64[i]) * (g32[i] - g64[i]);
    }
    eps = Math.sqrt(eps);
    double tol = 2 * Math.abs(s2.seen() - s1.seen()) + 2 * eps / (h * Math.abs(s1.curvature()));
    assertEquals(1.0, s1.seen(), tol, s1 + " tolerance " + tol);
    assertTrue(tol < 1e-2, "tolerance " + tol);
  }
}
