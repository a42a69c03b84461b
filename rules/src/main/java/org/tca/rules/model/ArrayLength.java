package org.tca.rules.model;

/**
 * The length of one Java array as the product of sizes, checked: a Java array holds at most
 * {@value #MAX} elements, so a product of sizes that passes it (N x N floats at N = 100000 is
 * 10^10) cannot be stored at all and is refused with a message naming the figure and the limit,
 * rather than wrapping around in int arithmetic.
 */
public final class ArrayLength {

  /** The most elements one array may have on HotSpot (a few below Integer.MAX_VALUE). */
  public static final int MAX = Integer.MAX_VALUE - 8;

  private ArrayLength() {}

  /**
   * The product of {@code sizes} (each &gt;= 0) as an int array length.
   *
   * @throws IllegalArgumentException when it exceeds {@link #MAX}; the message names {@code what}
   */
  public static int of(String what, long... sizes) {
    long n = 1;
    for (long s : sizes) {
      if (s < 0) {
        throw new IllegalArgumentException(what + ": negative size " + s);
      }
      n = s == 0 ? 0 : n > MAX / s ? Long.MAX_VALUE : n * s;
    }
    if (n > MAX) {
      throw new IllegalArgumentException(what + " needs " + (n == Long.MAX_VALUE ? "more than "
          + Long.MAX_VALUE : Long.toString(n)) + " elements in one array; a Java array holds at"
          + " most " + MAX);
    }
    return (int) n;
  }
}
