package org.tca.numerics.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.linalg.SpectralTestMatrices.U;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tca.numerics.linalg.SpectralTestMatrices.CountingOperator;
import org.tca.numerics.linalg.SpectralTestMatrices.Known;

/**
 * Lanczos against matrices with known spectra. For a converged pair the stopping rule gives
 * r = ||A y - theta y|| <= tol max|theta| <= tol ||A||_2, so (Krylov-Weinstein) an eigenvalue lies
 * within r of theta; with the wanted eigenvalues separated by more than 2 r the i-th Ritz value
 * matches the i-th eigenvalue. Rounding adds O(n u ||A||) (the construction of A, the products,
 * the residual evaluated here): every check uses tol ||A|| + C n u ||A|| with C = 10.
 */
class LanczosTest {

  private static final double C = 10;

  @Test
  void clusteredTopEigenvalues() {
    int n = 150;
    double[] lambda = SpectralTestMatrices.concat(
        new double[] {10, 10 - 1e-3, 10 - 2e-3, 10 - 3e-3, 10 - 4e-3},
        SpectralTestMatrices.linspace(-1, 8, n - 5));
    Known k = SpectralTestMatrices.withSpectrum(lambda, 1);
    check(k, solve(k, 5, 0, 1e-10, 42), 5, 0, 1e-10);
  }

  @Test
  void spectrumSymmetricAroundZero() {
    int n = 160;
    double[] lambda = SpectralTestMatrices.concat(new double[] {6, 5.8, -6, -5.9},
        SpectralTestMatrices.linspace(-5, 5, n - 4));
    Known k = SpectralTestMatrices.withSpectrum(lambda, 2);
    check(k, solve(k, 3, 3, 1e-10, 7), 3, 3, 1e-10);
  }

  @Test
  void mostlyNegativeSpectrum() {
    int n = 150;
    double[] lambda = SpectralTestMatrices.concat(new double[] {-20, -19, -18.5},
        SpectralTestMatrices.linspace(-10, -1, n - 13), SpectralTestMatrices.linspace(0, 1, 10));
    Known k = SpectralTestMatrices.withSpectrum(lambda, 3);
    LanczosResult r = solve(k, 2, 3, 1e-10, 9);
    check(k, r, 2, 3, 1e-10);
    assertTrue(r.smallest() < -19.9 && r.largest() > 0.99);
  }

  @Test
  void nearDegeneratePairIsResolved() {
    int n = 120;
    double top = 4.0;
    double second = top * (1 - 1e-8);
    double[] lambda = SpectralTestMatrices.concat(new double[] {top, second},
        SpectralTestMatrices.linspace(-3, 3, n - 2));
    Known k = SpectralTestMatrices.withSpectrum(lambda, 4);
    double tol = 1e-11;
    LanczosResult r = solve(k, 2, 0, tol, 11);
    // The bound (about 5e-11) is far below the gap 4e-8: both members must be found.
    check(k, r, 2, 0, tol);
    // Each Ritz vector lies in span{v1, v2}: sin <= r / gap to the rest (1) + rounding.
    double[] v1 = k.eigenvector(0);
    double[] v2 = k.eigenvector(1);
    for (double[] y : r.top().vectors()) {
      double a = SpectralTestMatrices.dot(y, v1);
      double b = SpectralTestMatrices.dot(y, v2);
      double[] perp = y.clone();
      for (int i = 0; i < n; i++) {
        perp[i] -= a * v1[i] + b * v2[i];
      }
      assertTrue(SpectralTestMatrices.norm(perp) <= tol * top + C * n * U * top,
          "Ritz vector leaves span{v1, v2} by " + SpectralTestMatrices.norm(perp));
    }
  }

