package org.tca.numerics.linalg;

/**
 * What {@link PowerIteration#solve} found.
 *
 * @param eigenvalue the signed Rayleigh quotient v' A v of the returned unit vector v (the
 *     estimate of the eigenvalue of largest magnitude)
 * @param vector the final unit iterate v
 * @param magnitude ||A v||, the estimate of |lambda| that the published recipe reports
 * @param iterations the number of iterations, equal to the number of operator applications
 * @param converged whether the stopping test was met within the iteration cap
 */
public record PowerIterationResult(double eigenvalue, double[] vector, double magnitude,
    int iterations, boolean converged) {

  /** The number of operator applications (one per iteration). */
  public int products() {
    return iterations;
  }
}
