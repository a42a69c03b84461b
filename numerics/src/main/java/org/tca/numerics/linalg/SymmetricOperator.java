package org.tca.numerics.linalg;

/**
 * A symmetric linear operator A on R^n, known only through its action v -> A v (a Hessian-vector
 * product, a dense matrix, ...). The eigensolvers of this package ({@link Lanczos},
 * {@link PowerIteration}) touch A through this interface only.
 *
 * <p>Contract of {@link #apply}: {@code out = A v} for vectors of length {@link #dimension()};
 * {@code v} and {@code out} are distinct arrays; {@code v} is not modified; neither array is
 * retained after the call (the solvers reuse them). A must be symmetric (v' A w = w' A v) up to
 * the operator's own rounding error: the solvers rely on it and do not check it.
 */
public interface SymmetricOperator {

  /** The dimension n of the space A acts on. */
  int dimension();

  /** out = A v, with v and out of length n, distinct, not retained. */
  void apply(double[] v, double[] out);
}
