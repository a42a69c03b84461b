package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.tca.rules.learning.DoubleBptt;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * The oracle of the Hessian tests: central differences of the exact f64 BPTT gradient g along a
 * direction v, D(h) = (g(theta + h v) - g(theta - h v)) / 2h, read at the coordinates of a
 * {@link BlockSelection}, with a tolerance from the error analysis (as for the gradient checks):
 *
 * <ul>
 *   <li>truncation: D(h) - H v = h^2 g'''[v,v,v]/6 + O(h^4), and D(2h) - D(h) is 3x that
 *       leading term, so 2 |D(2h) - D(h)| (6x the estimate) covers it (a ReLU kink within 2h
 *       makes the estimate, and so the tolerance, large: such entries test nothing, which
 *       {@link Result#maxTolerance} exposes);</li>
 *   <li>rounding: each gradient entry carries an error of at most K u max(1, |g|_inf) with K from
 *       {@link CurvatureFixtures#roundingUnits}, which D(h) divides by h;</li>
 *   <li>the product's own rounding: 1e-12 |(Hv)_i|.</li>
 * </ul>
 *
 * With h = 1e-5 (|v| = 1) a smooth loss gives truncation ~1e-10 and rounding ~1e-8 here.
 */
final class GradientDifferences {

  static final double H = 1e-5;

  private GradientDifferences() {}

  /** D(h) and its per-coordinate tolerance. */
  record Result(double[] value, double[] tolerance, double maxTolerance) {}

  /** D(h) along the coordinate vector v of {@code sel} (the gradient is read at sel too). */
  static Result along(DoubleParameters p0, DoubleBatch batch, BlockSelection sel, double[] v,
      double h) {
    DoubleParameters p = p0.copy();
    DoubleBptt bptt = new DoubleBptt(p.config());
    DoubleWorkspace ws = bptt.newWorkspace(batch.size(), batch.steps());
    double[] theta = p.data().clone();
    double[] d1 = central(bptt, ws, p, batch, sel, theta, v, h);
    double[] d2 = central(bptt, ws, p, batch, sel, theta, v, 2 * h);
    double[] g = p.newGradient();
    System.arraycopy(theta, 0, p.data(), 0, theta.length);
    bptt.gradient(p, batch, ws, g);
    double gmax = 1;
    for (double x : g) {
      gmax = Math.max(gmax, Math.abs(x));
    }
    double rounding = CurvatureFixtures.roundingUnits(p.config(), batch.steps(), batch.size(),
        Math.ulp(1.0) / 2) * gmax / h;
    double[] tol = new double[d1.length];
    double max = 0;
    for (int i = 0; i < tol.length; i++) {
      tol[i] = 2 * Math.abs(d2[i] - d1[i]) + rounding + 1e-12 * Math.abs(d1[i]);
      max = Math.max(max, tol[i]);
    }
    return new Result(d1, tol, max);
  }

  /** Column j of the Hessian over sel by differences of gradients (v = e_j). */
  static Result column(DoubleParameters p0, DoubleBatch batch, BlockSelection sel, int j) {
    double[] e = new double[sel.dimension()];
    e[j] = 1;
    return along(p0, batch, sel, e, H);
  }

  /** Asserts |hv_i - D_i| <= tol_i for every coordinate. */
  static void assertMatches(String what, double[] hv, Result fd) {
    for (int i = 0; i < hv.length; i++) {
      double err = Math.abs(hv[i] - fd.value()[i]);
      assertTrue(err <= fd.tolerance()[i], what + ": coordinate " + i + " Hv = " + hv[i]
          + " vs difference of gradients " + fd.value()[i] + " (error " + err + ", tolerance "
          + fd.tolerance()[i] + ")");
    }
  }

  private static double[] central(DoubleBptt bptt, DoubleWorkspace ws, DoubleParameters p,
      DoubleBatch batch, BlockSelection sel, double[] theta, double[] v, double h) {
    double[] gp = p.newGradient();
    double[] gm = p.newGradient();
    step(p, sel, theta, v, h);
    bptt.gradient(p, batch, ws, gp);
    step(p, sel, theta, v, -h);
    bptt.gradient(p, batch, ws, gm);
    double[] d = new double[sel.dimension()];
    for (int i = 0; i < d.length; i++) {
      int f = sel.flatIndex(i);
      d[i] = (gp[f] - gm[f]) / (2 * h);
    }
    return d;
  }

  private static void step(DoubleParameters p, BlockSelection sel, double[] theta, double[] v,
      double h) {
    System.arraycopy(theta, 0, p.data(), 0, theta.length);
    for (int i = 0; i < v.length; i++) {
      p.data()[sel.flatIndex(i)] += h * v[i];
    }
  }
}
