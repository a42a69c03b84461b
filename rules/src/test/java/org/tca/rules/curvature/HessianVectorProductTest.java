package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * f64 Hessian-vector products of the full objective against central differences of exact BPTT
 * gradients ({@link GradientDifferences}), for every cell x activation x loss x mask x leak (with
 * the structural options cycled), over every block and over W_rec alone; linearity and
 * symmetry u'Hv = v'Hu to rounding.
 */
class HessianVectorProductTest {

  static List<Case> cases() {
    return CurvatureFixtures.allCases();
  }

  private static DoubleHessianVectorProduct prepared(Case k, DoubleParameters p, DoubleBatch batch,
      BlockSelection sel) {
    DoubleHessianVectorProduct hvp = new DoubleHessianVectorProduct(k.config(), sel,
        CurvatureFixtures.B, CurvatureFixtures.T);
    double j = hvp.prepare(p, batch);
    assertTrue(Double.isFinite(j));
    return hvp;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void productMatchesDifferencesOfGradients(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = CurvatureFixtures.doubleBatch(k);
    for (BlockSelection sel : List.of(BlockSelection.all(p.layout(), p.structure()),
        BlockSelection.recurrent(p.layout(), p.structure()))) {
      DoubleHessianVectorProduct hvp = prepared(k, p, batch, sel);
      double[] v = CurvatureFixtures.unitVector(sel.dimension(), k.seed() + 7);
      double[] hv = new double[v.length];
      hvp.apply(v, hv);
      GradientDifferences.Result fd =
          GradientDifferences.along(p, batch, sel, v, GradientDifferences.H);
      GradientDifferences.assertMatches(k + " over " + sel, hv, fd);
      // the check is sharp for the bulk of coordinates (ReLU kinks within 2h loosen a few)
      int sharp = 0;
      double scale = Math.max(1, CurvatureFixtures.norm(hv));
      for (double t : fd.tolerance()) {
        sharp += t <= 1e-6 * scale ? 1 : 0;
      }
      assertTrue(sharp >= 0.9 * v.length, k + ": only " + sharp + " of " + v.length + " sharp");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void symmetricAndLinearToRounding(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = CurvatureFixtures.doubleBatch(k);
    BlockSelection sel = BlockSelection.all(p.layout(), p.structure());
    DoubleHessianVectorProduct hvp = prepared(k, p, batch, sel);
    int d = sel.dimension();
    double[] u = CurvatureFixtures.unitVector(d, 1);
    double[] v = CurvatureFixtures.unitVector(d, 2);
    double[] hu = new double[d];
    double[] hv = new double[d];
    hvp.apply(u, hu);
    hvp.apply(v, hv);
    double scale = CurvatureFixtures.norm(hu) + CurvatureFixtures.norm(hv);
    double bound = CurvatureFixtures.roundingUnits(k.config(), CurvatureFixtures.T,
        CurvatureFixtures.B, Math.ulp(1.0) / 2) * scale;
    double uhv = CurvatureFixtures.dot(u, hv);
    double vhu = CurvatureFixtures.dot(v, hu);
    assertEquals(uhv, vhu, bound, "u'Hv vs v'Hu");
    double alpha = 0.75;
    double beta = -1.25;
    double[] w = new double[d];
    for (int i = 0; i < d; i++) {
      w[i] = alpha * u[i] + beta * v[i];
    }
    double[] hw = new double[d];
    hvp.apply(w, hw);
    for (int i = 0; i < d; i++) {
      assertEquals(alpha * hu[i] + beta * hv[i], hw[i], 2 * bound, "linearity at " + i);
    }
    assertEquals(3, hvp.products());
  }

  @Test
  void restrictedBlocksReadOnlyTheirCoordinatesAndMatchTheFullProduct() {
    Case k = CurvatureFixtures.allCases().get(21);
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = CurvatureFixtures.doubleBatch(k);
    BlockSelection all = BlockSelection.all(p.layout(), p.structure());
    DoubleHessianVectorProduct full = prepared(k, p, batch, all);
    for (var blocks : List.of(EnumSet.of(Block.W_OUT), EnumSet.of(Block.W_IN, Block.B_OUT),
        EnumSet.of(Block.B_REC, Block.W_REC), EnumSet.of(Block.W_OUT, Block.W_REC))) {
      BlockSelection sel = BlockSelection.of(p.layout(), p.structure(), blocks);
      DoubleHessianVectorProduct part = prepared(k, p, batch, sel);
      double[] v = CurvatureFixtures.unitVector(sel.dimension(), 5);
      double[] hv = new double[v.length];
      part.apply(v, hv);
      double[] vFull = new double[all.dimension()];
      double[] flat = new double[p.data().length];
      sel.scatter(v, flat);
      all.gather(flat, vFull);
      double[] hvFull = new double[vFull.length];
      full.apply(vFull, hvFull);
      double[] hvFlat = new double[flat.length];
      all.scatter(hvFull, hvFlat);
      double[] expected = new double[v.length];
      sel.gather(hvFlat, expected);
      double bound = CurvatureFixtures.roundingUnits(k.config(), CurvatureFixtures.T,
          CurvatureFixtures.B, Math.ulp(1.0) / 2) * CurvatureFixtures.norm(hvFull);
      for (int i = 0; i < v.length; i++) {
        assertEquals(expected[i], hv[i], bound, blocks + " coordinate " + i);
      }
    }
  }

  /** The oracle is sharp: a product off by 1e-6 in one coordinate is rejected. */
  @Test
  void differenceCheckRejectsASlightlyWrongProduct() {
    Case k = CurvatureFixtures.allCases().stream()
        .filter(c -> c.config().activation() == org.tca.numerics.kernels.Activation.TANH)
        .findFirst().orElseThrow();
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = CurvatureFixtures.doubleBatch(k);
    BlockSelection sel = BlockSelection.recurrent(p.layout(), p.structure());
    DoubleHessianVectorProduct hvp = prepared(k, p, batch, sel);
    double[] v = CurvatureFixtures.unitVector(sel.dimension(), 3);
    double[] hv = new double[v.length];
    hvp.apply(v, hv);
    GradientDifferences.Result fd =
        GradientDifferences.along(p, batch, sel, v, GradientDifferences.H);
    GradientDifferences.assertMatches("ok", hv, fd);
    assertTrue(fd.maxTolerance() < 1e-7, "tolerance " + fd.maxTolerance());
    hv[2] += 1e-6;
    assertThrows(AssertionFailedError.class,
        () -> GradientDifferences.assertMatches("bad", hv, fd));
  }

  @Test
  void gradientAtThePointIsTheBpttGradient() {
    Case k = CurvatureFixtures.allCases().get(33);
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = CurvatureFixtures.doubleBatch(k);
    BlockSelection sel = BlockSelection.all(p.layout(), p.structure());
    DoubleHessianVectorProduct hvp = prepared(k, p, batch, sel);
    double[] g = new double[sel.dimension()];
    hvp.gradient(g);
    double[] ref = p.newGradient();
    new org.tca.rules.learning.DoubleBptt(k.config()).gradient(p, batch,
        new org.tca.rules.learning.DoubleBptt(k.config()).newWorkspace(3, 6), ref);
    double bound = CurvatureFixtures.roundingUnits(k.config(), 6, 3, Math.ulp(1.0) / 2);
    for (int i = 0; i < g.length; i++) {
      assertEquals(ref[sel.flatIndex(i)], g[i], bound * Math.max(1, Math.abs(g[i])));
    }
  }

  @Test
  void productsNeedAPreparedPointAndMatchingLengths() {
    Case k = CurvatureFixtures.allCases().get(0);
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    BlockSelection sel = BlockSelection.recurrent(p.layout(), p.structure());
    DoubleHessianVectorProduct hvp = new DoubleHessianVectorProduct(k.config(), sel, 3, 6);
    double[] v = new double[sel.dimension()];
    assertThrows(IllegalStateException.class, () -> hvp.apply(v, v.clone()));
    hvp.prepare(p, CurvatureFixtures.doubleBatch(k));
    assertThrows(IllegalArgumentException.class, () -> hvp.apply(new double[3], new double[3]));
    assertEquals(k.config().hidden() * (k.config().hidden() - (k.config().noAutapse() ? 1 : 0)),
        sel.dimension());
  }
}
