package org.tca.numerics.storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A row-major f64 matrix in off-heap memory (a {@link MemorySegment} owned by an {@link Arena}),
 * for state too large for, or better kept out of, the Java heap: element (i, j) is the
 * little-endian f64 at element index {@code i * ld() + j} of {@link #segment()}. An f64 twin,
 * {@code OffHeapDoubleMatrix}, is generated from this file at build time.
 *
 * <p>Lifetime is explicit: use try-with-resources. {@link #close()} frees (or unmaps) the memory
 * at once; any later access fails with the FFM API's {@link IllegalStateException} ("Already
 * closed"). Matrices from {@link #confined} may be used only by the thread that made them (others
 * get a {@link WrongThreadException}); matrices from {@link #shared} by any thread (the caller
 * keeps accesses race-free).
 *
 * <p>Kernels run fastest on heap arrays, so the intended use is streaming: copy a block of rows
 * into heap scratch ({@link #readRows}), work on it, copy it back ({@link #writeRows}); each row
 * is one {@code MemorySegment.copy}. {@link #get}/{@link #set} are for occasional access.
 *
 * <p>Allocated matrices pad ld to a multiple of {@link DoubleMatrix#ALIGN} elements, with the
 * segment 64-byte aligned; mapped files ({@link #mapFile}) are dense (ld = cols), the layout of a
 * C-order .npy data block.
 */
public final class OffHeapDoubleMatrix implements AutoCloseable {

  /** The element layout: little-endian, so that mapped files are portable across machines. */
  public static final ValueLayout.OfDouble LAYOUT =
      ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private static final long BYTES = LAYOUT.byteSize();

  private final Arena arena;
  private final MemorySegment segment;
  private final int rows;
  private final int cols;
  private final long ld;
  private final boolean mapped;

  private OffHeapDoubleMatrix(Arena arena, MemorySegment segment, int rows, int cols, long ld,
      boolean mapped) {
    this.arena = arena;
    this.segment = segment;
    this.rows = rows;
    this.cols = cols;
    this.ld = ld;
    this.mapped = mapped;
  }

  /** A zeroed rows x cols matrix in a confined arena (usable by the calling thread only). */
  public static OffHeapDoubleMatrix confined(int rows, int cols) {
    return allocate(Arena.ofConfined(), rows, cols);
  }

  /** A zeroed rows x cols matrix in a shared arena (usable, and closable, by any thread). */
  public static OffHeapDoubleMatrix shared(int rows, int cols) {
    return allocate(Arena.ofShared(), rows, cols);
  }

  private static OffHeapDoubleMatrix allocate(Arena arena, int rows, int cols) {
    try {
      checkShape(rows, cols);
      long ld = DoubleMatrix.paddedLd(cols);
      // Arena.allocate zeroes the memory.
      MemorySegment seg = arena.allocate(Math.multiplyExact(rows * ld, BYTES), 64);
      return new OffHeapDoubleMatrix(arena, seg, rows, cols, ld, false);
    } catch (RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  /**
   * Maps {@code rows * cols} dense little-endian f64 values of {@code file}, starting at byte
   * {@code byteOffset}, as a matrix with ld = cols. Read-only mappings reject {@link #set} and
   * {@link #writeRows} with the FFM API's {@link IllegalArgumentException} ("read-only"). A
   * writable mapping creates a missing file and extends one that is too short (the new bytes
   * read as zeros); its changes are visible to other readers of the file at once (through the
   * page cache) and reach the storage device at {@link #force()} or whenever the operating
   * system writes them back.
   *
   * @param writable map read-write (the file must be writable) rather than read-only
   * @param shared map into a shared arena rather than a confined one
   * @throws IOException if the file cannot be opened, or is too short for a read-only mapping
   */
  public static OffHeapDoubleMatrix mapFile(Path file, long byteOffset, int rows, int cols,
      boolean writable, boolean shared) throws IOException {
    checkShape(rows, cols);
    if (byteOffset < 0) {
      throw new IllegalArgumentException("byteOffset must be >= 0, got " + byteOffset);
    }
    long size = Math.multiplyExact((long) rows * cols, BYTES);
    FileChannel.MapMode mode = writable ? FileChannel.MapMode.READ_WRITE
        : FileChannel.MapMode.READ_ONLY;
    StandardOpenOption[] options = writable
        ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE}
        : new StandardOpenOption[] {StandardOpenOption.READ};
    Arena arena = shared ? Arena.ofShared() : Arena.ofConfined();
    try (FileChannel ch = FileChannel.open(file, options)) {
      if (!writable && byteOffset + size > ch.size()) {
        throw new IOException(file + ": too short to map a " + rows + " x " + cols
            + " matrix at byte " + byteOffset + ": needs " + (byteOffset + size)
            + " bytes, has " + ch.size());
      }
      MemorySegment seg = ch.map(mode, byteOffset, size, arena);
      return new OffHeapDoubleMatrix(arena, seg, rows, cols, cols, true);
    } catch (IOException | RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  private static void checkShape(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + " x " + cols);
    }
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Leading dimension in elements. */
  public long ld() {
    return ld;
  }

  /** The backing segment (valid until {@link #close()}); elements use {@link #LAYOUT}. */
  public MemorySegment segment() {
    return segment;
  }

  /** True until {@link #close()}. */
  public boolean isAlive() {
    return segment.scope().isAlive();
  }

  /** True for a matrix made by {@link #mapFile}. */
  public boolean isMapped() {
    return mapped;
  }

  private long byteOffset(int i, int j) {
    Objects.checkIndex(i, rows);
    Objects.checkIndex(j, cols);
    return (i * ld + j) * BYTES;
  }

  public double get(int i, int j) {
    return segment.get(LAYOUT, byteOffset(i, j));
  }

  public void set(int i, int j, double v) {
    segment.set(LAYOUT, byteOffset(i, j), v);
  }

  /** Sets every element (not the padding) to v. */
  public void fill(double v) {
    for (int i = 0; i < rows; i++) {
      long base = i * ld * BYTES;
      for (int j = 0; j < cols; j++) {
        segment.set(LAYOUT, base + j * BYTES, v);
      }
    }
  }

  private void checkBlock(int r0, int nRows, double[] heap, int heapOff, int heapLd) {
    if (r0 < 0 || nRows < 0 || (long) r0 + nRows > rows) {
      throw new IndexOutOfBoundsException("rows [" + r0 + ", " + ((long) r0 + nRows)
          + ") outside a matrix of " + rows + " rows");
    }
    if (heapOff < 0 || heapLd < cols) {
      throw new IllegalArgumentException("need heapOff >= 0 and heapLd >= cols (" + cols
          + "), got heapOff " + heapOff + ", heapLd " + heapLd);
    }
    long end = nRows == 0 ? heapOff : heapOff + (long) (nRows - 1) * heapLd + cols;
    if (end > heap.length) {
      throw new IndexOutOfBoundsException(nRows + " rows of " + cols + " at offset " + heapOff
          + " with ld " + heapLd + " need " + end + " array elements, got " + heap.length);
    }
  }

  /**
   * Copies rows [r0, r0 + nRows) into heap scratch: row r0 + k goes to
   * {@code dst[dstOff + k * dstLd ...]}, cols elements each. Allocates nothing.
   */
  public void readRows(int r0, int nRows, double[] dst, int dstOff, int dstLd) {
    checkBlock(r0, nRows, dst, dstOff, dstLd);
    for (int k = 0; k < nRows; k++) {
      MemorySegment.copy(segment, LAYOUT, (r0 + k) * ld * BYTES, dst, dstOff + k * dstLd, cols);
    }
  }

  /** Copies heap rows back: {@code src[srcOff + k * srcLd ...]} becomes row r0 + k. */
  public void writeRows(int r0, int nRows, double[] src, int srcOff, int srcLd) {
    checkBlock(r0, nRows, src, srcOff, srcLd);
    for (int k = 0; k < nRows; k++) {
      MemorySegment.copy(src, srcOff + k * srcLd, segment, LAYOUT, (r0 + k) * ld * BYTES, cols);
    }
  }

  /** Copies rows [r0, r0 + dst.rows()) into {@code dst}, which must have cols() columns. */
  public void readRows(int r0, DoubleMatrix dst) {
    checkCols(dst.cols());
    readRows(r0, dst.rows(), dst.data(), dst.offset(), dst.ld());
  }

  /** Copies {@code src}, which must have cols() columns, into rows [r0, r0 + src.rows()). */
  public void writeRows(int r0, DoubleMatrix src) {
    checkCols(src.cols());
    writeRows(r0, src.rows(), src.data(), src.offset(), src.ld());
  }

  private void checkCols(int c) {
    if (c != cols) {
      throw new IllegalArgumentException("column mismatch: heap matrix has " + c
          + " columns, off-heap matrix " + cols);
    }
  }

  /** The whole matrix as a new padded heap matrix. */
  public DoubleMatrix toHeap() {
    DoubleMatrix m = DoubleMatrix.zeros(rows, cols);
    readRows(0, m);
    return m;
  }

  /** Copies {@code src}, which must have the same shape, into this matrix. */
  public void copyFrom(DoubleMatrix src) {
    if (src.rows() != rows) {
      throw new IllegalArgumentException("shape mismatch: cannot copy a " + src.rows() + " x "
          + src.cols() + " matrix into a " + rows + " x " + cols + " one");
    }
    writeRows(0, src);
  }

  /** Writes the changes of a read-write mapped matrix to its file (no-op if not mapped). */
  public void force() {
    if (mapped && !segment.isReadOnly()) {
      segment.force();
    }
  }

  /** Frees (or unmaps) the memory; later accesses fail. Closing twice is a no-op. */
  @Override
  public void close() {
    if (segment.scope().isAlive()) {
      arena.close();
    }
  }

  @Override
  public String toString() {
    return "OffHeapDoubleMatrix[" + rows + " x " + cols + ", ld " + ld
        + (mapped ? ", mapped" : "") + (isAlive() ? "" : ", closed") + "]";
  }
}
