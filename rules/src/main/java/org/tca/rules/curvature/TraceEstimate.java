package org.tca.rules.curvature;

/**
 * A trace estimate tr(H) ~ estimate +- standardError.
 *
 * @param method "hutchinson" or "hutch++", or "exact" (sum_i e_i'H e_i, standard error 0)
 * @param trace the estimate
 * @param standardError the standard error of the estimate: s / sqrt(m) over the m random quadratic
 *     forms it averages (for Hutch++ those of the deflated part; the sketched part is exact)
 * @param probes the number m of random probes averaged
 * @param products the number of operator products used in all
 * @param converged whether the stopping rule was met before the probe cap
 */
public record TraceEstimate(String method, double trace, double standardError, int probes,
    int products, boolean converged) {}
