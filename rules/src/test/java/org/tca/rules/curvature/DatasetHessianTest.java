package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.PrecisionConversion;

/**
 * The data-set operator over chunks of 3, 2 and 4 samples equals the product on the single
 * concatenated batch of 9 (same mask), to rounding: H_D = sum_c (B_c / 9) H_c, J_D likewise.
 */
class DatasetHessianTest {

  @Test
  void chunkedAverageEqualsTheConcatenatedBatch() {
    List<Case> all = CurvatureFixtures.allCases();
    for (Case k : List.of(all.get(5), all.get(50))) {
      int[] sizes = {3, 2, 4};
      FloatBatch whole = org.tca.rules.learning.Fixtures.floatBatch(k.config(), k.mask(), k.labelsPerStep(),
          CurvatureFixtures.T, 9, k.seed());
      List<DoubleBatch> chunks = new java.util.ArrayList<>();
      int b0 = 0;
      for (int size : sizes) {
        chunks.add(PrecisionConversion.widen(slice(whole, b0, size)));
        b0 += size;
      }
      DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
      BlockSelection sel = BlockSelection.all(p.layout(), p.structure());
      DoubleDatasetHessian dataset = new DoubleDatasetHessian(k.config(), sel, chunks);
      double jd = dataset.prepare(p);
      DoubleHessianVectorProduct single =
          new DoubleHessianVectorProduct(k.config(), sel, 9, CurvatureFixtures.T);
      double j = single.prepare(p, PrecisionConversion.widen(whole));
      double bound = CurvatureFixtures.roundingUnits(k.config(), CurvatureFixtures.T, 9,
          Math.ulp(1.0) / 2);
      assertEquals(j, jd, bound * Math.abs(j), k + " objective");
      double[] v = CurvatureFixtures.unitVector(sel.dimension(), 4);
      double[] a = new double[v.length];
      double[] b = new double[v.length];
      dataset.apply(v, a);
      single.apply(v, b);
      double scale = CurvatureFixtures.norm(b);
      for (int i = 0; i < v.length; i++) {
        assertEquals(b[i], a[i], bound * scale, k + " coordinate " + i);
      }
    }
  }

  @Test
  void needsChunksAndAPreparedPoint() {
    Case k = CurvatureFixtures.allCases().get(0);
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    BlockSelection sel = BlockSelection.recurrent(p.layout(), p.structure());
    assertThrows(IllegalArgumentException.class,
        () -> new DoubleDatasetHessian(k.config(), sel, List.of()));
    DoubleDatasetHessian d = new DoubleDatasetHessian(k.config(), sel,
        List.of(CurvatureFixtures.doubleBatch(k)));
    double[] v = new double[sel.dimension()];
    assertThrows(IllegalStateException.class, () -> d.apply(v, v.clone()));
  }

  /** Samples b0 .. b0+size-1 of a batch (same mask and steps). */
  static FloatBatch slice(FloatBatch src, int b0, int size) {
    int steps = src.steps();
    FloatBatch dst = src.classification()
        ? FloatBatch.classification(steps, size, src.inputs(), src.outputs(), src.labelsPerStep())
        : FloatBatch.regression(steps, size, src.inputs(), src.outputs());
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < size; b++) {
        System.arraycopy(src.x(), src.xOffset(t, b0 + b), dst.x(), dst.xOffset(t, b), src.inputs());
        if (src.classification()) {
          dst.labels()[dst.labelIndex(t, b)] = src.labels()[src.labelIndex(t, b0 + b)];
        } else {
          System.arraycopy(src.targets(), src.targetOffset(t, b0 + b), dst.targets(),
              dst.targetOffset(t, b), src.outputs());
        }
      }
    }
    dst.lossMask(src.lossMask());
    return dst;
  }
}
