package org.tca.rules.curvature;

import org.tca.numerics.linalg.Lanczos;
import org.tca.numerics.linalg.LanczosResult;
import org.tca.numerics.linalg.PowerIteration;
import org.tca.numerics.linalg.PowerIterationResult;
import org.tca.numerics.linalg.SymmetricOperator;
import org.tca.numerics.random.RandomStream;

/**
 * Extreme eigenpairs of a block Hessian H (any {@link SymmetricOperator}, typically a
 * {@link FloatHessianVectorProduct}):
 *
 * <ul>
 *   <li>{@link #extremes}: the kTop largest and kBottom smallest eigenpairs by {@link Lanczos}
 *       (full reorthogonalisation; stops when every wanted Ritz pair has residual
 *       ||H y - theta y|| <= tol max|theta|, so theta is within tol ||H|| of an eigenvalue, and
 *       within r^2 / gap when separated by gap from the rest of the spectrum). Repeated extreme
 *       eigenvalues (the N_out copies of a W_out Hessian, the L2 floor of dead units) are
 *       reported with their multiplicity: with k >= 2 at an end, converged pairs are locked and
 *       Lanczos restarts on their complement until no further copy enters (see {@link Lanczos});
 *       with k = 1 it is a single run. A warm start (e.g. the previous checkpoint's top vector)
 *       replaces the random start. The result reports the number of products used.</li>
 *   <li>{@link #topFromGradient}: the largest pair from the gradient start
 *       q_0 = g / ||g|| + r / ||r||, g = dJ/dtheta_S at the prepared point, r a seeded standard
 *       normal vector: the gradient lies near the top eigenvectors (it saves 10-30% of the
 *       products of a random start on the paper's sMNIST runs), and r keeps a component along
 *       every eigenvector, so no part of the spectrum is missed whatever the gradient.</li>
 *   <li>{@link #powerRecipe}: the published recipe for comparison, power iteration from a
 *       random unit vector, at most 500 products, stopping when the Rayleigh quotient changes by
 *       <= 1e-6; it reports the SIGNED Rayleigh quotient v'Hv (the published code reports
 *       |lambda|, available as {@link PowerIterationResult#magnitude()}).</li>
 * </ul>
 *
 * Holds the solvers' workspace for one dimension (Lanczos keeps up to maxIterations basis
 * vectors of n doubles); a solve allocates only its result (the gradient start also its random
 * stream). Not thread-safe.
 */
public final class HessianEigensolver {

  private final int n;
  private final Lanczos lanczos;
  private final PowerIteration power;
  private double[] start;

  /** Solvers for dimension n with the default Lanczos cap min(n, 300) steps. */
  public HessianEigensolver(int dimension) {
    this(dimension, Lanczos.DEFAULT_ITERATION_CAP);
  }

  /** Solvers for dimension n with at most min(n, maxIterations) Lanczos steps. */
  public HessianEigensolver(int dimension, int maxIterations) {
    this.n = dimension;
    this.lanczos = new Lanczos(dimension, maxIterations);
    this.power = new PowerIteration(dimension);
  }

  /** The dimension. */
  public int dimension() {
    return n;
  }

  /** The cap on the Lanczos basis (locked plus current vectors; the products of a single run). */
  public int maxIterations() {
    return lanczos.maxIterations();
  }

  /**
   * The kTop largest (largest first) and kBottom smallest (smallest first) eigenpairs.
   *
   * @param h the Hessian operator
   * @param kTop number of largest pairs (may be 0 if kBottom > 0)
   * @param kBottom number of smallest pairs
   * @param tol relative residual tolerance (e.g. 1e-6)
   * @param warmStart start vector (copied, normalised) or null for a random start from seed
   * @param seed seed of the random start and of restart vectors
   */
  public LanczosResult extremes(SymmetricOperator h, int kTop, int kBottom, double tol,
      double[] warmStart, long seed) {
    return lanczos.solve(h, kTop, kBottom, tol, warmStart, seed);
  }

  /** The k largest eigenpairs (largest first). */
  public LanczosResult top(SymmetricOperator h, int k, double tol, double[] warmStart, long seed) {
    return extremes(h, k, 0, tol, warmStart, seed);
  }

  /** The k smallest eigenpairs (smallest first; the most negative curvature). */
  public LanczosResult bottom(SymmetricOperator h, int k, double tol, double[] warmStart,
      long seed) {
    return extremes(h, 0, k, tol, warmStart, seed);
  }

  /**
   * The largest eigenpair of h from the gradient start q_0 = g / ||g|| + r / ||r|| (r alone when
   * g is 0 or not finite), g = {@code gradient} (e.g. {@link FloatHessianVectorProduct#gradient}
   * at the prepared point; not modified), r standard normal from {@code RandomStream(seed)};
   * Lanczos as in {@link #top} (tolerance, seed of restarts).
   */
  public LanczosResult topFromGradient(SymmetricOperator h, double[] gradient, double tol,
      long seed) {
    if (start == null) {
      start = new double[n];
    }
    new RandomStream(seed).fillNormal(start, 0, n, 0, 1);
    double r = 1 / norm(start);
    double g = norm(gradient);
    double gs = g > 0 && Double.isFinite(g) ? 1 / g : 0;
    for (int i = 0; i < n; i++) {
      start[i] = gs * gradient[i] + r * start[i];
    }
    return lanczos.solve(h, 1, 0, tol, start, seed);
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  /** The published power-iteration recipe: random start, <= 500 products, change <= 1e-6. */
  public PowerIterationResult powerRecipe(SymmetricOperator h, long seed) {
    return power.solve(h, seed);
  }

  /** Power iteration with explicit cap, tolerance (absolute or relative) and start. */
  public PowerIterationResult power(SymmetricOperator h, int maxIterations, double tol,
      boolean relative, double[] start, long seed) {
    return power.solve(h, maxIterations, tol, relative, start, seed);
  }
}
