package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gemm (all four transpose cases), gemv, gemvT and decayedRank1 of both providers against a
 * reference accumulated in double, over awkward sizes, with nonzero offsets, padded leading
 * dimensions, alpha != 1 and non-square shapes. Elements outside the written region (padding,
 * other rows) and the inputs must come back bit for bit.
 *
 * <p>The tolerance is a componentwise forward-error bound, not a fixed epsilon. An element that
 * sums K products (with c0, K + 1 terms t_q) and rounds each term at most R times in total
 * (product, scaling and at most K additions: R = K + 2 for gemm/gemv/gemvT, R = 3 for the rank-1
 * update, whose terms are decay*e and alpha*x_i*y_j) satisfies |c - c*| <= gamma_R(u) * M with
 * M = sum_q |t_q|, gamma_R(u) = R u / (1 - R u) and u the unit roundoff of the tested type, in
 * any summation order (Higham, Accuracy and Stability, 3.1 and 3.5). The reference is itself
 * computed in double with the same shape of rounding, |ref - c*| <= gamma_R(ud) * M, and so is
 * M, so we accept |c - ref| <= (gamma_R(u) + gamma_R(ud)) * M_computed * (1 + 8 gamma_R(ud)); the
 * last factor covers the rounding of M, of the difference and of the bound itself. In the f64
 * twin u = ud and the bound doubles, which is exactly the reference's own error.
 */
class FloatBlasKernelsTest {