  @Test
  void lowRankMatrixMeetsAnInvariantSubspaceAndRestarts() {
    int n = 120;
    int rank = 6;
    double[] lambda = new double[n];
    double[] nonzero = {5, 4, 3, 2, 1, 0.5};
    System.arraycopy(nonzero, 0, lambda, 0, rank);
    Known k = SpectralTestMatrices.withSpectrum(lambda, 5);
    // The Krylov space is invariant after rank + 1 steps (the range plus the start's null
    // component): an invariant-subspace event. Whether its rounding-level beta counts as a
    // breakdown (random restart) or stays in T depends on the kernels' rounding, but either way
    // the next vector lies in the null space, gives a second event, and the top values have not
    // moved: stop. After a random restart that confirms the multiplicities (rank + 2 products);
    // otherwise the next vector continued the same Krylov sequence, which cannot see a second
    // copy of an eigenvalue, so the 3 pairs are locked and a confirmation run on their
    // complement (invariant after rank - 3 + 1 steps, plus one confirming) finds nothing beyond.
    LanczosResult top = solve(k, 3, 0, 1e-10, 1);
    check(k, top, 3, 0, 1e-10);
    assertTrue(top.products() == rank + 2 || top.products() == rank + 2 + (rank - 3 + 2),
        "products " + top.products());
    // The bottom of the spectrum is the zero eigenvalue, repeated: each further event adds one
    // copy, and the solver stops when one no longer changes the wanted values.
    LanczosResult bottom = solve(k, 0, 3, 1e-10, 1);
    check(k, bottom, 0, 3, 1e-10);
    assertEquals(rank + 1 + 3, bottom.products());
    assertTrue(bottom.restarts() >= 1, "the null space must force a random restart");
  }

  @Test
  void nearlyLowRankMatrixKeepsResidualsHonestAndTheBasisOrthonormal() {
    // Rank 6 plus a bulk of size 1e-7: beta falls to about 1e-7 ||A|| after 7 steps.
    int n = 120;
    double[] lambda = SpectralTestMatrices.concat(new double[] {5, 4, 3, 2, 1, 0.5},
        SpectralTestMatrices.linspace(-1e-7, 1e-7, n - 6));
    Known k = SpectralTestMatrices.withSpectrum(lambda, 14);
    // tol 1e-5: that beta is below tol max|theta|, an invariant subspace to the tolerance; the
    // residual estimates must stay honest (checked against true residuals in check), and the
    // stop comes after at most a few confirming products; then, as the Krylov sequence went on
    // without a random restart, one confirmation run on the complement of the 8 locked pairs:
    // its 8 Ritz values are all in the bulk (within the tolerance of the locked bottom pairs), so
    // it stops at its first test or a few products later.
    LanczosResult loose = solve(k, 6, 2, 1e-5, 2);
    check(k, loose, 6, 2, 1e-5);
    assertTrue(loose.products() <= 7 + 3 + 8 + 3, "products " + loose.products());
    // tol 1e-12: no breakdown; normalising a w that lost 7 digits to cancellation needs the
    // second Gram-Schmidt pass to stay orthogonal to the basis.
    LanczosResult tight = solve(k, 3, 2, 1e-12, 2);
    check(k, tight, 3, 2, 1e-12);
  }

  @Test
  void startInsideAnInvariantSubspaceStillFindsTheExtremes() {
    // The start is an exact eigenvector of a middle eigenvalue: span{q_0} is invariant at step 1,
    // before there are enough Ritz values to test; the solver must restart and go on.
    int n = 60;
    double[] lambda = SpectralTestMatrices.concat(new double[] {7, -6},
        SpectralTestMatrices.linspace(-3, 3, n - 2));
    Known k = SpectralTestMatrices.withSpectrum(lambda, 15);
    CountingOperator op = new CountingOperator(k.operator());
    LanczosResult r = new Lanczos(n).solve(op, 2, 1, 1e-10, k.eigenvector(10), 3);
    assertEquals(op.count, r.products());
    check(k, r, 2, 1, 1e-10);
    assertTrue(r.restarts() >= 1, "expected a restart after the invariant start");
  }

