package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Shared fixtures of the f64 kernel tests (the f64 twin is generated): the awkward sizes, the two
 * providers, unit roundoffs, gamma_k = k u / (1 - k u) (Higham), seeded inputs surrounded by
 * sentinels, and assertions that compare a kernel result with a double-precision reference
 * under an explicit bound.
 *
 * <p>Every bound in these tests has two parts: the kernel's forward error (unit roundoff
 * {@link #U} of the storage type: 2^-24 here, 2^-53 in the twin) plus the reference's own error
 * (unit roundoff {@link #UD} = 2^-53 of double, in which the references are computed). For f64
 * the second part is negligible; in the f64 twin both are the same size.
 */
final class DoubleKernelTesting {

  /** The awkward sizes: around multiples of 4, 8, 16 and 64 lanes, and primes. */
  static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 129, 1000,
      1021, 1024};

  /** Unit roundoff of the storage type. */
  static final double U = Math.ulp(1.0d) / 2;
  /** Unit roundoff of double, the precision of every reference. */
  static final double UD = Math.ulp(1.0) / 2;
  /** Smallest positive subnormal of the storage type (the ulp of every subnormal). */
  static final double TINY = Double.MIN_VALUE;
  /** Smallest positive subnormal double (the references' subnormal ulp). */
  static final double TINY_D = Double.MIN_VALUE;

  /** Offsets of the vector arguments: nonzero and different, so nothing is aligned. */
  static final int X_OFF = 3;
  static final int Y_OFF = 5;
  static final int Z_OFF = 1;
  /** Elements after each region, watched for stray writes. */
  static final int PAD = 37;
  /** The value every element outside the regions holds. */
  static final double SENTINEL = -1234.5d;

  private DoubleKernelTesting() {}

  /** The provider named "scalar" or "vector". */
  static DoubleKernels kernels(String name) {
    return switch (name) {
      case "scalar" -> Kernels.scalarF64();
      case "vector" -> Kernels.vectorF64();
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** gamma_k for the storage type. */
  static double gamma(int k) {
    return gamma(k, U);
  }

  /** gamma_k for double (the reference's error). */
  static double gammaD(int k) {
    return gamma(k, UD);
  }

  static double gamma(int k, double u) {
    return k * u / (1 - k * u);
  }

  /** An array of off + n + PAD sentinels whose elements [off, off + n) are filled by next. */
  static double[] array(int off, int n, java.util.function.DoubleSupplier next) {
    double[] a = new double[off + n + PAD];
    Arrays.fill(a, SENTINEL);
    for (int i = 0; i < n; i++) {
      a[off + i] = (double) next.getAsDouble();
    }
    return a;
  }

  /**
   * Values with spread-out magnitudes: a uniform number in (-1, 1) times 2^k, k uniform in
   * [-span, span], times scale.
   */
  static double[] spread(SplittableRandom rnd, int off, int n, int span, double scale) {
    return array(off, n, () -> (2 * rnd.nextDouble() - 1) * Math.scalb(scale,
        rnd.nextInt(-span, span + 1)));
  }

  /** Uniform values in [lo, hi). */
  static double[] uniform(SplittableRandom rnd, int off, int n, double lo, double hi) {
    return array(off, n, () -> lo + (hi - lo) * rnd.nextDouble());
  }

  /**
   * Asserts |got - ref| &lt;= tol; a NaN reference demands NaN, an infinite one the same
   * infinity (tol is meaningless there).
   */
  static void assertWithin(double ref, double got, double tol, String what) {
    if (Double.isNaN(ref)) {
      assertTrue(Double.isNaN(got), () -> what + ": expected NaN, got " + got);
    } else if (Double.isInfinite(ref)) {
      assertEquals(ref, (double) got, () -> what);
    } else {
      double err = Math.abs(got - ref);
      if (!(err <= tol)) {
        fail(what + ": got " + got + ", reference " + ref + ", error " + err + " > bound " + tol
            + " (" + (err / tol) + "x)");
      }
    }
  }

  /** Asserts that every element where inside is false still holds its value from before. */
  static void assertUntouched(double[] before, double[] after, IntPredicate inside, String what) {
    assertEquals(before.length, after.length);
    for (int i = 0; i < after.length; i++) {
      if (!inside.test(i)) {
        int at = i;
        assertEquals(before[i], after[i], () -> what + ": element " + at + " outside was written");
      }
    }
  }

  /** Asserts that nothing outside [off, off + n) changed. */
  static void assertUntouchedOutside(double[] before, double[] after, int off, int n, String what) {
    assertUntouched(before, after, i -> i >= off && i < off + n, what);
  }
}
