package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.linalg.DenseSymmetricEigen;
import org.tca.numerics.linalg.EigenPairs;
import org.tca.numerics.linalg.LanczosResult;
import org.tca.rules.learning.Fixtures;
import org.tca.rules.learning.Fixtures.Mask;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;

/**
 * The W_out Hessian of a pattern-generation-like network (MSE at every step, N_out = 3): H =
 * I_{N_out} kron (c sum_t h_t h_t' + l2 I), so every eigenvalue repeats N_out times. Lanczos
 * (the {@code tca curvature --block W_out --top 3 --bottom 4} solve) against the dense eigenvalues
 * of the matrix assembled from the same f64 products: within 2 sqrt(k) tol ||H|| (see
 * LanczosMultiplicityTest) plus 1e-12 ||H|| for the products' rounding (the product of a
 * 40-neuron, 10-step batch of 6, CurvatureFixtures.roundingUnits ~ 1e-11 relative per entry, is
 * exactly linear in v, so the dense matrix and the operator agree to its rounding).
 */
class RepeatedEigenvaluesTest {

  private static final int N_OUT = 3;

  @Test
  void wOutHessianOfAnMseTaskHasEveryCopy() {
    ModelConfig c = ModelConfig.builder(4, 40, N_OUT).activation(Activation.TANH)
        .loss(LossKind.MSE).l2(0.01).build();
    DoubleParameters p = DoubleParameters.initialize(c, 3);
    DoubleBatch batch =
        PrecisionConversion.widen(Fixtures.floatBatch(c, Mask.EVERY, true, 10, 6, 5));
    BlockSelection sel =
        BlockSelection.of(p.layout(), p.structure(), EnumSet.of(Block.W_OUT));
    DoubleHessianVectorProduct h = new DoubleHessianVectorProduct(c, sel, 6, 10);
    h.prepare(p, batch);
    int d = sel.dimension();
    EigenPairs exact = DenseSymmetricEigen.decompose(d, DenseHessianTest.denseFromProducts(h),
        1e-10);
    double norm = Math.max(Math.abs(exact.value(0)), Math.abs(exact.value(d - 1)));
    // the structure this test is about: the extreme eigenvalues come N_out times
    assertEquals(exact.value(d - 1), exact.value(d - N_OUT), 1e-12 * norm);
    assertEquals(exact.value(0), exact.value(N_OUT - 1), 1e-12 * norm);
    for (double tol : new double[] {1e-6, 1e-12}) {
      LanczosResult r = new HessianEigensolver(d).extremes(h, 3, 4, tol, null, 11);
      assertTrue(r.converged(), "tol " + tol);
      double bound = 2 * Math.sqrt(4) * tol * norm + 1e-12 * norm;
      for (int i = 0; i < 3; i++) {
        assertEquals(exact.value(d - 1 - i), r.top().value(i), bound, "tol " + tol + " top " + i);
      }
      for (int i = 0; i < 4; i++) {
        assertEquals(exact.value(i), r.bottom().value(i), bound, "tol " + tol + " bottom " + i);
      }
    }
  }
}
