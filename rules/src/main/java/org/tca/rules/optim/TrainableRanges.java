package org.tca.rules.optim;

import java.util.Arrays;

/**
 * The trainable part of a flat parameter vector: a sorted list of disjoint half-open ranges
 * {@code [offset_k, offset_k + length_k)}. Everything outside them (frozen blocks, padding that
 * the caller chooses to skip) is never read for gradient norms nor written by an optimizer.
 *
 * <p>The set is {@code S = union_k [o_k, o_k + l_k)}; optimizers apply
 * {@code p_i <- p_i - step_i} for {@code i in S} only. Immutable and thread-safe.
 */
public final class TrainableRanges {

  private final int[] offsets;
  private final int[] lengths;
  private final int total;
  private final int end;

  private TrainableRanges(int[] offsets, int[] lengths) {
    this.offsets = offsets;
    this.lengths = lengths;
    int t = 0;
    int e = 0;
    for (int k = 0; k < offsets.length; k++) {
      t += lengths[k];
      e = Math.max(e, offsets[k] + lengths[k]);
    }
    this.total = t;
    this.end = e;
  }

  /** The whole vector {@code [0, size)} trainable. */
  public static TrainableRanges all(int size) {
    return of(0, size);
  }

  /**
   * Ranges from pairs {@code (offset, length)}: {@code of(0, 10, 20, 5)} is {@code [0, 10)} and
   * {@code [20, 25)}. The pairs may come in any order; they are sorted by offset. Empty ranges
   * are dropped.
   *
   * @throws IllegalArgumentException on an odd argument count, a negative offset or length, or
   *     overlapping ranges (which would update an element twice)
   */
  public static TrainableRanges of(int... offsetLengthPairs) {
    if (offsetLengthPairs.length % 2 != 0) {
      throw new IllegalArgumentException(
          "need (offset, length) pairs, got " + offsetLengthPairs.length + " numbers");
    }
    int n = offsetLengthPairs.length / 2;
    long[] packed = new long[n];
    int kept = 0;
    for (int k = 0; k < n; k++) {
      int off = offsetLengthPairs[2 * k];
      int len = offsetLengthPairs[2 * k + 1];
      if (off < 0 || len < 0 || (long) off + len > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("bad range [" + off + ", " + off + " + " + len + ")");
      }
      if (len > 0) {
        packed[kept++] = ((long) off << 32) | len;
      }
    }
    long[] sorted = Arrays.copyOf(packed, kept);
    Arrays.sort(sorted);
    int[] offsets = new int[kept];
    int[] lengths = new int[kept];
    for (int k = 0; k < kept; k++) {
      offsets[k] = (int) (sorted[k] >>> 32);
      lengths[k] = (int) sorted[k];
      if (k > 0 && offsets[k] < offsets[k - 1] + lengths[k - 1]) {
        throw new IllegalArgumentException("ranges overlap: [" + offsets[k - 1] + ", "
            + (offsets[k - 1] + lengths[k - 1]) + ") and [" + offsets[k] + ", "
            + (offsets[k] + lengths[k]) + ")");
      }
    }
    return new TrainableRanges(offsets, lengths);
  }

  /** Number of (non-empty) ranges. */
  public int count() {
    return offsets.length;
  }

  /** Start of range {@code k} (ranges are sorted by offset). */
  public int offset(int k) {
    return offsets[k];
  }

  /** Length of range {@code k}. */
  public int length(int k) {
    return lengths[k];
  }

  /** Number of trainable elements, {@code sum_k l_k}. */
  public int total() {
    return total;
  }

  /** One past the last trainable element (0 if none): a vector must be at least this long. */
  public int end() {
    return end;
  }

  /** Whether element {@code index} is trainable. */
  public boolean contains(int index) {
    for (int k = 0; k < offsets.length; k++) {
      if (index >= offsets[k] && index < offsets[k] + lengths[k]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks that a vector of {@code size} elements holds every range.
   *
   * @throws IllegalArgumentException if not
   */
  public void checkWithin(int size) {
    if (end > size) {
      throw new IllegalArgumentException(
          "trainable ranges reach element " + (end - 1) + " but the vector has " + size);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("TrainableRanges[");
    for (int k = 0; k < offsets.length; k++) {
      if (k > 0) {
        sb.append(", ");
      }
      sb.append('[').append(offsets[k]).append(", ").append(offsets[k] + lengths[k]).append(')');
    }
    return sb.append(']').toString();
  }
}
