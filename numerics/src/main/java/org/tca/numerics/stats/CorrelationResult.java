package org.tca.numerics.stats;

/**
 * A correlation coefficient with its two-sided p-value for H0: no correlation.
 *
 * @param r the coefficient in [-1, 1], NaN when undefined (a constant or NaN-containing input)
 * @param p the two-sided p-value from t = r sqrt((n - 2) / (1 - r^2)) with n - 2 degrees of
 *     freedom; NaN when r is
 * @param n the number of pairs
 */
public record CorrelationResult(double r, double p, int n) {}
