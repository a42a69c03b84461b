package org.tca.rules.curvature;

import org.tca.numerics.linalg.SymmetricOperator;
import org.tca.numerics.random.RandomStream;

/**
 * Stochastic estimates of tr(H) from products only.
 *
 * <ul>
 *   <li>Hutchinson: tr(H) = E[z'Hz] for z with independent Rademacher (+-1) entries; the
 *       estimate is the mean of m such quadratic forms, its standard error s/sqrt(m) with s the
 *       sample standard deviation (Var z'Hz = 2 sum_{i != j} H_ij^2, no diagonal term).</li>
 *   <li>Hutch++ (Meyer, Musco, Musco, Woodruff 2021): Q = orth(H S) for a Rademacher sketch S of
 *       s columns, then tr(H) = tr(Q'HQ) + tr((I - QQ')H(I - QQ')), the first exactly (|Q|
 *       products), the second by Hutchinson on w = (I - QQ')z. Deflating the top of the spectrum
 *       shrinks the variance when H has a few dominant eigenvalues. A sketch of rank n makes the
 *       estimate exact (SE 0, no probes). This variant fixes s and lets the stopping rule decide
 *       the number of deflated probes (the original splits a fixed budget in thirds).</li>
 * </ul>
 *
 * Both stop by a {@link TraceStoppingRule} on the standard error. Probes come from
 * {@code new RandomStream(seed)}: reproducible for a seed. Each call allocates its vectors.
 *
 * <p>When the dimension n is at most the rule's probe cap, both return the exact trace
 * sum_i e_i'H e_i instead (method "exact": n products, no probes, standard error 0): no more
 * products than the cap allows, and no sampling error, which on an indefinite H can stay at
 * several percent after the cap.
 */
public final class HessianTrace {

  private HessianTrace() {}

  /** Hutchinson's estimator with Rademacher probes. */
  public static TraceEstimate hutchinson(SymmetricOperator h, TraceStoppingRule rule, long seed) {
    int n = h.dimension();
    if (n <= rule.maxProbes()) {
      return exact(h);
    }
    RandomStream r = new RandomStream(seed);
    double[] z = new double[n];
    double[] hz = new double[n];
    Welford acc = new Welford();
    boolean converged = false;
    while (acc.count < rule.maxProbes()) {
      r.fillRademacher(z, 0, n);
      h.apply(z, hz);
      acc.add(dot(z, hz));
      if (rule.satisfied(acc.count, acc.mean, acc.standardError())) {
        converged = true;
        break;
      }
    }
    return new TraceEstimate("hutchinson", acc.mean, acc.standardError(), acc.count, acc.count,
        converged);
  }

  /** Hutch++ with a sketch of {@code sketchSize} columns (capped at n). */
  public static TraceEstimate hutchPlusPlus(SymmetricOperator h, int sketchSize,
      TraceStoppingRule rule, long seed) {
    int n = h.dimension();
    int s = Math.min(sketchSize, n);
    if (s < 1) {
      throw new IllegalArgumentException("sketch size must be >= 1, got " + sketchSize);
    }
    if (n <= rule.maxProbes()) {
      return exact(h);
    }
    RandomStream r = new RandomStream(seed);
    OrthonormalBasis q = new OrthonormalBasis(n, s);
    double[] z = new double[n];
    double[] hz = new double[n];
    int products = 0;
    for (int j = 0; j < s; j++) {
      r.fillRademacher(z, 0, n);
      h.apply(z, hz);
      products++;
      double before = q.norm(hz);
      double after = q.orthogonalise(hz, q.size(), null);
      // numerically dependent columns (rank(H S) < s) are dropped
      if (after > 1e3 * Math.ulp(1.0) * Math.max(before, Double.MIN_NORMAL) && after > 0) {
        q.add(hz, after);
      }
    }
    double sketched = 0;
    for (int j = 0; j < q.size(); j++) {
      h.apply(q.vector(j), hz);
      products++;
      sketched += q.dot(q.vector(j), hz);
    }
    if (q.size() == n) {
      return new TraceEstimate("hutch++", sketched, 0.0, 0, products, true);
    }
    Welford acc = new Welford();
    boolean converged = false;
    while (acc.count < rule.maxProbes()) {
      r.fillRademacher(z, 0, n);
      q.orthogonalise(z, q.size(), null);
      h.apply(z, hz);
      products++;
      acc.add(q.dot(z, hz));
      if (rule.satisfied(acc.count, sketched + acc.mean, acc.standardError())) {
        converged = true;
        break;
      }
    }
    return new TraceEstimate("hutch++", sketched + acc.mean, acc.standardError(), acc.count,
        products, converged);
  }

  /** tr(H) = sum_i e_i'H e_i = sum_i (H e_i)_i: n products, exact up to rounding. */
  public static TraceEstimate exact(SymmetricOperator h) {
    int n = h.dimension();
    double[] e = new double[n];
    double[] he = new double[n];
    double trace = 0;
    for (int i = 0; i < n; i++) {
      e[i] = 1;
      h.apply(e, he);
      e[i] = 0;
      trace += he[i];
    }
    return new TraceEstimate("exact", trace, 0.0, 0, n, true);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Running mean and sum of squared deviations (Welford). */
  private static final class Welford {
    int count;
    double mean;
    double m2;

    void add(double x) {
      count++;
      double d = x - mean;
      mean += d / count;
      m2 += d * (x - mean);
    }

    double standardError() {
      return count < 2 ? Double.POSITIVE_INFINITY : Math.sqrt(m2 / (count - 1) / count);
    }
  }
}
