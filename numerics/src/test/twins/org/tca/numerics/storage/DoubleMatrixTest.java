package org.tca.numerics.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Layout invariants, views and copies of DoubleMatrix (the f64 twin runs the same tests). */
class DoubleMatrixTest {

  private static final int[] SIZES = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 65, 100};

  private static DoubleMatrix random(int rows, int cols, long seed) {
    Random rnd = new Random(seed);
    DoubleMatrix m = DoubleMatrix.zeros(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble() * 2 - 1);
      }
    }
    return m;
  }

  @Test
  void zerosPadsTheLeadingDimensionToTheNextMultipleOf16() {
    for (int rows : new int[] {0, 1, 3}) {
      for (int cols : SIZES) {
        DoubleMatrix m = DoubleMatrix.zeros(rows, cols);
        assertEquals(0, m.ld() % DoubleMatrix.ALIGN, "ld " + m.ld());
        assertTrue(m.ld() >= cols && m.ld() - cols < DoubleMatrix.ALIGN, "ld " + m.ld());
        assertEquals(rows * m.ld(), m.data().length, "the last row is padded too");
        assertEquals(0, m.offset());
        assertEquals(rows, m.rows());
        assertEquals(cols, m.cols());
        for (double v : m.data()) {
          assertEquals(0, v);
        }
      }
    }
    assertEquals(16, DoubleMatrix.paddedLd(1));
    assertEquals(16, DoubleMatrix.paddedLd(16));
    assertEquals(32, DoubleMatrix.paddedLd(17));
    assertThrows(IllegalArgumentException.class, () -> DoubleMatrix.paddedLd(-1));
    assertThrows(IllegalArgumentException.class, () -> DoubleMatrix.zeros(-1, 3));
    assertThrows(IllegalArgumentException.class, () -> DoubleMatrix.zeros(1 << 20, 1 << 12));
  }

  @Test
  void elementIJLivesAtOffsetPlusILdPlusJ() {
    double[] data = new double[100];
    DoubleMatrix m = DoubleMatrix.wrap(data, 5, 3, 4, 7);
    m.set(2, 3, 9.5d);
    assertEquals(9.5d, data[5 + 2 * 7 + 3]);
    assertEquals(5 + 7 + 2, m.index(1, 2));
    data[5 + 7] = -1.25d;
    assertEquals(-1.25d, m.get(1, 0));
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> m.get(3, 0));
    assertTrue(e.getMessage().contains("(3, 0) outside a 3 x 4 matrix"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> m.set(0, 4, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> m.get(-1, 0));
  }

  @Test
  void wrapValidatesBoundsWithClearMessages() {
    double[] data = new double[20];
    // At offset 2 a 3 x 4 matrix with ld 7 needs 2 + 2 * 7 + 4 = 20 elements: an exact fit.
    assertEquals(19, DoubleMatrix.wrap(data, 2, 3, 4, 7).index(2, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DoubleMatrix.wrap(data, 3, 3, 4, 7));
    assertTrue(e.getMessage().contains("needs an array of at least 21 elements, got 20"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DoubleMatrix.wrap(data, 0, 2, 5, 4));
    assertTrue(e.getMessage().contains("ld must be >= cols"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DoubleMatrix.wrap(data, -1, 1, 1, 1));
    assertTrue(e.getMessage().contains("offset"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DoubleMatrix.wrap(data, 0, -2, 1, 1));
    assertTrue(e.getMessage().contains("-2"), e.getMessage());
    assertThrows(NullPointerException.class, () -> DoubleMatrix.wrap(null, 0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> DoubleMatrix.wrap(data, 21, 0, 5, 5));
    assertEquals(0, DoubleMatrix.wrap(data, 20, 0, 5, 5).rows(), "an empty matrix at the end");
    assertEquals(5, DoubleMatrix.wrap(data, 4, 5).ld(), "dense: ld = cols");
  }

  @Test
  void viewsShareStorageBothWays() {
    DoubleMatrix m = random(9, 21, 1);
    DoubleMatrix v = m.view(2, 3, 4, 5);
    assertSame(m.data(), v.data());
    assertEquals(m.ld(), v.ld());
    assertEquals(m.offset() + 2 * m.ld() + 3, v.offset());
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 5; j++) {
        assertEquals(m.get(2 + i, 3 + j), v.get(i, j));
      }
    }
    v.set(1, 1, 42);
    assertEquals(42, m.get(3, 4));
    m.set(5, 7, -3);
    assertEquals(-3, v.get(3, 4));
    DoubleMatrix vv = v.view(1, 2, 2, 3);
    assertEquals(m.get(3, 5), vv.get(0, 0));
    DoubleMatrix r = m.row(4);
    assertEquals(1, r.rows());
    assertEquals(21, r.cols());
    r.set(0, 20, 7);
    assertEquals(7, m.get(4, 20));
    assertEquals(0, m.view(9, 21, 0, 0).rows(), "an empty view at the corner is allowed");
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> m.view(6, 0, 4, 1));
    assertTrue(e.getMessage().contains("exceeds a 9 x 21 matrix"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> m.view(0, 20, 1, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> m.row(9));
  }

  @Test
  void fillTouchesTheViewOnlyNeverThePadding() {
    DoubleMatrix m = DoubleMatrix.zeros(5, 17);
    m.view(1, 2, 3, 4).fill(2.5d);
    double[] d = m.data();
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < m.ld(); j++) {
        boolean inside = i >= 1 && i < 4 && j >= 2 && j < 6;
        assertEquals(inside ? 2.5d : 0, d[i * m.ld() + j], "(" + i + ", " + j + ")");
      }
    }
    m.fill(1);
    for (int i = 0; i < 5; i++) {
      for (int j = 17; j < m.ld(); j++) {
        assertEquals(0, d[i * m.ld() + j], "padding (" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void denseRoundTripHasNoPadding() {
    for (int cols : SIZES) {
      DoubleMatrix m = random(3, cols, cols);
      double[] dense = m.toDenseArray();
      assertEquals(3 * cols, dense.length);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < cols; j++) {
          assertEquals(m.get(i, j), dense[i * cols + j]);
        }
      }
      DoubleMatrix back = DoubleMatrix.fromDense(dense, 3, cols);
      assertEquals(m, back);
      assertEquals(DoubleMatrix.paddedLd(cols), back.ld());
      assertArrayEquals(dense, DoubleMatrix.wrap(dense, 3, cols).toDenseArray());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DoubleMatrix.fromDense(new double[5], 2, 3));
    assertTrue(e.getMessage().contains("has 6 elements, got 5"), e.getMessage());
  }

  @Test
  void copyFromCopiesAcrossLayoutsAndRejectsOtherShapes() {
    DoubleMatrix src = random(4, 19, 7);
    DoubleMatrix dst = DoubleMatrix.wrap(new double[200], 3, 4, 19, 25);
    dst.copyFrom(src);
    assertEquals(src, dst);
    DoubleMatrix c = src.copy();
    assertEquals(src, c);
    c.set(0, 0, 100);
    assertNotEquals(src.get(0, 0), c.get(0, 0), "copy() does not share storage");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> dst.copyFrom(DoubleMatrix.zeros(4, 18)));
    assertTrue(e.getMessage().contains("4 x 18 matrix into a 4 x 19"), e.getMessage());
  }

  @Test
  void copyFromOverlappingViewsBehavesAsIfTheSourceWereCopiedFirst() {
    int[][] moves = {{0, 0, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}, {0, 1, 0, 0}, {0, 0, 2, 3},
        {2, 3, 0, 0}, {1, 2, 2, 1}};
    for (int[] mv : moves) {
      DoubleMatrix m = random(8, 10, 3);
      DoubleMatrix src = m.view(mv[0], mv[1], 5, 6);
      DoubleMatrix dst = m.view(mv[2], mv[3], 5, 6);
      DoubleMatrix expected = src.copy();
      dst.copyFrom(src);
      assertEquals(expected, dst, java.util.Arrays.toString(mv));
    }
    // Same array, different leading dimensions, overlapping.
    double[] data = new double[64];
    for (int k = 0; k < data.length; k++) {
      data[k] = k;
    }
    DoubleMatrix a = DoubleMatrix.wrap(data, 0, 4, 5, 7);
    DoubleMatrix b = DoubleMatrix.wrap(data, 3, 4, 5, 9);
    DoubleMatrix expected = a.copy();
    b.copyFrom(a);
    assertEquals(expected, b);
  }

  @Test
  void equalityIgnoresLayoutAndPadding() {
    DoubleMatrix m = random(3, 5, 11);
    double[] big = new double[80];
    java.util.Arrays.fill(big, Double.NaN);
    DoubleMatrix w = DoubleMatrix.wrap(big, 7, 3, 5, 9);
    w.copyFrom(m);
    assertEquals(m, w, "padding full of NaN does not matter");
    assertEquals(m.hashCode(), w.hashCode());
    assertNotEquals(m, m.view(0, 0, 3, 4));
    assertNotEquals(m, DoubleMatrix.fromDense(m.toDenseArray(), 5, 3), "same data, other shape");
    w.set(2, 4, w.get(2, 4) + 1);
    assertNotEquals(m, w);
    DoubleMatrix nan = DoubleMatrix.zeros(1, 1);
    nan.fill(Double.NaN);
    assertEquals(nan, nan.copy(), "NaN equals NaN, as in Double.equals");
    DoubleMatrix neg = DoubleMatrix.zeros(1, 1);
    neg.fill(-0.0d);
    assertNotEquals(DoubleMatrix.zeros(1, 1), neg, "0.0 and -0.0 differ, as in Double.equals");
    assertEquals(DoubleMatrix.zeros(0, 3), DoubleMatrix.wrap(new double[0], 0, 3));
    assertTrue(m.toString().contains("3 x 5"), m.toString());
  }

  @Test
  void contiguity() {
    assertTrue(DoubleMatrix.zeros(3, 16).isContiguous());
    assertTrue(!DoubleMatrix.zeros(3, 15).isContiguous());
    assertTrue(DoubleMatrix.zeros(3, 15).row(1).isContiguous());
  }
}
