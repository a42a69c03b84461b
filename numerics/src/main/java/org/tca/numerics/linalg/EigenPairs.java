package org.tca.numerics.linalg;

/**
 * Eigenpairs (lambda_i, v_i) with A v_i = lambda_i v_i: {@code values[i]} and the unit vector
 * {@code vectors[i]} (so {@code vectors} is V' when the eigenvectors are the columns of V). The
 * order is stated by whoever returns the pairs. Arrays are shared, not copied: records of arrays
 * compare by reference.
 *
 * @param values the eigenvalues (or Ritz values)
 * @param vectors the matching unit eigenvectors (or Ritz vectors), one array per value
 */
public record EigenPairs(double[] values, double[][] vectors) {

  /** Checks that there is one vector per value. */
  public EigenPairs {
    if (values.length != vectors.length) {
      throw new IllegalArgumentException(
          values.length + " values but " + vectors.length + " vectors");
    }
  }

  /** The number of pairs. */
  public int size() {
    return values.length;
  }

  /** The i-th eigenvalue. */
  public double value(int i) {
    return values[i];
  }

  /** The i-th eigenvector (the stored array, not a copy). */
  public double[] vector(int i) {
    return vectors[i];
  }
}
