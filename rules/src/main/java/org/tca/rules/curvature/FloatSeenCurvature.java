package org.tca.rules.curvature;

import org.tca.numerics.linalg.SymmetricOperator;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;

/**
 * Seen-curvature c = v'Gv / v'Hv of a learning rule along a direction v over a
 * {@link BlockSelection} (see {@link SeenCurvature}). G v, the directional derivative of the
 * rule's offline update field g (its {@link FloatLearningRule#gradient}, L2 term included,
 * frozen blocks 0), is taken by central differences,
 *
 * <pre>
 *   G v ~ (g(theta + h v) - g(theta - h v)) / 2h,   h = u^(1/3) max(1, max_i |theta_i|) / ||v||
 * </pre>
 *
 * with u the unit roundoff of the rule's precision and the max over the parameters of the
 * selection: the classical central-difference step h_i = u^(1/3) max(1, |theta_i|), which
 * balances the truncation error h^2 |g'''| / 6 against the rounding error ~ u |g| / h of the
 * update (both then ~ u^(2/3) relative), taken with the largest |theta_i| so that no coordinate
 * moves by less than its own rounding scale allows. In double precision (u = 2^-53) h ~ 4.8e-6
 * and c is good to ~1e-8 for smooth activations; in single precision (u = 2^-24, h ~ 3.9e-3) to
 * ~1e-3 (ReLU: kinks crossed within h add their own error in either). v'Hv comes from an
 * exact product with the given Hessian operator, which must be prepared at the same
 * (theta, batch) over the same selection. Differences are formed in f64 from the two updates.
 * Workspace allocated once (a copy of the parameters, two update buffers); not thread-safe.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class FloatSeenCurvature {

  private final FloatLearningRule rule;
  private final BlockSelection sel;
  private final FloatWorkspace ws;
  private final float[] gPlus;
  private final float[] gMinus;
  private final double[] hv;
  private FloatParameters shifted;

  /** A probe of {@code rule} over {@code selection} for batches up to the given sizes. */
  public FloatSeenCurvature(FloatLearningRule rule, BlockSelection selection, int batchCapacity,
      int steps) {
    this.rule = rule;
    this.sel = selection;
    this.ws = rule.newWorkspace(batchCapacity, steps);
    this.gPlus = new float[selection.parameterCount()];
    this.gMinus = new float[selection.parameterCount()];
    this.hv = new double[selection.dimension()];
  }

  /** The default step u^(1/3) max(1, max_i |theta_i|) over the selection, for a unit direction. */
  public double defaultStep(FloatParameters p) {
    double m = 1.0;
    for (int i = 0; i < sel.dimension(); i++) {
      m = Math.max(m, Math.abs(p.data()[sel.flatIndex(i)]));
    }
    return Math.cbrt(Math.ulp(1.0f) / 2) * m;
  }

  /** c along v (any nonzero vector of the selection's coordinates), with the default step. */
  public SeenCurvature measure(FloatParameters p, FloatBatch batch, double[] v,
      SymmetricOperator hessian) {
    return measure(p, batch, v, hessian, defaultStep(p));
  }

  /** c along v with an explicit step: the parameters move by +-step along v / ||v||. */
  public SeenCurvature measure(FloatParameters p, FloatBatch batch, double[] v,
      SymmetricOperator hessian, double step) {
    if (v.length != sel.dimension() || hessian.dimension() != sel.dimension()) {
      throw new IllegalArgumentException("direction and operator must have " + sel.dimension()
          + " coordinates");
    }
    double vv = 0;
    for (double x : v) {
      vv += x * x;
    }
    if (!(vv > 0) || !(step > 0)) {
      throw new IllegalArgumentException("need a nonzero direction and a positive step");
    }
    double h = step / Math.sqrt(vv);
    if (shifted == null || shifted.data().length != p.data().length) {
      shifted = p.copy();
    } else {
      shifted.copyFrom(p);
    }
    displace(p, v, h);
    rule.gradient(shifted, batch, ws, gPlus);
    displace(p, v, -h);
    rule.gradient(shifted, batch, ws, gMinus);
    double vgv = 0;
    for (int i = 0; i < v.length; i++) {
      int f = sel.flatIndex(i);
      vgv += v[i] * ((double) gPlus[f] - (double) gMinus[f]);
    }
    vgv /= 2 * h;
    hessian.apply(v, hv);
    double vhv = 0;
    for (int i = 0; i < v.length; i++) {
      vhv += v[i] * hv[i];
    }
    return new SeenCurvature(vgv / vhv, vgv / vv, vhv / vv, step);
  }

  private void displace(FloatParameters p, double[] v, double h) {
    float[] src = p.data();
    float[] dst = shifted.data();
    for (int i = 0; i < v.length; i++) {
      int f = sel.flatIndex(i);
      dst[f] = (float) (src[f] + h * v[i]);
    }
  }
}
