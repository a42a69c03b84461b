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
 * (tested once m >= min(n, kTop + kBottom)). A run stops, converged, after the step where
 * every wanted pair has r_i <= tol * max_j |theta_j| (max over all Ritz values of T_m, a lower
 * bound on ||A||_2, so the test implies r_i <= tol ||A||_2 and hence an eigenvalue of A within
 * tol ||A||_2 of theta_i, within r_i^2 / gap when theta_i is separated by gap from the rest of the
 * spectrum; max|theta| includes the values locked before, see below). It stops unconverged when
 * the basis holds {@code maxIterations} vectors.
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
 * At an event the solver stops only if the wanted Ritz values have not moved (by more than
 * tol max|theta|) since the previous event; otherwise it stops at an ordinary step by the
 * residual test.
 *
 * <p><b>Repeated eigenvalues.</b> The Krylov space of one start vector holds one direction per
 * distinct eigenvalue, so by itself it finds one copy of a repeated eigenvalue and puts the next
 * distinct values in the places of the missing copies (the W_out Hessian of an MSE loss is N_out
 * copies of one matrix; dead units and unused inputs repeat the L2 value). So the run above is a
 * <i>phase</i>: its wanted Ritz pairs are <i>locked</i> (kept, and every later vector is
 * orthogonalised against them), and while an end asks for k >= 2 pairs a new phase starts from a
 * seeded random vector orthogonal to the locked ones, i.e. Lanczos on the complement of the
 * locked pairs, where the missing copies are. Such a phase wants one pair at each open end (the
 * extreme one converges first, and without repeats it is all that is needed to confirm); it is
 * locked if it lies beyond the k-th locked value by more than tol max|theta| (it enters the k
 * extremes), and an end is settled when a phase brings no such pair. No confirming phase is needed for an end
 * with k = 1 (its one value is right whatever its multiplicity), nor after a phase that ended by
 * spanning its whole space or at an event reached from a random restart (that vector was
 * already a fresh start on the complement of an invariant subspace). The result is the kTop
 * largest and kBottom smallest locked pairs. A later phase's Ritz vector y = Q s has the
 * residual ||A y - theta y||^2 = (beta s_m)^2 + ||C s||^2, C = Y'A Q the components along the
 * locked vectors Y that the orthogonalisation removed (of the size of their residuals), and it
 * is reported so. A later phase that stops unconverged locks nothing and the result is
 * unconverged.
 *
 * <p><b>Start.</b> A given start vector (a warm start, e.g. the previous top eigenvector) is
 * copied and normalised; otherwise q_0 has standard normal entries from
 * {@code new SplittableRandom(seed)}, which also draws restart vectors: results are reproducible
 * for a given seed and kernel provider.
 *
 * <p><b>Cost and memory.</b> One operator application per step plus 4 (j + 1) f64 dot/axpy of
 * length n for the reorthogonalisation (j counting the locked vectors). The basis holds the
 * locked vectors and the current phase's, at most {@code maxIterations} together (a phase that
 * would not fit ends the solve unconverged), plus one spare vector per pair being locked; all of
 * n doubles, allocated on first use and kept. The product count is the sum over phases and may
 * exceed maxIterations when copies are sought. With k <= 1 at both ends there is one phase and
 * the solve is the plain Lanczos run. All workspace lives in the instance, so repeated solves of
 * the same dimension allocate only their results. Not thread-safe.
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
  private final double[] coefTotal;
  private final double[] lockedValue;
  private final double[] lockedResidual;
  private final int[] order;
  private final int[] phaseIndex;
  private double[] z = new double[0];
  private double[] coupling = new double[0];
  private int locked;
  private int lockedThisPhase;
  private double lockedScale;
  private int products;
  private int restarts;
  private double anorm;
  private boolean phaseConverged;
  private boolean phaseConfirmed;
  private double phaseBeta;

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
    this.basis = new KrylovBasis(n, 2 * cap, kernels);
    this.tridiagonal = new SymmetricTridiagonalEigen(cap);
    this.w = new double[n];
    this.alpha = new double[cap];
    this.beta = new double[cap];
    this.coef = new double[cap];
    this.theta = new double[cap];
    this.first = new double[cap];
    this.last = new double[cap];
    this.saved = new double[2 * cap];
    this.coefTotal = new double[cap];
    this.lockedValue = new double[cap];
    this.lockedResidual = new double[cap];
    this.order = new int[cap];
    this.phaseIndex = new int[cap];
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
    locked = 0;
    lockedScale = 0.0;
    products = 0;
    restarts = 0;
    anorm = 0.0;
    boolean topOpen = kTop > 0;
    boolean bottomOpen = kBottom > 0;
    boolean converged = true;
    while ((topOpen || bottomOpen) && locked < n) {
      int d = n - locked;
      boolean firstPhase = locked == 0;
      int pTop = topOpen ? Math.min(firstPhase ? kTop : 1, d) : 0;
      int pBottom = bottomOpen ? Math.min(firstPhase ? kBottom : 1, d) : 0;
      if (locked + Math.min(d, pTop + pBottom) > maxIterations) {
        converged = false;  // no room left in the basis for the multiplicity check
        break;
      }
      if (locked == 0 && start != null) {
        double[] q0 = basis.vector(0);
        System.arraycopy(start, 0, q0, 0, n);
        double s = basis.norm(q0);
        if (!(s > 0.0) || !Double.isFinite(s)) {
          throw new IllegalArgumentException("start vector has norm " + s);
        }
        basis.scale(q0, 1.0 / s);
      } else if (!basis.randomOrthogonal(locked, rnd, coef)) {
        break;  // the locked vectors numerically span R^n: every eigenpair is locked
      } else if (locked > 0) {
        restarts++;
      }
      int m = phase(op, pTop, pBottom, tol, rnd);
      if (!firstPhase && !phaseConverged) {
        converged = false;  // keep what was locked; this phase's pairs are not trusted
        break;
      }
      double level = tol * Math.max(Math.max(Math.abs(theta[0]), Math.abs(theta[m - 1])),
          lockedScale);
      boolean topEntered = lockEntrants(m, pTop, kTop, true, firstPhase, level);
      boolean bottomEntered = lockEntrants(m, pBottom, kBottom, false, firstPhase, level);
      finishLocking(m);
      if (!phaseConverged) {
        converged = false;
        break;
      }
      topOpen = topOpen && kTop > 1 && !phaseConfirmed && topEntered;
      bottomOpen = bottomOpen && kBottom > 1 && !phaseConfirmed && bottomEntered;
    }
    return result(kTop, kBottom, converged);
  }

  /**
   * One Lanczos run on the complement of the locked vectors, its basis in slots
   * [locked, locked + m), from the start vector already in slot {@code locked}, for pTop largest
   * and pBottom smallest Ritz pairs; returns m, leaves T_m's eigendecomposition in theta and z,
   * and sets {@link #phaseConverged}, {@link #phaseConfirmed} and {@link #phaseBeta}.
   */
  private int phase(SymmetricOperator op, int pTop, int pBottom, double tol,
      SplittableRandom rnd) {
    int base = locked;
    int need = Math.min(n - base, pTop + pBottom);
    if (base > 0 && coupling.length < base * maxIterations) {
      coupling = new double[base * maxIterations];
    }
    int m = 0;
    boolean haveSaved = false;
    boolean restartedSinceSave = false;
    phaseConverged = false;
    phaseConfirmed = false;
    double b;
    while (true) {
      op.apply(basis.vector(base + m), w);
      products++;
      double raw = basis.norm(w);
      if (!Double.isFinite(raw)) {
        throw new ArithmeticException("operator returned a non-finite vector at product "
            + products);
      }
      anorm = Math.max(anorm, raw);
      alpha[m] = basis.orthogonalise(w, base + m + 1, coef, coefTotal, base);
      if (base > 0) {
        System.arraycopy(coefTotal, 0, coupling, m * base, base);
      }
      m++;
      b = basis.secondPassNorm();
      tridiagonal.eigenvaluesAndEnds(m, alpha, beta, theta, first, last);
      double level = tol * Math.max(Math.max(Math.abs(theta[0]), Math.abs(theta[m - 1])),
          lockedScale);
      boolean exhausted = base + m == n;
      boolean breakdown = exhausted || b < 0.5 * basis.firstPassNorm()
          || b <= 4 * (n + base + m) * U * anorm;
      boolean event = breakdown || b <= level;
      beta[m - 1] = breakdown ? 0.0 : b;
      if (exhausted) {
        phaseConverged = true;
        phaseConfirmed = true;
        break;
      }
      if (m >= need) {
        if (event) {
          if (haveSaved && wantedUnchanged(m, pTop, pBottom, level)) {
            phaseConverged = true;
            phaseConfirmed = restartedSinceSave;
            break;
          }
          saveWanted(m, pTop, pBottom);
          haveSaved = true;
          restartedSinceSave = false;
        } else if (wantedConverged(m, pTop, pBottom, b, level)) {
          phaseConverged = true;
          break;
        }
      }
      if (base + m == maxIterations) {
        break;
      }
      if (breakdown) {
        if (!basis.randomOrthogonal(base + m, rnd, coef)) {
          phaseConverged = true;  // span(Q) is numerically R^n: every Ritz pair is exact
          phaseConfirmed = true;
          break;
        }
        restarts++;
        restartedSinceSave = true;
      } else {
        double[] next = basis.vector(base + m);
        System.arraycopy(w, 0, next, 0, n);
        basis.scale(next, 1.0 / b);
      }
    }
    phaseBeta = b;
    if (z.length < m * m) {
      z = new double[m * m];
    }
    tridiagonal.eigenvaluesAndVectors(m, alpha, beta, theta, z);
    return m;
  }

  /**
   * Locks this phase's wanted Ritz pairs at one end that enter the kEnd extreme values of
   * everything locked: in the first phase all of them; later, while fewer than kEnd are locked or
   * the next one lies beyond the kEnd-th locked value by more than {@code level} (a copy the
   * earlier phases missed). Ritz vectors go to spare slots after the phase's basis
   * ({@link #finishLocking} moves them). Returns whether any entered.
   */
  private boolean lockEntrants(int m, int count, int kEnd, boolean top, boolean firstPhase,
      double level) {
    boolean entered = false;
    for (int i = 0; i < count; i++) {
      int idx = top ? m - 1 - i : i;
      if (isLockedThisPhase(idx)) {
        continue;  // top and bottom met (the phase spanned its whole space)
      }
      double value = theta[idx];
      if (!firstPhase) {
        int have = locked + lockedThisPhase;
        boolean enters = have < kEnd || (top
            ? value > lockedValue[order[have - kEnd]] + level
            : value < lockedValue[order[kEnd - 1]] - level);
        if (!enters) {
          break;
        }
      }
      lock(m, idx, top);
      entered = true;
    }
    return entered;
  }

  private boolean isLockedThisPhase(int idx) {
    for (int e = 0; e < lockedThisPhase; e++) {
      if (phaseIndex[e] == idx) {
        return true;
      }
    }
    return false;
  }

  /**
   * Ritz pair idx of T_m into the locked set (kept sorted ascending in {@code order}; among equal
   * values a top pair goes below the earlier ones and a bottom pair above, so first-found pairs
   * are reported first), with its residual ||A y - theta y||^2 = (beta s_m)^2 + ||C s||^2, where
   * C = Y'A Q_m holds the components along the earlier locked vectors Y that the
   * orthogonalisation removed.
   */
  private void lock(int m, int idx, boolean top) {
    int base = locked;
    int slot = base + lockedThisPhase;
    basis.combine(base, m, z, idx * m, basis.vector(base + m + lockedThisPhase));
    double rb = phaseBeta * z[idx * m + m - 1];
    double r;
    if (base == 0) {
      r = Math.abs(rb);
    } else {
      double sq = rb * rb;
      for (int l = 0; l < base; l++) {
        double c = 0.0;
        for (int j = 0; j < m; j++) {
          c += coupling[j * base + l] * z[idx * m + j];
        }
        sq += c * c;
      }
      r = Math.sqrt(sq);
    }
    double value = theta[idx];
    lockedValue[slot] = value;
    lockedResidual[slot] = r;
    lockedScale = Math.max(lockedScale, Math.abs(value));
    int have = slot;
    int pos = 0;
    while (pos < have && (top ? lockedValue[order[pos]] < value
        : lockedValue[order[pos]] <= value)) {
      pos++;
    }
    System.arraycopy(order, pos, order, pos + 1, have - pos);
    order[pos] = slot;
    phaseIndex[lockedThisPhase++] = idx;
  }

  /** Moves the Ritz vectors locked in this phase from the spare slots to [locked, locked + E). */
  private void finishLocking(int m) {
    for (int e = 0; e < lockedThisPhase; e++) {
      basis.swap(locked + e, locked + m + e);
    }
    locked += lockedThisPhase;
    lockedThisPhase = 0;
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

  /** The kTop largest and kBottom smallest locked pairs. */
  private LanczosResult result(int kTop, int kBottom, boolean converged) {
    double[] topValues = new double[kTop];
    double[][] topVectors = new double[kTop][];
    double[] topResiduals = new double[kTop];
    for (int i = 0; i < kTop; i++) {
      int s = order[locked - 1 - i];
      topValues[i] = lockedValue[s];
      topVectors[i] = basis.vector(s).clone();
      topResiduals[i] = lockedResidual[s];
    }
    double[] bottomValues = new double[kBottom];
    double[][] bottomVectors = new double[kBottom][];
    double[] bottomResiduals = new double[kBottom];
    for (int i = 0; i < kBottom; i++) {
      int s = order[i];
      bottomValues[i] = lockedValue[s];
      bottomVectors[i] = basis.vector(s).clone();
      bottomResiduals[i] = lockedResidual[s];
    }
    return new LanczosResult(new EigenPairs(topValues, topVectors), topResiduals,
        new EigenPairs(bottomValues, bottomVectors), bottomResiduals, products, restarts,
        converged);
  }
}
