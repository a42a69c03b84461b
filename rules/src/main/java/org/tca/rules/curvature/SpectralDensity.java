package org.tca.rules.curvature;

/**
 * A smoothed spectral density of a symmetric operator from stochastic Lanczos quadrature:
 *
 * <pre>
 *   phi(x) = (1/P) sum_p sum_k w_pk g_sigma(x - theta_pk)
 *   g_sigma(x) = exp(-x^2 / (2 sigma^2)) / (sigma sqrt(2 pi))
 * </pre>
 *
 * with the Gauss quadrature nodes theta_pk and weights w_pk of probe p (sum_k w_pk = 1), so phi
 * integrates to 1 and approximates (1/n) sum_i g_sigma(x - lambda_i).
 *
 * @param grid the evaluation points, ascending and equally spaced
 * @param density phi at the grid points
 * @param sigma the Gaussian smoothing width
 * @param nodes the quadrature nodes, one array per probe
 * @param weights the quadrature weights, one array per probe
 * @param products the number of operator products used
 */
public record SpectralDensity(double[] grid, double[] density, double sigma, double[][] nodes,
    double[][] weights, int products) {

  /** phi(x) from the nodes and weights. */
  public double at(double x) {
    double s = 0;
    double c = 1.0 / (sigma * Math.sqrt(2 * Math.PI) * nodes.length);
    for (int p = 0; p < nodes.length; p++) {
      for (int k = 0; k < nodes[p].length; k++) {
        double d = (x - nodes[p][k]) / sigma;
        s += weights[p][k] * Math.exp(-0.5 * d * d);
      }
    }
    return s * c;
  }

  /** The trapezoid-rule integral of the density over the grid (close to 1). */
  public double integral() {
    double s = 0;
    for (int i = 1; i < grid.length; i++) {
      s += 0.5 * (density[i] + density[i - 1]) * (grid[i] - grid[i - 1]);
    }
    return s;
  }

  /** The quadrature mean sum_k w_k theta_k averaged over probes: an estimate of tr(H)/n. */
  public double mean() {
    double s = 0;
    for (int p = 0; p < nodes.length; p++) {
      for (int k = 0; k < nodes[p].length; k++) {
        s += weights[p][k] * nodes[p][k];
      }
    }
    return s / nodes.length;
  }
}
