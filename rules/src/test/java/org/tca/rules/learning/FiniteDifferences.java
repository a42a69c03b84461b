package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleParameters;

/**
 * Central finite differences D(h) = (J(theta + h e_i) - J(theta - h e_i)) / 2h in double, with a
 * tolerance from the error analysis rather than a fixed epsilon:
 *
 * <ul>
 *   <li>truncation: D(h) - J' = h^2 J'''/6 + O(h^4), and D(2h) - D(h) = 3 h^2 J'''/6 + O(h^4), so
 *       |D(2h) - D(h)| / 3 estimates it; we allow 2 |D(2h) - D(h)| (6x the estimate, covering the
 *       O(h^4) term; where a ReLU kink lies within 2h the estimate grows with it);</li>
 *   <li>rounding: each J is a sum over T steps of dot products of length &lt;= N + N_in + N_out + 2,
 *       so |fl(J) - J| &lt;= n u |J|-ish with n = 4 T (N + N_in + N_out + 2) (generous: the terms
 *       are O(|J|)), which D(h) divides by h: n u max(1, |J|) / h;</li>
 *   <li>the analytic gradient's own rounding (~1e-15 relative) is covered by a 1e-12 |g| term.</li>
 * </ul>
 *
 * With h = 1e-5 and u = 2^-53 the rounding term is ~5e-9 and a smooth J has truncation ~1e-10:
 * any error in a gradient formula larger than ~1e-8 fails the check.
 */
final class FiniteDifferences {

  static final double H = 1e-5;

  private FiniteDifferences() {}

  /** The largest tolerance used; lets callers assert the check was sharp. */
  record Result(int checked, double maxTolerance, double maxError) {}

  /**
   * Checks grad against the FD of J at every parameter except disallowed W_rec entries (not
   * parameters: their gradient must be exactly 0) and frozen blocks (gradient exactly 0).
   */
  static Result check(String what, DoubleParameters p, double[] grad,
      ToDoubleFunction<double[]> objective, int steps) {
    double[] theta = p.data().clone();
    double j0 = objective.applyAsDouble(theta);
    var c = p.config();
    int n = 4 * steps * (c.hidden() + c.inputs() + c.outputs() + 2);
    double u = Math.ulp(1.0) / 2;
    double rounding = n * u * Math.max(1, Math.abs(j0)) / H;
    BlockView wRec = p.view(Block.W_REC);
    double maxTol = 0;
    double maxErr = 0;
    int checked = 0;
    for (Block b : Block.values()) {
      BlockView v = p.view(b);
      for (int i = 0; i < v.rows(); i++) {
        for (int jj = 0; jj < v.cols(); jj++) {
          int idx = v.index(i, jj);
          boolean notParameter = b == Block.W_REC && !p.structure().allowed(i, jj);
          if (notParameter || p.isFrozen(b)) {
            assertTrue(grad[idx] == 0.0, what + ": " + b.id() + "[" + i + "," + jj
                + "] is not trainable but has gradient " + grad[idx]);
            continue;
          }
          double d1 = central(objective, theta, idx, H);
          double d2 = central(objective, theta, idx, 2 * H);
          double tol = 2 * Math.abs(d2 - d1) + rounding + 1e-12 * Math.abs(grad[idx]);
          double err = Math.abs(grad[idx] - d1);
          maxTol = Math.max(maxTol, tol);
          maxErr = Math.max(maxErr, err);
          checked++;
          assertTrue(err <= tol, what + ": " + b.id() + "[" + i + "," + jj + "] gradient "
              + grad[idx] + " vs finite difference " + d1 + " (error " + err + ", tolerance " + tol
              + ", D(2h) = " + d2 + ")");
        }
      }
    }
    assertTrue(wRec.size() > 0);
    return new Result(checked, maxTol, maxErr);
  }

  private static double central(ToDoubleFunction<double[]> f, double[] theta, int i, double h) {
    double x = theta[i];
    theta[i] = x + h;
    double fp = f.applyAsDouble(theta);
    theta[i] = x - h;
    double fm = f.applyAsDouble(theta);
    theta[i] = x;
    return (fp - fm) / (2 * h);
  }
}
