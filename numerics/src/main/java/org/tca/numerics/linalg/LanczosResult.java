package org.tca.numerics.linalg;

/**
 * What {@link Lanczos#solve} found: Ritz pairs (theta_i, y_i = Q_m s_i) approximating the k
 * largest and the k' smallest eigenpairs of A, with the residual estimates
 * r_i = |beta_m s_{m,i}| = ||A y_i - theta_i y_i|| (equal up to rounding, given the full
 * reorthogonalisation; see {@link Lanczos} for the rounding-level term a breakdown drops).
 *
 * @param top the kTop largest Ritz pairs, largest first
 * @param topResiduals residual estimates of {@code top}, same order
 * @param bottom the kBottom smallest Ritz pairs, smallest first
 * @param bottomResiduals residual estimates of {@code bottom}, same order
 * @param products the number of operator applications v -> A v, over all phases
 * @param restarts how many times a new random vector orthogonal to the basis was started: an
 *     invariant subspace was met, or a phase began after locking converged pairs (to look for
 *     further copies of repeated eigenvalues)
 * @param converged whether the solver stopped by its rule (in every phase every wanted pair met
 *     the tolerance, an invariant subspace was confirmed, or the whole space was spanned, and the
 *     last phase found no further copy) rather than at maxIterations
 */
public record LanczosResult(EigenPairs top, double[] topResiduals, EigenPairs bottom,
    double[] bottomResiduals, int products, int restarts, boolean converged) {

  /** The largest Ritz value (requires kTop >= 1). */
  public double largest() {
    return top.value(0);
  }

  /** The smallest Ritz value (requires kBottom >= 1). */
  public double smallest() {
    return bottom.value(0);
  }
}