  private static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 129};
  /** Shapes with a dimension >= 1000, and one that crosses every blocking boundary of the gemm. */
  private static final int[][] BIG_GEMM = {{1000, 65, 33}, {33, 1021, 65}, {65, 33, 1024},
      {200, 520, 260}};
  private static final int[][] BIG_MATRIX = {{1000, 1021}, {1021, 1000}, {1024, 1024},
      {1024, 3}, {3, 1021}, {1000, 17}};
  private static final float[] ALPHAS = {-1.3f, 1f, 0.37f};
  private static final float[] DECAYS = {0.9f, 1f, 0f, -0.5f};
  /** Unit roundoff of the tested precision. */
  private static final double U = Math.ulp(1.0f) / 2;
  /** Unit roundoff of the double reference. */
  private static final double UD = Math.ulp(1.0) / 2;

  private static FloatKernels provider(String name) {
    return name.equals("scalar") ? Kernels.scalarF32() : Kernels.vectorF32();
  }

  static double gamma(int n, double u) {
    return n * u / (1 - n * u);
  }

  /** The accepted |c - ref| for an element with R roundings per term and computed M. */
  static double bound(int roundings, double absSum) {
    double gd = gamma(roundings, UD);
    return (gamma(roundings, U) + gd) * absSum * (1 + 8 * gd);
  }

  // ------------------------------------------------------------------ gemm

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void gemmOverAwkwardSizesAllTransposes(String name) {
    FloatKernels kern = provider(name);
    Random rnd = new Random(42);
    int s = SIZES.length;
    for (int t = 0; t < 4; t++) {
      for (int i = 0; i < s; i++) {
        int[][] shapes = {{SIZES[i], SIZES[i], SIZES[i]},
            {SIZES[i], SIZES[(i + 4) % s], SIZES[(i + 9) % s]},
            {SIZES[(i + 7) % s], SIZES[i], SIZES[(i + 2) % s]},
            {SIZES[(i + 12) % s], SIZES[(i + 5) % s], SIZES[i]}};
        for (int[] sh : shapes) {
          float alpha = ALPHAS[(i + t) % ALPHAS.length];
          assertEquals("", checkGemm(kern, rnd, (t & 1) != 0, (t & 2) != 0, sh[0], sh[1], sh[2],
              alpha, 0));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void gemmLargeAndBlockedShapes(String name) {
    FloatKernels kern = provider(name);
    Random rnd = new Random(7);
    for (int[] sh : BIG_GEMM) {
      for (int t = 0; t < 4; t++) {
        assertEquals("", checkGemm(kern, rnd, (t & 1) != 0, (t & 2) != 0, sh[0], sh[1], sh[2],
            -0.75f, 0));
      }
    }
  }

  /** The check can fail: a product that drops the last inner step is caught at every size. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void gemmCheckDetectsAMissingInnerStep(String name) {
    FloatKernels kern = provider(name);
    Random rnd = new Random(3);
    for (int size : new int[] {1, 17, 129}) {
      String failure = checkGemm(kern, rnd, false, false, size, size, size + 1, 1f, 1);
      assertTrue(failure.startsWith("gemm"), "a missing term passed the bound: " + size);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void gemmEmptyProductLeavesCUntouched(String name) {
    FloatKernels kern = provider(name);
    float[] a = {1f, 2f};
    float[] b = {3f, 4f};
    float[] c = {5f, 6f, 7f, 8f};
    kern.gemm(false, false, 2, 2, 0, 1f, a, 0, 1, b, 0, 2, c, 0, 2);
    kern.gemm(true, true, 0, 2, 1, 1f, a, 0, 1, b, 0, 2, c, 0, 2);
    kern.gemm(false, true, 2, 0, 1, 1f, a, 0, 1, b, 0, 2, c, 0, 2);
    assertArrayEquals(new float[] {5f, 6f, 7f, 8f}, c);
  }

  /**
   * Runs gemm on random operands with random offsets and padded leading dimensions, and returns
   * "" if every element of C is within the bound and everything else is unchanged, otherwise a
   * description of the first violation. {@code dropSteps} > 0 calls the kernel with k - dropSteps
   * (a deliberately wrong product) while the reference keeps k.
   */
  private static String checkGemm(FloatKernels kern, Random rnd, boolean ta, boolean tb,
      int m, int n, int k, float alpha, int dropSteps) {
    int aRows = ta ? k : m;
    int aCols = ta ? m : k;
    int bRows = tb ? n : k;
    int bCols = tb ? k : n;
    int lda = aCols + rnd.nextInt(4);
    int ldb = bCols + rnd.nextInt(4);
    int ldc = n + 1 + rnd.nextInt(3);
    int aOff = rnd.nextInt(5);
    int bOff = 1 + rnd.nextInt(5);
    int cOff = 1 + rnd.nextInt(5);
    float[] a = random(rnd, aOff + (aRows - 1) * lda + aCols + rnd.nextInt(3));
    float[] b = random(rnd, bOff + (bRows - 1) * ldb + bCols + rnd.nextInt(3));
    float[] c = random(rnd, cOff + (m - 1) * ldc + n + 2);
    float[] a0 = a.clone();
    float[] b0 = b.clone();
    float[] c0 = c.clone();
    kern.gemm(ta, tb, m, n, k - dropSteps, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    String where = String.format("gemm %s%s m=%d n=%d k=%d alpha=%s %s", ta ? "T" : "N",
        tb ? "T" : "N", m, n, k, alpha, kern.name());
    assertArrayEquals(a0, a, where + ": A changed");
    assertArrayEquals(b0, b, where + ": B changed");
    boolean[] written = new boolean[c.length];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int ci = cOff + i * ldc + j;
        written[ci] = true;
        double ref = c0[ci];
        double abs = Math.abs(ref);
        for (int p = 0; p < k; p++) {
          double x = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          double y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          double term = alpha * x * y;
          ref += term;
          abs += Math.abs(term);
        }
        double err = Math.abs(c[ci] - ref);
        double tol = bound(k + 2, abs);
        if (!(err <= tol)) {
          return String.format("%s: C[%d,%d] = %s, reference %s, |error| %.3e > bound %.3e",
              where, i, j, c[ci], ref, err, tol);
        }
      }
    }
    return untouched(where + ": C", c0, c, written);
  }

  // ------------------------------------------------------------------ level 2

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void gemvAndGemvTOverAwkwardSizes(String name) {
    FloatKernels kern = provider(name);
    Random rnd = new Random(11);
    int q = 0;
    for (int m : SIZES) {
      for (int n : SIZES) {
        float alpha = ALPHAS[q++ % ALPHAS.length];
        assertEquals("", checkGemv(kern, rnd, false, m, n, alpha));
        assertEquals("", checkGemv(kern, rnd, true, m, n, alpha));
      }
    }
    for (int[] sh : BIG_MATRIX) {
      assertEquals("", checkGemv(kern, rnd, false, sh[0], sh[1], -1.3f));
      assertEquals("", checkGemv(kern, rnd, true, sh[0], sh[1], -1.3f));
    }
  }

  /** y += alpha * A x (or A' x when {@code trans}); "" when within the bound, else why not. */
  private static String checkGemv(FloatKernels kern, Random rnd, boolean trans, int m, int n,
      float alpha) {
    int lda = n + rnd.nextInt(4);
    int aOff = rnd.nextInt(5);
    int xOff = 1 + rnd.nextInt(3);
    int yOff = 1 + rnd.nextInt(3);
    int xLen = trans ? m : n;
    int yLen = trans ? n : m;
    float[] a = random(rnd, aOff + (m - 1) * lda + n + rnd.nextInt(3));
    float[] x = random(rnd, xOff + xLen + 2);
    float[] y = random(rnd, yOff + yLen + 2);
    float[] a0 = a.clone();
    float[] x0 = x.clone();
    float[] y0 = y.clone();
    if (trans) {
      kern.gemvT(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
    } else {
      kern.gemv(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
    }
    String where = String.format("%s m=%d n=%d alpha=%s %s", trans ? "gemvT" : "gemv", m, n,
        alpha, kern.name());
    assertArrayEquals(a0, a, where + ": A changed");
    assertArrayEquals(x0, x, where + ": x changed");
    boolean[] written = new boolean[y.length];
    for (int r = 0; r < yLen; r++) {
      written[yOff + r] = true;
      double ref = y0[yOff + r];
      double abs = Math.abs(ref);
      for (int q = 0; q < xLen; q++) {
        double aij = trans ? a[aOff + q * lda + r] : a[aOff + r * lda + q];
        double term = alpha * aij * x[xOff + q];
        ref += term;
        abs += Math.abs(term);
      }
      double err = Math.abs(y[yOff + r] - ref);
      double tol = bound(xLen + 2, abs);
      if (!(err <= tol)) {
        return String.format("%s: y[%d] = %s, reference %s, |error| %.3e > bound %.3e",
            where, r, y[yOff + r], ref, err, tol);
      }
    }
    return untouched(where + ": y", y0, y, written);
  }

  /**
   * gemv groups rows (eight or four per pass over x in the vector provider) without changing
   * how a row rounds: m rows at once equal m one-row calls bit for bit (the online step's
   * results must not depend on how the kernel happens to group W_rec's rows).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void gemvRowsRoundAsOneRowAtATime(String name) {
    FloatKernels kern = provider(name);
    Random rnd = new Random(12);
    for (int m : new int[] {1, 3, 4, 7, 8, 9, 12, 17, 37}) {
      for (int n : new int[] {5, 28, 31, 32, 33, 128, 203}) {
        int lda = n + 2;
        float[] a = new float[m * lda];
        float[] x = new float[n + 1];
        float[] y = new float[m + 3];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
          y[i] = (float) rnd.nextGaussian();
        }
        float[] rows = y.clone();
        kern.gemv(m, n, 0.7f, a, 0, lda, x, 1, y, 0);
        for (int i = 0; i < m; i++) {
          kern.gemv(1, n, 0.7f, a, i * lda, lda, x, 1, rows, i);
        }
        assertArrayEquals(rows, y, name + " m=" + m + " n=" + n);
      }
    }
  }

  /**
   * The vector Adam, SGD and momentum steps are the scalar loops bit for bit (both round every operation
   * as written), over lengths around the vector width, offsets, zero second moments and zero
   * gradients.
   */
  @Test
  void optimizerStepsInVectorAreTheScalarLoopsBitForBit() {
    Random rnd = new Random(13);
    for (int n : SIZES) {
      float[] g = new float[n + 2];
      float[] m = new float[n + 3];
      float[] v = new float[n + 3];
      float[] p = new float[n + 3];
      for (int i = 0; i < n + 2; i++) {
        g[i] = i % 5 == 0 ? 0f : (float) rnd.nextGaussian();
      }
      for (int i = 0; i < n + 3; i++) {
        m[i] = (float) (0.1 * rnd.nextGaussian());
        v[i] = i % 3 == 0 ? 0f : (float) (0.01 * rnd.nextDouble());
        p[i] = (float) rnd.nextGaussian();
      }
      float[][] scalar = {m.clone(), v.clone(), p.clone()};
      float[][] vector = {m.clone(), v.clone(), p.clone()};
      for (int step = 0; step < 3; step++) {
        Kernels.scalarF32().adam(n, 0.8f, 0.9f, 0.1f, 0.999f, 0.001f, 0.01f, 1.3f, 1e-8f, g, 2,
            scalar[0], scalar[1], scalar[2], 3);
        Kernels.vectorF32().adam(n, 0.8f, 0.9f, 0.1f, 0.999f, 0.001f, 0.01f, 1.3f, 1e-8f, g, 2,
            vector[0], vector[1], vector[2], 3);
      }
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(scalar[k], vector[k], "n=" + n + " array " + k);
      }
      float[] sgd = p.clone();
      float[] sgdVector = p.clone();
      for (int i = 3; i < n + 3; i++) {
        sgd[i] -= 0.37f * g[i - 1];
      }
      Kernels.vectorF32().subtractScaled(n, 0.37f, g, 2, sgdVector, 3);
      assertArrayEquals(sgd, sgdVector, "subtractScaled n=" + n);
      for (boolean nesterov : new boolean[] {false, true}) {
        float[][] ms = {m.clone(), p.clone()};
        float[][] mv = {m.clone(), p.clone()};
        for (int step = 0; step < 3; step++) {
          Kernels.scalarF32().momentum(n, 0.8f, 0.9f, 0.05f, nesterov, g, 2, ms[0], ms[1], 3);
          Kernels.vectorF32().momentum(n, 0.8f, 0.9f, 0.05f, nesterov, g, 2, mv[0], mv[1], 3);
        }
        assertArrayEquals(ms[0], mv[0], "momentum velocity n=" + n);
        assertArrayEquals(ms[1], mv[1], "momentum n=" + n + " nesterov=" + nesterov);
      }
      assertTrue(p[0] == scalar[2][0] && p[1] == scalar[2][1], "outside [off, off + n) untouched");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void decayedRank1OverAwkwardSizes(String name) {
    FloatKernels kern = provider(name);
    Random rnd = new Random(13);
    int q = 0;
    for (int m : SIZES) {
      for (int n : SIZES) {
        assertEquals("", checkRank1(kern, rnd, m, n, DECAYS[q % DECAYS.length],
            ALPHAS[q % ALPHAS.length]));
        q++;
      }
    }
    for (int[] sh : BIG_MATRIX) {
      assertEquals("", checkRank1(kern, rnd, sh[0], sh[1], 0.95f, -0.37f));
    }
  }

  /**
   * rank1From's contract is bitwise: E = beta B + alpha x y' equals copying B into E and then
   * decayedRank1 (already checked against the f64 reference above), and the B-less form equals
   * decayedRank1 with decay 1 on a zeroed E (signed zeros included), whatever E held before.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void rank1FromIsACopyFollowedByADecayedRank1(String name) {
    FloatKernels kern = provider(name);
    Random rnd = new Random(17);
    int q = 0;
    for (int m : SIZES) {
      for (int n : SIZES) {
        float beta = DECAYS[q % DECAYS.length];
        float alpha = ALPHAS[q++ % ALPHAS.length];
        int lde = n + 1 + rnd.nextInt(3);
        int ldb = n + rnd.nextInt(4);
        int eOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        float[] x = random(rnd, m + 2);
        float[] y = random(rnd, n + 3);
        y[0] = -0f; // a signed zero in every row's first product
        float[] b = random(rnd, bOff + Math.max(0, m - 1) * ldb + n + 1);
        float[] e = random(rnd, eOff + Math.max(0, m - 1) * lde + n + 2);
        float[] expected = e.clone();
        for (int i = 0; i < m; i++) {
          System.arraycopy(b, bOff + i * ldb, expected, eOff + i * lde, n);
        }
        kern.decayedRank1(m, n, beta, alpha, x, 1, y, 0, expected, eOff, lde);
        float[] got = e.clone();
        kern.rank1From(m, n, beta, b, bOff, ldb, alpha, x, 1, y, 0, got, eOff, lde);
        String where = String.format("rank1From m=%d n=%d %s", m, n, kern.name());
        assertBitwiseEqual(expected, got, where);
        float[] zeroed = e.clone();
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(zeroed, eOff + i * lde, eOff + i * lde + n, 0f);
        }
        kern.decayedRank1(m, n, 1f, alpha, x, 1, y, 0, zeroed, eOff, lde);
        float[] fresh = e.clone();
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(fresh, eOff + i * lde, eOff + i * lde + n, Float.NaN);
        }
        kern.rank1From(m, n, 0.5f, null, 0, 0, alpha, x, 1, y, 0, fresh, eOff, lde);
        assertBitwiseEqual(zeroed, fresh, where + " without B");
      }
    }
  }

  /**
   * subtractRank1 is bitwise the two-pass route it fuses: rank1From without B (alpha 1) into a
   * buffer, then subtractScaled of each row, signed zeros included (W's first column is -0 and
   * y's first element -0, so -0 - a (x_i (-0) + 0) must stay -0); vector == scalar.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void subtractRank1IsARank1FromFollowedBySubtractScaled(String name) {
    FloatKernels kern = provider(name);
    Random rnd = new Random(19);
    int q = 0;
    for (int m : SIZES) {
      for (int n : SIZES) {
        float a = ALPHAS[q++ % ALPHAS.length];
        int ldw = n + rnd.nextInt(3);
        int wOff = rnd.nextInt(5);
        float[] x = random(rnd, m + 2);
        float[] y = random(rnd, n + 3);
        y[1] = -0f;
        float[] w = random(rnd, wOff + Math.max(0, m - 1) * ldw + n + 2);
        for (int i = 0; i < m; i++) {
          w[wOff + i * ldw] = -0f;
        }
        float[] g = new float[m * n];
        kern.rank1From(m, n, 0.5f, null, 0, 0, 1f, x, 1, y, 1, g, 0, n);
        float[] expected = w.clone();
        for (int i = 0; i < m; i++) {
          kern.subtractScaled(n, a, g, i * n, expected, wOff + i * ldw);
        }
        float[] got = w.clone();
        kern.subtractRank1(m, n, a, x, 1, y, 1, got, wOff, ldw);
        String where = String.format("subtractRank1 m=%d n=%d %s", m, n, kern.name());
        assertBitwiseEqual(expected, got, where);
        float[] scalar = w.clone();
        Kernels.scalarF32().subtractRank1(m, n, a, x, 1, y, 1, scalar, wOff, ldw);
        assertBitwiseEqual(scalar, got, where + " vs scalar");
      }
    }
  }

  /**
   * subtractDecayedRank1 is bitwise the two-pass route it fuses with each provider's own
   * rounding: rank1From with B = W (beta, alpha 1) into a buffer, then subtractScaled of each
   * row; signed zeros included (-0 entries of W, -0 in x and y).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void subtractDecayedRank1IsARank1FromWFollowedBySubtractScaled(String name) {
    FloatKernels kern = provider(name);
    Random rnd = new Random(23);
    int q = 0;
    for (int m : SIZES) {
      for (int n : SIZES) {
        float a = ALPHAS[q % ALPHAS.length];
        float beta = ALPHAS[(q++ + 1) % ALPHAS.length];
        int ldw = n + rnd.nextInt(3);
        int wOff = rnd.nextInt(5);
        float[] x = random(rnd, m + 2);
        float[] y = random(rnd, n + 3);
        y[1] = -0f;
        x[1] = -0f;
        float[] w = random(rnd, wOff + Math.max(0, m - 1) * ldw + n + 2);
        for (int i = 0; i < m; i++) {
          w[wOff + i * ldw] = -0f;
        }
        float[] g = new float[m * n];
        kern.rank1From(m, n, beta, w, wOff, ldw, 1f, x, 1, y, 1, g, 0, n);
        float[] expected = w.clone();
        for (int i = 0; i < m; i++) {
          kern.subtractScaled(n, a, g, i * n, expected, wOff + i * ldw);
        }
        float[] got = w.clone();
        kern.subtractDecayedRank1(m, n, a, beta, x, 1, y, 1, got, wOff, ldw);
        assertBitwiseEqual(expected, got,
            String.format("subtractDecayedRank1 m=%d n=%d %s", m, n, kern.name()));
      }
    }
  }

  private static void assertBitwiseEqual(float[] expected, float[] got, String where) {
    for (int i = 0; i < expected.length; i++) {
      if (Float.compare(expected[i], got[i]) != 0) { // tells -0 from +0
        throw new AssertionError(where + ": element " + i + " is " + got[i] + ", expected "
            + expected[i]);
      }
    }
  }

  private static String checkRank1(FloatKernels kern, Random rnd, int m, int n, float decay,
      float alpha) {
    int lde = n + 1 + rnd.nextInt(3);
    int eOff = rnd.nextInt(5);
    int xOff = 1 + rnd.nextInt(3);
    int yOff = rnd.nextInt(3);
    float[] e = random(rnd, eOff + (m - 1) * lde + n + 2);
    float[] x = random(rnd, xOff + m + 1);
    float[] y = random(rnd, yOff + n + 1);
    float[] e0 = e.clone();
    float[] x0 = x.clone();
    float[] y0 = y.clone();
    kern.decayedRank1(m, n, decay, alpha, x, xOff, y, yOff, e, eOff, lde);
    String where = String.format("decayedRank1 m=%d n=%d decay=%s alpha=%s %s", m, n, decay,
        alpha, kern.name());
    assertArrayEquals(x0, x, where + ": x changed");
    assertArrayEquals(y0, y, where + ": y changed");
    boolean[] written = new boolean[e.length];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int ei = eOff + i * lde + j;
        written[ei] = true;
        double t1 = (double) decay * e0[ei];
        double t2 = alpha * (double) x[xOff + i] * y[yOff + j];
        double ref = t1 + t2;
        double err = Math.abs(e[ei] - ref);
        double tol = bound(3, Math.abs(t1) + Math.abs(t2));
        if (!(err <= tol)) {
          return String.format("%s: E[%d,%d] = %s, reference %s, |error| %.3e > bound %.3e",
              where, i, j, e[ei], ref, err, tol);
        }
      }
    }
    return untouched(where + ": E", e0, e, written);
  }

  // ------------------------------------------------------------------ scratch and threads

  /**
   * The per-thread scratch: gemms of different shapes on two threads at once give bit for bit
   * the results of the same calls on one thread.
   */
  @Test
  void vectorGemmIsThreadSafeAndDeterministic() throws Exception {
    FloatKernels kern = Kernels.vectorF32();
    int[][] shapes = {{129, 65, 300}, {64, 200, 17}, {33, 129, 129}, {200, 100, 63}};
    List<float[]> serial = new ArrayList<>();
    for (int r = 0; r < shapes.length; r++) {
      serial.add(runGemm(kern, shapes[r], r));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 3; round++) {
        List<Future<float[]>> futures = new ArrayList<>();
        for (int r = 0; r < shapes.length; r++) {
          int[] sh = shapes[(r + round) % shapes.length];
          int seed = (r + round) % shapes.length;
          futures.add(pool.submit(() -> runGemm(kern, sh, seed)));
        }
        for (int r = 0; r < shapes.length; r++) {
          assertArrayEquals(serial.get((r + round) % shapes.length), futures.get(r).get());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static float[] runGemm(FloatKernels kern, int[] sh, int seed) {
    Random rnd = new Random(seed);
    int m = sh[0];
    int n = sh[1];
    int k = sh[2];
    float[] a = random(rnd, k * m);
    float[] b = random(rnd, n * k);
    float[] c = random(rnd, m * n);
    kern.gemm(seed % 2 == 1, seed >= 2, m, n, k, 0.5f, a, 0, seed % 2 == 1 ? m : k,
        b, 0, seed >= 2 ? k : n, c, 0, n);
    return c;
  }

  @Test
  void checksRejectChangedPadding() {
    float[] before = {1f, 2f, 3f};
    float[] after = {1f, 2f, 4f};
    assertEquals("", untouched("x", before, before.clone(), new boolean[3]));
    assertTrue(untouched("x", before, after, new boolean[3]).contains("[2]"));
    assertThrows(AssertionError.class, () -> assertEquals("", untouched("x", before, after,
        new boolean[3])));
  }

  // ------------------------------------------------------------------ helpers

  private static float[] random(Random rnd, int len) {
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      v[i] = rnd.nextFloat() * 2f - 1f;
    }
    return v;
  }

  /** "" when every element not marked written is bitwise unchanged, else the first index. */
  private static String untouched(String what, float[] before, float[] after, boolean[] written) {
    for (int i = 0; i < before.length; i++) {
      if (!written[i] && Float.compare(before[i], after[i]) != 0) {
        return String.format("%s[%d] outside the written region changed: %s -> %s", what, i,
            before[i], after[i]);
      }
    }
    return "";
  }
}
