package org.tca.rules.curvature;

/**
 * When a stochastic trace estimator stops: after at least {@code minProbes} probes (>= 2, so a
 * standard error exists), as soon as SE <= max(absoluteTolerance, relativeTolerance |estimate|),
 * and in any case after {@code maxProbes}.
 *
 * @param minProbes the least number of probes (>= 2)
 * @param maxProbes the cap (>= minProbes)
 * @param relativeTolerance target SE relative to |estimate| (>= 0)
 * @param absoluteTolerance target SE in absolute terms (>= 0)
 */
public record TraceStoppingRule(int minProbes, int maxProbes, double relativeTolerance,
    double absoluteTolerance) {

  /** Validates the fields. */
  public TraceStoppingRule {
    if (minProbes < 2 || maxProbes < minProbes) {
      throw new IllegalArgumentException("need 2 <= minProbes <= maxProbes, got " + minProbes
          + ", " + maxProbes);
    }
    if (!(relativeTolerance >= 0) || !(absoluteTolerance >= 0)) {
      throw new IllegalArgumentException("tolerances must be >= 0");
    }
  }

  /** At least 10 and at most 1000 probes, stop at a 1% relative standard error. */
  public static TraceStoppingRule defaults() {
    return new TraceStoppingRule(10, 1000, 1e-2, 0.0);
  }

  /** Exactly m probes (no early stop). */
  public static TraceStoppingRule fixed(int m) {
    return new TraceStoppingRule(m, m, 0.0, 0.0);
  }

  /** True when m probes with this estimate and standard error satisfy the rule. */
  public boolean satisfied(int m, double estimate, double standardError) {
    return m >= minProbes
        && standardError <= Math.max(absoluteTolerance, relativeTolerance * Math.abs(estimate));
  }
}
