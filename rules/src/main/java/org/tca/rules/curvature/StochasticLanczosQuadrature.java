package org.tca.rules.curvature;

import org.tca.numerics.linalg.SymmetricOperator;
import org.tca.numerics.linalg.SymmetricTridiagonalEigen;
import org.tca.numerics.random.RandomStream;

/**
 * Spectral density by stochastic Lanczos quadrature (Golub-Meurant; Ubaru, Chen, Saad 2017;
 * Ghorbani, Krishnan, Xiao 2019). For each of P probes q_0 = z / ||z|| with Rademacher z, m
 * Lanczos steps with full reorthogonalisation give T_m = S diag(theta) S'; then
 * sum_k (s_{0k})^2 delta(x - theta_k) is the m-point Gauss quadrature of the spectral measure
 * sum_i (q_0'v_i)^2 delta(x - lambda_i), whose expectation is (1/n) sum_i delta(x - lambda_i).
 * The P quadratures are averaged and smoothed by a Gaussian of width sigma (see
 * {@link SpectralDensity}).
 *
 * <p>Width: by default sigma = {@value #DEFAULT_RELATIVE_WIDTH} (theta_max - theta_min), 1% of
 * the range of all nodes (1% of max(|theta|, 1) if that range is 0); wider than the node spacing
 * m ~ 100 nodes leave in the bulk, narrow enough to show outliers. The grid spans
 * [theta_min - 5 sigma, theta_max + 5 sigma] so the Gaussian tails lost outside it are below
 * 3e-7 of the mass. A probe stops early when its Krylov space is invariant (beta_j below
 * 4 (n + m) u max ||H q||): then its quadrature is exact. Workspace allocated once; not
 * thread-safe.
 */
public final class StochasticLanczosQuadrature {

  /** Default number of Lanczos steps per probe. */
  public static final int DEFAULT_STEPS = 80;
  /** Default number of probes. */
  public static final int DEFAULT_PROBES = 8;
  /** Default number of grid points. */
  public static final int DEFAULT_GRID_POINTS = 1001;
  /** Default Gaussian width relative to the range of the nodes. */
  public static final double DEFAULT_RELATIVE_WIDTH = 0.01;

  private static final double U = Math.ulp(1.0) / 2;

  private final int n;
  private final int steps;
  private final OrthonormalBasis basis;
  private final SymmetricTridiagonalEigen tridiagonal;
  private final double[] alpha;
  private final double[] beta;
  private final double[] theta;
  private final double[] first;
  private final double[] last;
  private final double[] coef;
  private final double[] w;

  /** Workspace for operators of dimension n with min(n, steps) Lanczos steps per probe. */
  public StochasticLanczosQuadrature(int dimension, int steps) {
    if (dimension < 1 || steps < 1) {
      throw new IllegalArgumentException("dimension and steps must be >= 1");
    }
    this.n = dimension;
    this.steps = Math.min(steps, dimension);
    this.basis = new OrthonormalBasis(n, this.steps);
    this.tridiagonal = new SymmetricTridiagonalEigen(this.steps);
    this.alpha = new double[this.steps];
    this.beta = new double[this.steps];
    this.theta = new double[this.steps];
    this.first = new double[this.steps];
    this.last = new double[this.steps];
    this.coef = new double[this.steps];
    this.w = new double[n];
  }

  /** The density with the default width and grid. */
  public SpectralDensity estimate(SymmetricOperator h, int probes, long seed) {
    return estimate(h, probes, 0.0, DEFAULT_GRID_POINTS, seed);
  }

  /**
   * The density from {@code probes} probes, smoothed with width {@code sigma} (<= 0: the default
   * relative width) on {@code gridPoints} points.
   */
  public SpectralDensity estimate(SymmetricOperator h, int probes, double sigma, int gridPoints,
      long seed) {
    if (h.dimension() != n || probes < 1 || gridPoints < 2) {
      throw new IllegalArgumentException("dimension " + h.dimension() + " (expected " + n
          + "), probes " + probes + " (>= 1), grid points " + gridPoints + " (>= 2)");
    }
    RandomStream r = new RandomStream(seed);
    double[][] nodes = new double[probes][];
    double[][] weights = new double[probes][];
    int products = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int p = 0; p < probes; p++) {
      basis.clear();
      r.fillRademacher(w, 0, n);
      basis.add(w, basis.norm(w));
      int m = lanczos(h);
      products += m;
      tridiagonal.eigenvaluesAndEnds(m, alpha, beta, theta, first, last);
      nodes[p] = new double[m];
      weights[p] = new double[m];
      for (int k = 0; k < m; k++) {
        nodes[p][k] = theta[k];
        weights[p][k] = first[k] * first[k];
        lo = Math.min(lo, theta[k]);
        hi = Math.max(hi, theta[k]);
      }
    }
    double s = sigma;
    if (!(s > 0)) {
      double range = hi - lo;
      s = DEFAULT_RELATIVE_WIDTH * (range > 0 ? range : Math.max(Math.abs(hi), 1.0));
    }
    double[] grid = new double[gridPoints];
    double a = lo - 5 * s;
    double step = (hi + 5 * s - a) / (gridPoints - 1);
    for (int i = 0; i < gridPoints; i++) {
      grid[i] = a + i * step;
    }
    SpectralDensity partial = new SpectralDensity(grid, new double[gridPoints], s, nodes, weights,
        products);
    for (int i = 0; i < gridPoints; i++) {
      partial.density()[i] = partial.at(grid[i]);
    }
    return partial;
  }

  /** Lanczos from basis vector 0; returns the number of steps m (alpha[0..m), beta[0..m-1)). */
  private int lanczos(SymmetricOperator h) {
    double anorm = 0;
    for (int j = 0; j < steps; j++) {
      h.apply(basis.vector(j), w);
      anorm = Math.max(anorm, basis.norm(w));
      double b = basis.orthogonalise(w, j + 1, coef);
      alpha[j] = coef[j];
      if (j + 1 == steps || b <= 4 * (n + steps) * U * anorm) {
        return j + 1;
      }
      beta[j] = b;
      basis.add(w, b);
    }
    return steps;
  }
}