  @Test
  void tinyDimensionsAndAllEigenpairs() {
    Known one = SpectralTestMatrices.withSpectrum(new double[] {-3}, 6);
    LanczosResult r1 = solve(one, 1, 1, 1e-12, 1);
    assertEquals(-3, r1.largest(), C * U * 3);
    assertEquals(-3, r1.smallest(), C * U * 3);
    assertEquals(1, r1.products());
    assertTrue(r1.converged());

    Known two = SpectralTestMatrices.withSpectrum(new double[] {2, -1}, 7);
    LanczosResult r2 = solve(two, 1, 1, 1e-12, 2);
    check(two, r2, 1, 1, 1e-12);
    assertEquals(2, r2.products());

    int n = 12;
    Known all = SpectralTestMatrices.withSpectrum(SpectralTestMatrices.linspace(-4, 7, n), 8);
    LanczosResult r = solve(all, n, 0, 1e-12, 3);
    check(all, r, n, 0, 1e-12);
    assertEquals(n, r.products());
    assertTrue(SpectralTestMatrices.orthonormalityError(r.top().vectors()) <= C * n * U);
  }

  @Test
  void warmStartNearTheTopEigenvectorNeedsFewProducts() {
    int n = 200;
    double[] lambda = SpectralTestMatrices.concat(new double[] {10},
        SpectralTestMatrices.linspace(-2, 2, n - 1));
    Known k = SpectralTestMatrices.withSpectrum(lambda, 9);
    double tol = 1e-10;
    LanczosResult cold = solve(k, 1, 0, tol, 5);
    double[] start = k.eigenvector(0);
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      start[i] += 1e-6 * rnd.nextGaussian();
    }
    CountingOperator op = new CountingOperator(k.operator());
    LanczosResult warm = new Lanczos(n).solve(op, 1, 0, tol, start, 5);
    check(k, warm, 1, 0, tol);
    assertEquals(op.count, warm.products());
    // The error components shrink like 1 / T_j(5) ~ 9.9^-j (Chebyshev polynomial on [-2, 2]
    // evaluated at 10): starting 1e-5 away instead of O(1) saves about log(1e5) / log(9.9) ~ 5
    // steps; demand at least 4.
    assertTrue(warm.products() <= cold.products() - 4,
        "warm " + warm.products() + " cold " + cold.products());
  }

  @Test
  void reportsProductsStopsAtTheCapAndIsReproducible() {
    int n = 100;
    double[] lambda = SpectralTestMatrices.linspace(0, 1, n);
    Known k = SpectralTestMatrices.withSpectrum(lambda, 10);
    CountingOperator op = new CountingOperator(k.operator());
    Lanczos solver = new Lanczos(n, 8);
    LanczosResult capped = solver.solve(op, 2, 1, 1e-12, 4);
    assertFalse(capped.converged());
    assertEquals(8, capped.products());
    assertEquals(8, op.count);
    LanczosResult again = solver.solve(op, 2, 1, 1e-12, 4);
    assertArrayEquals(capped.top().values(), again.top().values(), 0.0);
    assertArrayEquals(capped.bottomResiduals(), again.bottomResiduals(), 0.0);
    assertArrayEquals(capped.top().vector(1), again.top().vector(1), 0.0);
    // Unconverged pairs still come with honest residual estimates.
    for (int i = 0; i < 2; i++) {
      double r = SpectralTestMatrices.residual(n, k.a, capped.top().value(i),
          capped.top().vector(i));
      assertEquals(r, capped.topResiduals()[i], C * n * U);
    }
  }

  @Test
  void repeatedSolvesAllocateOnlyTheResult() {
    int n = 150;
    Known k = SpectralTestMatrices.withSpectrum(SpectralTestMatrices.linspace(-3, 5, n), 12);
    SymmetricOperator op = k.operator();
    // The scalar f64 kernels isolate this package's code (the Vector API kernels box vectors
    // until C2 compiles them, which is theirs to test).
    Lanczos solver = new Lanczos(n, n, org.tca.numerics.kernels.Kernels.scalarF64());
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    // Two solves with equal result shapes but different step counts: any allocation per step
    // shows as a difference. Take the best of repeated attempts (the JIT-compiled steady state),
    // failing if it never gets there.
    long best = Long.MAX_VALUE;
    for (int attempt = 0; attempt < 300 && best >= 8; attempt++) {
      long b0 = mx.getThreadAllocatedBytes(id);
      LanczosResult shortSolve = solver.solve(op, 1, 1, 1e-3, 1);
      long b1 = mx.getThreadAllocatedBytes(id);
      LanczosResult longSolve = solver.solve(op, 1, 1, 1e-13, 1);
      long b2 = mx.getThreadAllocatedBytes(id);
      int extraSteps = longSolve.products() - shortSolve.products();
      assertTrue(extraSteps > 20, shortSolve.products() + " vs " + longSolve.products());
      best = Math.min(best, Math.abs((b2 - b1) - (b1 - b0)) / extraSteps);
    }
    assertTrue(best < 8, "allocates about " + best + " bytes per Lanczos step");
  }

  @Test
  void rejectsBadArguments() {
    Known k = SpectralTestMatrices.withSpectrum(SpectralTestMatrices.linspace(-1, 1, 10), 13);
    Lanczos s = new Lanczos(10, 5);
    SymmetricOperator op = k.operator();
    assertThrows(IllegalArgumentException.class, () -> s.solve(op, 0, 0, 1e-8, 1));
    assertThrows(IllegalArgumentException.class, () -> s.solve(op, 11, 0, 1e-8, 1));
    assertThrows(IllegalArgumentException.class, () -> s.solve(op, 3, 3, 1e-8, 1));
    assertThrows(IllegalArgumentException.class, () -> s.solve(op, 1, 0, -1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> s.solve(op, 1, 0, 1e-8, new double[10], 1));
    assertThrows(IllegalArgumentException.class,
        () -> new Lanczos(9).solve(op, 1, 0, 1e-8, 1));
  }

  private static LanczosResult solve(Known k, int kTop, int kBottom, double tol, long seed) {
    CountingOperator op = new CountingOperator(k.operator());
    LanczosResult r = new Lanczos(k.n).solve(op, kTop, kBottom, tol, seed);
    assertEquals(op.count, r.products(), "product count");
    return r;
  }

  /** Converged, values match the known spectrum, vectors unit and with small true residuals. */
  private static void check(Known k, LanczosResult r, int kTop, int kBottom, double tol) {
    int n = k.n;
    double norm = k.norm();
    double bound = tol * norm + C * n * U * norm;
    double[] sorted = k.ascending();
    assertTrue(r.converged(), "not converged after " + r.products() + " products");
    assertEquals(kTop, r.top().size());
    assertEquals(kBottom, r.bottom().size());
    for (int i = 0; i < kTop; i++) {
      checkPair(k, sorted[n - 1 - i], r.top().value(i), r.top().vector(i), r.topResiduals()[i],
          bound, "top " + i);
    }
    for (int i = 0; i < kBottom; i++) {
      checkPair(k, sorted[i], r.bottom().value(i), r.bottom().vector(i),
          r.bottomResiduals()[i], bound, "bottom " + i);
    }
    assertTrue(SpectralTestMatrices.orthonormalityError(r.top().vectors()) <= C * n * U);
    assertTrue(SpectralTestMatrices.orthonormalityError(r.bottom().vectors()) <= C * n * U);
  }

  private static void checkPair(Known k, double expected, double theta, double[] y,
      double estimate, double bound, String what) {
    assertEquals(expected, theta, bound, what + " eigenvalue");
    double r = SpectralTestMatrices.residual(k.n, k.a, theta, y);
    assertTrue(r <= bound, what + " residual " + r + " > " + bound);
    assertEquals(r, estimate, C * k.n * U * k.norm(), what + " residual estimate");
  }
}
