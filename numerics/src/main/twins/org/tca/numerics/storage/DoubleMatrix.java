package org.tca.numerics.storage;

import java.util.Arrays;

/**
 * A dense row-major f64 matrix over a heap {@code double[]}, in the BLAS layout the kernels take:
 * element (i, j) is {@code data()[offset() + i * ld() + j]} with {@code ld() >= cols()}. An f64
 * twin, {@code DoubleMatrix}, is generated from this file at build time.
 *
 * <p>{@link #zeros} pads the leading dimension to a multiple of {@link #ALIGN} elements,
 * {@code ld = ALIGN * ceil(cols / ALIGN)}, and allocates {@code rows * ld} elements, so every row
 * starts a whole number of 64-byte blocks (for f64) after the first and a kernel may read the
 * padding of any row, the last included. (The JVM does not promise where the array itself
 * starts, so absolute alignment is not guaranteed.) {@link #wrap} takes any offset and ld.
 *
 * <p>Views ({@link #view}, {@link #row}) are cheap and share storage with their parent: writes
 * through one are seen by the other. A matrix is mutable and not thread-safe.
 *
 * <p>{@link #equals} and {@link #hashCode} compare the logical content only (shape and the
 * {@code rows * cols} elements, compared as by {@code Double.compare}, so NaN equals NaN and
 * 0.0 differs from -0.0); offset, ld and padding do not matter. Since a matrix is mutable, its hash
 * code changes with its content: do not mutate a matrix while it is a key in a hash map.
 */
public final class DoubleMatrix {

  /** Leading dimensions made by {@link #zeros} are multiples of this many elements. */
  public static final int ALIGN = 16;

  private final double[] data;
  private final int offset;
  private final int rows;
  private final int cols;
  private final int ld;

  private DoubleMatrix(double[] data, int offset, int rows, int cols, int ld) {
    this.data = data;
    this.offset = offset;
    this.rows = rows;
    this.cols = cols;
    this.ld = ld;
  }

  /** The padded leading dimension for {@code cols} columns: the next multiple of {@link #ALIGN}. */
  public static int paddedLd(int cols) {
    if (cols < 0) {
      throw new IllegalArgumentException("cols must be >= 0, got " + cols);
    }
    long ld = (cols + (long) ALIGN - 1) / ALIGN * ALIGN;
    if (ld > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("cols " + cols + " too large for a padded row");
    }
    return (int) ld;
  }

