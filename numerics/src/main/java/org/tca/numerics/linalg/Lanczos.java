package org.tca.numerics.linalg;

import java.util.SplittableRandom;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * Extreme eigenpairs of a symmetric operator A by the Lanczos process with full
 * reorthogonalisation. From a unit q_0 it builds an orthonormal basis Q_m = [q_0 .. q_{m-1}] of
 * the Krylov space span{q_0, A q_0, ..., A^{m-1} q_0} and the tridiagonal T_m = Q_m' A Q_m
 * (diagonal alpha_j, off-diagonal beta_j):
 *
 * <pre>
 *   w = A q_j;  w = (I - Q_{j+1} Q_{j+1}')^2 w  (classical Gram-Schmidt twice);
 *   alpha_j = q_j' A q_j (the q_j coefficients of both passes);  beta_j = ||w||;  q_{j+1} = w / beta_j
 * </pre>
 *
 * so that A Q_m = Q_m T_m + beta_{m-1} q_m e_m' up to rounding. With T_m = S diag(theta) S', the
 * Ritz pair (theta_i, y_i = Q_m s_i) has residual ||A y_i - theta_i y_i|| = |beta_{m-1} s_{m,i}|
 * =: r_i, where s_{m,i} is the last component of s_i.
 *
 * <p><b>Stopping.</b> The wanted pairs are the kTop largest and the kBottom smallest Ritz values
 * (tested once m >= min(n, kTop + kBottom)). The solver stops, converged, after the step where
 * every wanted pair has r_i <= tol * max_j |theta_j| (max over all Ritz values of T_m, a lower
 * bound on ||A||_2, so the test implies r_i <= tol ||A||_2 and hence an eigenvalue of A within
 * tol ||A||_2 of theta_i, within r_i^2 / gap when theta_i is separated by gap from the rest of the
 * spectrum). It stops unconverged after {@code maxIterations} products.
 *
 * <p><b>Invariant subspaces.</b> Step j breaks down when beta_j is at the rounding level,
 * beta_j <= 4 (n + m) u max_i ||A q_i|| (u = 2^-53), or the second Gram-Schmidt pass removed more
 * than half of what the first left (w is numerically in span(Q_m), Kahan-Parlett). Then T gets a
 * zero off-diagonal (it splits into blocks) and, unless the whole space is spanned (m = n, which
 * ends the solve converged), the solver restarts from a seeded random unit vector orthogonal to
 * Q_m. (The coupling dropped there, at most that rounding level, is the only term the residual
 * estimates omit.) A step with beta_j <= tol max|theta| (every Ritz pair converged: span(Q_m) is
 * invariant to the tolerance) is not a breakdown: beta_j stays in T and q_{j+1} = w / beta_j, so
 * T and the residual estimates stay exact. Both kinds of step are "invariant-subspace events".
 * A single start vector cannot see the multiplicity of an eigenvalue, so an event is never a
 * stopping point by itself: the solver stops at a later event only if the wanted Ritz values
 * have not moved (by more than tol max|theta|) since the previous one, or at an ordinary step by
 * the residual test; so a repeated extreme eigenvalue (say a null space) is found with about one
 * extra product per copy, plus one to confirm.
 *
 * <p><b>Start.</b> A given start vector (a warm start, e.g. the previous top eigenvector) is
 * copied and normalised; otherwise q_0 has standard normal entries from
 * {@code new SplittableRandom(seed)}, which also draws restart vectors: results are reproducible
 * for a given seed and kernel provider.
 *
 * <p><b>Cost and memory.</b> One operator application per step plus 4 (j + 1) f64 dot/axpy of
 * length n for the reorthogonalisation; the basis holds up to {@code maxIterations} vectors of n
 * doubles (allocated on first use and kept). All workspace lives in the instance, so repeated
 * solves of the same dimension allocate only their results. Not thread-safe.
 */
public final class Lanczos {

  /** The default cap on the number of Lanczos steps (the default maxIterations is min(n, this)). */
  public static final int DEFAULT_ITERATION_CAP = 300;

  private static final double U = Math.ulp(1.0) / 2;

  private final int n;
  private final int maxIterations;
  private final KrylovBasis basis;
  private final SymmetricTridiagonalEigen tridiagonal;
  private final double[] w;
  private final double[] alpha;
  private final double[] beta;
  private final double[] coef;
  private final double[] theta;
  private final double[] first;
  private final double[] last;
  private final double[] saved;
  private double[] z = new double[0];

  /** A solver for operators of dimension n with at most min(n, DEFAULT_ITERATION_CAP) steps. */
  public Lanczos(int dimension) {
    this(dimension, Math.min(dimension, DEFAULT_ITERATION_CAP));
  }

  /** A solver for operators of dimension n with at most min(n, maxIterations) steps. */
  public Lanczos(int dimension, int maxIterations) {
    this(dimension, maxIterations, Kernels.f64());
  }

  /** As {@link #Lanczos(int, int)} with the given f64 kernels (tests compare providers). */
  Lanczos(int dimension, int maxIterations, DoubleKernels kernels) {
    if (dimension < 1 || maxIterations < 1) {
      throw new IllegalArgumentException(
          "dimension " + dimension + " and maxIterations " + maxIterations + " must be >= 1");
    }
    this.n = dimension;
    this.maxIterations = Math.min(maxIterations, dimension);
    int cap = this.maxIterations;
    this.basis = new KrylovBasis(n, cap, kernels);
    this.tridiagonal = new SymmetricTridiagonalEigen(cap);
    this.w = new double[n];
    this.alpha = new double[cap];
    this.beta = new double[cap];
    this.coef = new double[cap];
    this.theta = new double[cap];
    this.first = new double[cap];
    this.last = new double[cap];
    this.saved = new double[2 * cap];
  }

  /** The operator dimension n this solver was made for. */
  public int dimension() {
    return n;
  }

  /** The maximum number of steps (= operator applications) per solve. */
  public int maxIterations() {
    return maxIterations;
  }

  /** As {@link #solve(SymmetricOperator, int, int, double, double[], long)} from a random start. */
  public LanczosResult solve(SymmetricOperator op, int kTop, int kBottom, double tol, long seed) {
    return solve(op, kTop, kBottom, tol, null, seed);
  }

  /**
   * The kTop largest and kBottom smallest eigenpairs of op (either k may be 0, not both).
   *
   * @param op the symmetric operator, of dimension {@link #dimension()}
   * @param kTop how many of the largest eigenpairs (returned largest first)
   * @param kBottom how many of the smallest eigenpairs (returned smallest first)
   * @param tol relative residual tolerance: stop when r_i <= tol * max|theta| for every wanted pair
   * @param start the start vector (copied, normalised), or null for a seeded random start
   * @param seed seed of the random start and restart vectors
   */
  public LanczosResult solve(SymmetricOperator op, int kTop, int kBottom, double tol,
      double[] start, long seed) {
    validate(op, kTop, kBottom, tol, start);
    SplittableRandom rnd = new SplittableRandom(seed);
    if (start != null) {
      double[] q0 = basis.vector(0);
      System.arraycopy(start, 0, q0, 0, n);
      double s = basis.norm(q0);
      if (!(s > 0.0) || !Double.isFinite(s)) {
        throw new IllegalArgumentException("start vector has norm " + s);
      }
      basis.scale(q0, 1.0 / s);
    } else {
      basis.randomOrthogonal(0, rnd, coef);
    }
    int need = Math.min(n, kTop + kBottom);
    int m = 0;
    int restarts = 0;
    boolean haveSaved = false;
    boolean converged = false;
    double anorm = 0.0;
    double b;
    while (true) {
      op.apply(basis.vector(m), w);
      double raw = basis.norm(w);
      if (!Double.isFinite(raw)) {
        throw new ArithmeticException("operator returned a non-finite vector at product " + (m + 1));
      }
      anorm = Math.max(anorm, raw);
      alpha[m] = basis.orthogonalise(w, m + 1, coef);
      m++;
      b = basis.secondPassNorm();
      tridiagonal.eigenvaluesAndEnds(m, alpha, beta, theta, first, last);
      double level = tol * Math.max(Math.abs(theta[0]), Math.abs(theta[m - 1]));
      boolean exhausted = m == n;
      boolean breakdown = exhausted || b < 0.5 * basis.firstPassNorm()
          || b <= 4 * (n + m) * U * anorm;
      boolean event = breakdown || b <= level;
      beta[m - 1] = breakdown ? 0.0 : b;
      if (exhausted) {
        converged = true;
        break;
      }
      if (m >= need) {
        if (event) {
          if (haveSaved && wantedUnchanged(m, kTop, kBottom, level)) {
            converged = true;
            break;
          }
          saveWanted(m, kTop, kBottom);
          haveSaved = true;
        } else if (wantedConverged(m, kTop, kBottom, b, level)) {
          converged = true;
          break;
        }
      }
      if (m == maxIterations) {
        break;
      }
      if (breakdown) {
        if (!basis.randomOrthogonal(m, rnd, coef)) {
          converged = true;  // span(Q_m) is numerically R^n: every Ritz pair is exact
          break;
        }
        restarts++;
      } else {
        double[] next = basis.vector(m);
        System.arraycopy(w, 0, next, 0, n);
        basis.scale(next, 1.0 / b);
      }
    }
    return result(m, b, kTop, kBottom, restarts, converged);
  }

  private void validate(SymmetricOperator op, int kTop, int kBottom, double tol, double[] start) {
    if (op.dimension() != n) {
      throw new IllegalArgumentException(
          "operator dimension " + op.dimension() + " but this solver is for " + n);
    }
    if (kTop < 0 || kBottom < 0 || kTop + kBottom == 0 || kTop > n || kBottom > n) {
      throw new IllegalArgumentException("kTop " + kTop + " and kBottom " + kBottom
          + " must be in [0, n = " + n + "] and not both 0");
    }
    if (Math.min(n, kTop + kBottom) > maxIterations) {
      throw new IllegalArgumentException("kTop + kBottom = " + (kTop + kBottom)
          + " Ritz pairs need more than maxIterations = " + maxIterations + " steps");
    }
    if (!(tol >= 0.0) || !Double.isFinite(tol)) {
      throw new IllegalArgumentException("tolerance " + tol + " must be finite and >= 0");
    }
    if (start != null && start.length != n) {
      throw new IllegalArgumentException("start vector length " + start.length + " != " + n);
    }
  }

  private boolean wantedConverged(int m, int kTop, int kBottom, double b, double level) {
    for (int i = 0; i < kTop; i++) {
      if (Math.abs(b * last[m - 1 - i]) > level) {
        return false;
      }
    }
    for (int i = 0; i < kBottom; i++) {
      if (Math.abs(b * last[i]) > level) {
        return false;
      }
    }
    return true;
  }

  private void saveWanted(int m, int kTop, int kBottom) {
    for (int i = 0; i < kTop; i++) {
      saved[i] = theta[m - 1 - i];
    }
    for (int i = 0; i < kBottom; i++) {
      saved[kTop + i] = theta[i];
    }
  }

  private boolean wantedUnchanged(int m, int kTop, int kBottom, double level) {
    for (int i = 0; i < kTop; i++) {
      if (Math.abs(saved[i] - theta[m - 1 - i]) > level) {
        return false;
      }
    }
    for (int i = 0; i < kBottom; i++) {
      if (Math.abs(saved[kTop + i] - theta[i]) > level) {
        return false;
      }
    }
    return true;
  }

  /** Ritz pairs from the full eigendecomposition of T_m; r_i = |b s_{m,i}|. */
  private LanczosResult result(int m, double b, int kTop, int kBottom, int restarts,
      boolean converged) {
    if (z.length < m * m) {
      z = new double[m * m];
    }
    tridiagonal.eigenvaluesAndVectors(m, alpha, beta, theta, z);
    double[] topValues = new double[kTop];
    double[][] topVectors = new double[kTop][];
    double[] topResiduals = new double[kTop];
    for (int i = 0; i < kTop; i++) {
      int idx = m - 1 - i;
      topValues[i] = theta[idx];
      topVectors[i] = new double[n];
      basis.combine(m, z, idx * m, topVectors[i]);
      topResiduals[i] = Math.abs(b * z[idx * m + m - 1]);
    }
    double[] bottomValues = new double[kBottom];
    double[][] bottomVectors = new double[kBottom][];
    double[] bottomResiduals = new double[kBottom];
    for (int i = 0; i < kBottom; i++) {
      bottomValues[i] = theta[i];
      bottomVectors[i] = new double[n];
      basis.combine(m, z, i * m, bottomVectors[i]);
      bottomResiduals[i] = Math.abs(b * z[i * m + m - 1]);
    }
    return new LanczosResult(new EigenPairs(topValues, topVectors), topResiduals,
        new EigenPairs(bottomValues, bottomVectors), bottomResiduals, m, restarts, converged);
  }
}
