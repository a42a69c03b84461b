package org.tca.cli.figures;

/**
 * Ordinary least-squares line y = intercept + slope * x: slope = sum dx_i dy_i / sum dx_i^2 and
 * intercept = mean(y) - slope * mean(x), with d = deviation from the mean (two-pass, f64).
 *
 * @param intercept the value at x = 0
 * @param slope dy/dx
 */
record LineFit(double intercept, double slope) {

  /** Fits {@code y} on {@code x}; needs two or more points and x not constant. */
  static LineFit of(double[] x, double[] y) {
    int n = x.length;
    if (n != y.length || n < 2) {
      throw new IllegalArgumentException("a line fit needs two or more (x, y) pairs, got " + n);
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      sxy += dx * (y[i] - my);
      sxx += dx * dx;
    }
    if (!(sxx > 0)) {
      throw new IllegalArgumentException("a line fit needs x values that are not all equal");
    }
    double slope = sxy / sxx;
    return new LineFit(my - slope * mx, slope);
  }

  /** intercept + slope * x. */
  double at(double x) {
    return intercept + slope * x;
  }
}
