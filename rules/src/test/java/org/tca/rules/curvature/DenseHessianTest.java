package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.linalg.DenseSymmetricEigen;
import org.tca.numerics.linalg.EigenPairs;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.learning.Fixtures.Mask;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;

/**
 * The dense Hessian of tiny networks (N = 5, and one N = 12) assembled column by column from
 * f64 products, against the one assembled from central differences of exact BPTT gradients
 * (tolerances of {@link GradientDifferences}); its symmetry to rounding; its eigenvalues against
 * those of the difference Hessian (Weyl: |lambda_i(A) - lambda_i(B)| <= ||A - B||_F); and the
 * principal sub-block property of restricted selections.
 */
class DenseHessianTest {

  static List<Case> cases() {
    return CurvatureFixtures.denseCases();
  }

  /** Columns of H over sel from products: H[i][j] at i * d + j. */
  static double[] denseFromProducts(DoubleHessianVectorProduct hvp) {
    int d = hvp.dimension();
    double[] h = new double[d * d];
    double[] e = new double[d];
    double[] col = new double[d];
    for (int j = 0; j < d; j++) {
      e[j] = 1;
      hvp.apply(e, col);
      e[j] = 0;
      for (int i = 0; i < d; i++) {
        h[i * d + j] = col[i];
      }
    }
    return h;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void denseHessianMatchesDifferencesOfGradients(Case k) {
    check(k.config(), DoubleParameters.initialize(k.config(), k.seed()),
        CurvatureFixtures.doubleBatch(k), k.toString());
  }

  @Test
  void sixteenNeuronsAllBlocks() {
    ModelConfig c = ModelConfig.builder(3, 12, 2).cell(Cell.VOLTAGE_LEAK)
        .activation(Activation.TANH).leak(0.3).loss(LossKind.CROSS_ENTROPY).l2(0.01).build();
    DoubleBatch batch = org.tca.rules.model.PrecisionConversion.widen(
        org.tca.rules.learning.Fixtures.floatBatch(c, Mask.EVERY, false, 4, 2, 77));
    check(c, DoubleParameters.initialize(c, 78), batch, "N=12 tanh");
  }

  private static void check(ModelConfig c, DoubleParameters p, DoubleBatch batch, String what) {
    BlockSelection all = BlockSelection.all(p.layout(), p.structure());
    DoubleHessianVectorProduct hvp =
        new DoubleHessianVectorProduct(c, all, batch.size(), batch.steps());
    hvp.prepare(p, batch);
    double[] h = denseFromProducts(hvp);
    int d = all.dimension();
    double[] fd = new double[d * d];
    double frob = 0;
    double maxAbs = 0;
    for (int j = 0; j < d; j++) {
      GradientDifferences.Result col = GradientDifferences.column(p, batch, all, j);
      double[] hcol = new double[d];
      for (int i = 0; i < d; i++) {
        hcol[i] = h[i * d + j];
        fd[i * d + j] = col.value()[i];
        frob += col.tolerance()[i] * col.tolerance()[i];
        maxAbs = Math.max(maxAbs, Math.abs(hcol[i]));
      }
      GradientDifferences.assertMatches(what + " column " + j, hcol, col);
    }
    double sym = CurvatureFixtures.roundingUnits(c, batch.steps(), batch.size(), Math.ulp(1.0) / 2)
        * Math.max(1, maxAbs);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < i; j++) {
        assertEquals(h[i * d + j], h[j * d + i], sym, what + " symmetry at " + i + "," + j);
      }
    }
    double[] fdSym = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        fdSym[i * d + j] = 0.5 * (fd[i * d + j] + fd[j * d + i]);
      }
    }
    EigenPairs exact = DenseSymmetricEigen.decompose(d, h, 1e-10);
    EigenPairs approx = DenseSymmetricEigen.decompose(d, fdSym);
    double weyl = Math.sqrt(frob) + 1e-12 * maxAbs * d;
    for (int i = 0; i < d; i++) {
      assertEquals(exact.value(i), approx.value(i), weyl, what + " eigenvalue " + i);
    }
    assertTrue(exact.value(d - 1) > 0, "the top eigenvalue of a loss Hessian at init");
  }

  @Test
  void restrictedSelectionIsThePrincipalSubBlock() {
    List<Case> cases = CurvatureFixtures.allCases();
    for (Case k : List.of(cases.get(3), cases.get(60))) {
      DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
      DoubleBatch batch = CurvatureFixtures.doubleBatch(k);
      BlockSelection all = BlockSelection.all(p.layout(), p.structure());
      DoubleHessianVectorProduct full = new DoubleHessianVectorProduct(k.config(), all, 3, 6);
      full.prepare(p, batch);
      double[] h = denseFromProducts(full);
      int d = all.dimension();
      double maxAbs = 0;
      for (double x : h) {
        maxAbs = Math.max(maxAbs, Math.abs(x));
      }
      double bound = CurvatureFixtures.roundingUnits(k.config(), 6, 3, Math.ulp(1.0) / 2) * maxAbs;
      for (Block b : Block.values()) {
        if (!p.layout().has(b)) {
          continue;
        }
        BlockSelection sel = BlockSelection.of(p.layout(), p.structure(), b);
        DoubleHessianVectorProduct part = new DoubleHessianVectorProduct(k.config(), sel, 3, 6);
        part.prepare(p, batch);
        double[] hs = denseFromProducts(part);
        int m = sel.dimension();
        assertEquals(all.end(b) - all.start(b), m);
        int s0 = all.start(b);
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < m; j++) {
            assertEquals(h[(s0 + i) * d + s0 + j], hs[i * m + j], bound,
                k + " " + b.id() + " sub-block at " + i + "," + j);
          }
        }
      }
    }
  }
}