  /** A new rows x cols matrix of zeros with a padded leading dimension ({@link #paddedLd}). */
  public static DoubleMatrix zeros(int rows, int cols) {
    checkShape(rows, cols);
    int ld = paddedLd(cols);
    long n = (long) rows * ld;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix with ld " + ld
          + " needs " + n + " elements, more than a Java array holds; use OffHeapDoubleMatrix");
    }
    return new DoubleMatrix(new double[(int) n], 0, rows, cols, ld);
  }

  /** A padded copy of a dense row-major array of length rows * cols. */
  public static DoubleMatrix fromDense(double[] dense, int rows, int cols) {
    checkShape(rows, cols);
    if (dense.length != (long) rows * cols) {
      throw new IllegalArgumentException("a dense " + rows + " x " + cols + " array has "
          + (long) rows * cols + " elements, got " + dense.length);
    }
    DoubleMatrix m = zeros(rows, cols);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(dense, i * cols, m.data, i * m.ld, cols);
    }
    return m;
  }

  /** Wraps a dense row-major array (offset 0, ld = cols) without copying. */
  public static DoubleMatrix wrap(double[] data, int rows, int cols) {
    return wrap(data, 0, rows, cols, cols);
  }

  /**
   * Wraps {@code data} without copying: element (i, j) is {@code data[offset + i * ld + j]}.
   *
   * @throws IllegalArgumentException if a size is negative, {@code ld < cols}, or the last
   *     element, {@code offset + (rows - 1) * ld + cols - 1}, lies outside the array
   */
  public static DoubleMatrix wrap(double[] data, int offset, int rows, int cols, int ld) {
    if (data == null) {
      throw new NullPointerException("data");
    }
    checkShape(rows, cols);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    if (ld < cols) {
      throw new IllegalArgumentException("ld must be >= cols, got ld " + ld + " < cols " + cols);
    }
    long end = rows == 0 || cols == 0 ? offset : offset + (long) (rows - 1) * ld + cols;
    if (end > data.length) {
      throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix at offset "
          + offset + " with ld " + ld + " needs an array of at least " + end
          + " elements, got " + data.length);
    }
    return new DoubleMatrix(data, offset, rows, cols, ld);
  }

  private static void checkShape(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + " x " + cols);
    }
  }

  /** The backing array (shared, not copied). */
  public double[] data() {
    return data;
  }

  /** Index in {@link #data()} of element (0, 0). */
  public int offset() {
    return offset;
  }

  /** Leading dimension: distance in elements between the starts of consecutive rows. */
  public int ld() {
    return ld;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Index in {@link #data()} of element (i, j), after a bounds check. */
  public int index(int i, int j) {
    if (i < 0 || i >= rows || j < 0 || j >= cols) {
      throw new IndexOutOfBoundsException(
          "(" + i + ", " + j + ") outside a " + rows + " x " + cols + " matrix");
    }
    return offset + i * ld + j;
  }

  public double get(int i, int j) {
    return data[index(i, j)];
  }

  public void set(int i, int j, double v) {
    data[index(i, j)] = v;
  }

  /**
   * The nRows x nCols block whose (0, 0) is element (r0, c0) of this matrix, sharing storage.
   */
  public DoubleMatrix view(int r0, int c0, int nRows, int nCols) {
    checkShape(nRows, nCols);
    if (r0 < 0 || c0 < 0 || (long) r0 + nRows > rows || (long) c0 + nCols > cols) {
      throw new IndexOutOfBoundsException("view (" + r0 + ", " + c0 + ") of size " + nRows
          + " x " + nCols + " exceeds a " + rows + " x " + cols + " matrix");
    }
    int off = nRows == 0 || nCols == 0 ? offset : offset + r0 * ld + c0;
    return new DoubleMatrix(data, off, nRows, nCols, ld);
  }

  /** Row i as a 1 x cols view sharing storage. */
  public DoubleMatrix row(int i) {
    return view(i, 0, 1, cols);
  }

  /** True when the rows are stored back to back ({@code ld == cols} or at most one row). */
  public boolean isContiguous() {
    return ld == cols || rows <= 1;
  }

  /** Sets every element (not the padding) to v. */
  public void fill(double v) {
    for (int i = 0; i < rows; i++) {
      int start = offset + i * ld;
      Arrays.fill(data, start, start + cols, v);
    }
  }

  /**
   * Copies the elements of {@code src}, which must have the same shape, into this matrix.
   * Overlapping views of one array are handled as if src were first copied out.
   */
  public void copyFrom(DoubleMatrix src) {
    if (src.rows != rows || src.cols != cols) {
      throw new IllegalArgumentException("shape mismatch: cannot copy a " + src.rows + " x "
          + src.cols + " matrix into a " + rows + " x " + cols + " one");
    }
    if (rows == 0 || cols == 0 || src == this) {
      return;
    }
    if (src.data == data && overlaps(src)) {
      if (src.ld != ld) {
        copyDense(src.toDenseArray());
        return;
      }
      if (offset > src.offset) {
        // Same ld, destination later in memory: copy bottom-up so no source row is overwritten
        // before it is read (System.arraycopy handles overlap within a row).
        for (int i = rows - 1; i >= 0; i--) {
          System.arraycopy(data, src.offset + i * ld, data, offset + i * ld, cols);
        }
        return;
      }
    }
    for (int i = 0; i < rows; i++) {
      System.arraycopy(src.data, src.offset + i * src.ld, data, offset + i * ld, cols);
    }
  }

  private boolean overlaps(DoubleMatrix o) {
    long end = offset + (long) (rows - 1) * ld + cols;
    long oEnd = o.offset + (long) (o.rows - 1) * o.ld + o.cols;
    return offset < oEnd && o.offset < end;
  }

  private void copyDense(double[] dense) {
    for (int i = 0; i < rows; i++) {
      System.arraycopy(dense, i * cols, data, offset + i * ld, cols);
    }
  }

  /** A new padded matrix with the same elements (see {@link #zeros}). */
  public DoubleMatrix copy() {
    DoubleMatrix m = zeros(rows, cols);
    m.copyFrom(this);
    return m;
  }

  /** The elements as a new dense row-major array of length rows * cols (no padding). */
  public double[] toDenseArray() {
    long n = (long) rows * cols;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(rows + " x " + cols + " elements do not fit one array");
    }
    double[] dense = new double[(int) n];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(data, offset + i * ld, dense, i * cols, cols);
    }
    return dense;
  }

  @Override
  public boolean equals(Object obj) {
    if (this == obj) {
      return true;
    }
    if (!(obj instanceof DoubleMatrix o) || o.rows != rows || o.cols != cols) {
      return false;
    }
    for (int i = 0; i < rows; i++) {
      int a = offset + i * ld;
      int b = o.offset + i * o.ld;
      for (int j = 0; j < cols; j++) {
        if (Double.compare(data[a + j], o.data[b + j]) != 0) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 31 * rows + cols;
    for (int i = 0; i < rows; i++) {
      int a = offset + i * ld;
      for (int j = 0; j < cols; j++) {
        h = 31 * h + Double.hashCode(data[a + j]);
      }
    }
    return h;
  }

  /** The shape and layout, e.g. {@code DoubleMatrix[3 x 5, ld 16, offset 0]} (not the values). */
  @Override
  public String toString() {
    return "DoubleMatrix[" + rows + " x " + cols + ", ld " + ld + ", offset " + offset + "]";
  }
}
