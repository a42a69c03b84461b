package org.tca.numerics.linalg;

import java.util.SplittableRandom;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * Power iteration, the published recipe for the top Hessian eigenvalue, kept for comparison with
 * {@link Lanczos}. From a unit v_0 (seeded standard normal entries, or a given start):
 *
 * <pre>
 *   w = A v_k;  mu_k = v_k' w  (signed Rayleigh quotient);  v_{k+1} = w / ||w||
 * </pre>
 *
 * stopping at the first k >= 2 with |mu_k - mu_{k-1}| <= tol (absolute, as in the paper's code;
 * or <= tol |mu_k| when relative), or after maxIterations products (defaults 500 and 1e-6). It
 * returns mu_k with the vector v_k it belongs to, so the reported eigenvalue is v'Av of the
 * returned v, with its sign; the published code reports a magnitude, here {@code magnitude} =
 * ||A v_k||.
 *
 * <p>Power iteration converges to the eigenvalue of largest MAGNITUDE (which for a Hessian may be
 * its most negative one), with error in mu_k shrinking like (|lambda_2| / |lambda_1|)^(2k); it does
 * not converge to an eigenvector when lambda and -lambda are both extreme. The stopping test
 * bounds the last change, not the error: with ratio rho = (lambda_2 / lambda_1)^2 the error is
 * about change * rho / (1 - rho). If A v_k = 0 exactly, mu_k = 0 is an exact eigenvalue and the
 * iteration stops converged.
 *
 * <p>Workspace is allocated once per instance; a solve allocates only its result. Not
 * thread-safe.
 */
public final class PowerIteration {

  /** The published cap on iterations. */
  public static final int DEFAULT_MAX_ITERATIONS = 500;

  /** The published tolerance on the change of the eigenvalue estimate (absolute). */
  public static final double DEFAULT_TOLERANCE = 1e-6;

  private final int n;
  private final double[] v;
  private final double[] w;
  private final DoubleKernels k = Kernels.f64();

  /** A solver for operators of dimension n. */
  public PowerIteration(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension " + dimension + " < 1");
    }
    this.n = dimension;
    this.v = new double[n];
    this.w = new double[n];
  }

  /** The published recipe: random start, at most 500 iterations, absolute tolerance 1e-6. */
  public PowerIterationResult solve(SymmetricOperator op, long seed) {
    return solve(op, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE, false, null, seed);
  }

  /**
   * Power iteration with the given cap and tolerance.
   *
   * @param op the symmetric operator, of dimension n
   * @param maxIterations the maximum number of products (>= 1)
   * @param tol the tolerance on |mu_k - mu_{k-1}| (>= 0)
   * @param relative whether the test is |mu_k - mu_{k-1}| <= tol |mu_k| instead of <= tol
   * @param start the start vector (copied, normalised), or null for a seeded random start
   * @param seed the seed of the random start
   */
  public PowerIterationResult solve(SymmetricOperator op, int maxIterations, double tol,
      boolean relative, double[] start, long seed) {
    if (op.dimension() != n) {
      throw new IllegalArgumentException(
          "operator dimension " + op.dimension() + " but this solver is for " + n);
    }
    if (maxIterations < 1 || !(tol >= 0.0) || !Double.isFinite(tol)) {
      throw new IllegalArgumentException(
          "maxIterations " + maxIterations + " must be >= 1 and tol " + tol + " finite, >= 0");
    }
    if (start != null) {
      if (start.length != n) {
        throw new IllegalArgumentException("start vector length " + start.length + " != " + n);
      }
      System.arraycopy(start, 0, v, 0, n);
    } else {
      SplittableRandom rnd = new SplittableRandom(seed);
      for (int i = 0; i < n; i++) {
        v[i] = rnd.nextGaussian();
      }
    }
    double s = Math.sqrt(k.sumSquares(n, v, 0));
    if (!(s > 0.0) || !Double.isFinite(s)) {
      throw new IllegalArgumentException("start vector has norm " + s);
    }
    k.scale(n, 1.0 / s, v, 0);
    double previous = Double.NaN;
    double mu = 0.0;
    double magnitude = 0.0;
    boolean converged = false;
    int it = 0;
    while (it < maxIterations) {
      op.apply(v, w);
      it++;
      mu = k.dot(n, v, 0, w, 0);
      magnitude = Math.sqrt(k.sumSquares(n, w, 0));
      if (!Double.isFinite(magnitude)) {
        throw new ArithmeticException("operator returned a non-finite vector at product " + it);
      }
      if (it > 1 && Math.abs(mu - previous) <= (relative ? tol * Math.abs(mu) : tol)) {
        converged = true;
        break;
      }
      if (magnitude == 0.0) {
        converged = true;  // A v = 0: v is an exact eigenvector with eigenvalue 0
        break;
      }
      previous = mu;
      if (it == maxIterations) {
        break;  // keep v, whose Rayleigh quotient is mu
      }
      System.arraycopy(w, 0, v, 0, n);
      k.scale(n, 1.0 / magnitude, v, 0);
    }
    return new PowerIterationResult(mu, v.clone(), magnitude, it, converged);
  }
}
