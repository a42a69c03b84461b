package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.PrecisionConversion;

/**
 * The f32 product (kernels in f32, vectors converted at the boundary) against the f64 product on
 * the same (widened) weights and data: |Hv_f32 - Hv_f64|_inf <= K u_f32 max(1, |Hv_f64|_inf) with
 * K from {@link CurvatureFixtures#roundingUnits} (every f32 rounding in the passes is counted once
 * per term; the f64 errors are 2^-29 times smaller).
 */
class HessianPrecisionTest {

  static List<Case> cases() {
    return CurvatureFixtures.allCases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void f32MatchesF64(Case k) {
    FloatParameters pf = FloatParameters.initialize(k.config(), k.seed());
    DoubleParameters pd = PrecisionConversion.widen(pf);
    FloatBatch bf = CurvatureFixtures.floatBatch(k);
    BlockSelection sel = BlockSelection.all(pf.layout(), pf.structure());
    FloatHessianVectorProduct hf = new FloatHessianVectorProduct(k.config(), sel, 3, 6);
    DoubleHessianVectorProduct hd = new DoubleHessianVectorProduct(k.config(), sel, 3, 6);
    double jf = hf.prepare(pf, bf);
    double jd = hd.prepare(pd, PrecisionConversion.widen(bf));
    double[] v = CurvatureFixtures.unitVector(sel.dimension(), 11);
    double[] of = new double[v.length];
    double[] od = new double[v.length];
    hf.apply(v, of);
    hd.apply(v, od);
    double max = 1;
    double err = 0;
    for (int i = 0; i < v.length; i++) {
      max = Math.max(max, Math.abs(od[i]));
      err = Math.max(err, Math.abs(of[i] - od[i]));
    }
    double bound = CurvatureFixtures.roundingUnits(k.config(), 6, 3, Math.ulp(1.0f) / 2) * max;
    assertTrue(err <= bound, k + ": f32 vs f64 error " + err + " > " + bound);
    assertTrue(Math.abs(jf - jd) <= bound * Math.max(1, Math.abs(jd)),
        "objective " + jf + " vs " + jd);
  }
}
