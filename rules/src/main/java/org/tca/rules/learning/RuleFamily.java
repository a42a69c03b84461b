package org.tca.rules.learning;

/**
 * How a learning rule's update direction g relates to the true gradient dL/dtheta:
 *
 * <ul>
 *   <li>{@link #EXACT}: g = dL/dtheta (bptt, rtrl), or the exact gradient of a truncated loss
 *       (tbptt, which drops only the paths longer than its window);
 *   <li>{@link #UNBIASED_ESTIMATE}: E[g] = dL/dtheta over the rule's random signs (uoro,
 *       kf-rtrl, r-kf-rtrl), with variance but no bias;
 *   <li>{@link #APPROXIMATE}: g = dL/dtheta with non-local credit paths dropped or replaced (the
 *       bio-plausible rules: e-prop, RFLO, MDGL, ModProp; and SnAp-n, which drops the influence
 *       entries outside an n-step sparsity pattern), biased.
 * </ul>
 *
 * The study claims (Liu et al. 2022) compare APPROXIMATE against EXACT; their theory is about
 * biased truncations, so unbiased estimates are in neither group.
 */
public enum RuleFamily {
  /** The true gradient (or that of a truncated loss). */
  EXACT,
  /** An unbiased stochastic estimate of the true gradient. */
  UNBIASED_ESTIMATE,
  /** A biased approximation: the bio-plausible rules. */
  APPROXIMATE
}
