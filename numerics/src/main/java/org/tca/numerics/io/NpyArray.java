package org.tca.numerics.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable n-dimensional array as read from or written to .npy and IDX files: a dtype, a
 * shape {@code (d_0, ..., d_{r-1})} with every {@code d_k >= 0}, and
 * {@code size = prod_k d_k} elements in C (row-major) order, so that element
 * {@code (i_0, ..., i_{r-1})} is at flat index {@code sum_k i_k * prod_{l>k} d_l}. A rank-0
 * array (shape {@code ()}) is a scalar with one element; a zero in the shape gives size 0.
 *
 * <p>Factories and accessors copy, so no caller can change an array once made. The typed
 * accessors ({@link #floats()}, ...) fail with {@link IllegalStateException} naming the actual
 * dtype when called for another one.
 */
public final class NpyArray {

  private final NpyDtype dtype;
  private final long[] shape;
  private final int size;
  private final Object data;

  /** Takes ownership of data (no copy); the length must already match the shape. */
  private NpyArray(NpyDtype dtype, long[] shape, Object data) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
    this.size = java.lang.reflect.Array.getLength(data);
  }

  /**
   * For the readers and writers of this package: no copies. Checks the shape and that the data
   * is the dtype's Java array type of the right length.
   */
  static NpyArray wrapOwned(NpyDtype dtype, long[] shape, Object data) {
    long n = checkedSize(shape);
    int len = switch (dtype) {
      case FLOAT32 -> ((float[]) data).length;
      case FLOAT64 -> ((double[]) data).length;
      case INT8, UINT8 -> ((byte[]) data).length;
      case INT16 -> ((short[]) data).length;
      case INT32 -> ((int[]) data).length;
      case INT64 -> ((long[]) data).length;
    };
    if (len != n) {
      throw new IllegalArgumentException("shape " + shapeString(shape) + " has " + n
          + " elements but the data has " + len);
    }
    return new NpyArray(dtype, shape, data);
  }

  /** The shape as longs (no checks). */
  static long[] toLong(int[] shape) {
    long[] s = new long[shape.length];
    for (int k = 0; k < shape.length; k++) {
      s[k] = shape[k];
    }
    return s;
  }

  /**
   * The element count prod_k shape[k] of a valid shape.
   *
   * @throws IllegalArgumentException for a negative entry or more elements than an array holds
   */
  static long checkedSize(long[] shape) {
    long n = 1;
    boolean zero = false;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape " + shapeString(shape) + " has a negative entry");
      }
      zero |= d == 0;
    }
    if (zero) {
      return 0;
    }
    for (long d : shape) {
      if (n > (Integer.MAX_VALUE - 8) / d) {
        throw new IllegalArgumentException("shape " + shapeString(shape)
            + " has more elements than a Java array holds");
      }
      n *= d;
    }
    return n;
  }

  /** A float32 array of the given shape (a copy of data). */
  public static NpyArray of(float[] data, int... shape) {
    return wrapOwned(NpyDtype.FLOAT32, toLong(shape), data.clone());
  }

  /** A float64 array of the given shape (a copy of data). */
  public static NpyArray of(double[] data, int... shape) {
    return wrapOwned(NpyDtype.FLOAT64, toLong(shape), data.clone());
  }

  /** An int16 array of the given shape (a copy of data). */
  public static NpyArray of(short[] data, int... shape) {
    return wrapOwned(NpyDtype.INT16, toLong(shape), data.clone());
  }

  /** An int32 array of the given shape (a copy of data). */
  public static NpyArray of(int[] data, int... shape) {
    return wrapOwned(NpyDtype.INT32, toLong(shape), data.clone());
  }

  /** An int64 array of the given shape (a copy of data). */
  public static NpyArray of(long[] data, int... shape) {
    return wrapOwned(NpyDtype.INT64, toLong(shape), data.clone());
  }

  /** An int8 array of the given shape (a copy of data). */
  public static NpyArray ofInt8(byte[] data, int... shape) {
    return wrapOwned(NpyDtype.INT8, toLong(shape), data.clone());
  }

  /** A uint8 array of the given shape (a copy of data; byte b stands for b &amp; 0xFF). */
  public static NpyArray ofUint8(byte[] data, int... shape) {
    return wrapOwned(NpyDtype.UINT8, toLong(shape), data.clone());
  }

  public NpyDtype dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /**
   * A copy of the shape as ints.
   *
   * @throws ArithmeticException if an extent exceeds the int range, which only a zero-size
   *     array read from a file, such as shape (10**12, 0), can have
   */
  public int[] intShape() {
    int[] s = new int[shape.length];
    for (int k = 0; k < s.length; k++) {
      s[k] = Math.toIntExact(shape[k]);
    }
    return s;
  }

  /** Extent of dimension k. */
  public long dim(int k) {
    return shape[k];
  }

  /** Number of dimensions (0 for a scalar). */
  public int rank() {
    return shape.length;
  }

  /** Number of elements, prod_k shape[k] (1 for a scalar). */
  public int size() {
    return size;
  }

  private Object as(NpyDtype want, String accessor) {
    if (dtype != want && !(want == NpyDtype.INT8 && dtype == NpyDtype.UINT8)) {
      throw new IllegalStateException("the array has dtype " + dtype + ", held as "
          + dtype.javaType() + "; " + accessor + "() needs " + want
          + (want == NpyDtype.INT8 ? " or " + NpyDtype.UINT8 : ""));
    }
    return data;
  }

  /** A copy of the float32 data. */
  public float[] floats() {
    return ((float[]) as(NpyDtype.FLOAT32, "floats")).clone();
  }

  /** A copy of the float64 data. */
  public double[] doubles() {
    return ((double[]) as(NpyDtype.FLOAT64, "doubles")).clone();
  }

  /** A copy of the int16 data. */
  public short[] shorts() {
    return ((short[]) as(NpyDtype.INT16, "shorts")).clone();
  }

  /** A copy of the int32 data. */
  public int[] ints() {
    return ((int[]) as(NpyDtype.INT32, "ints")).clone();
  }

  /** A copy of the int64 data. */
  public long[] longs() {
    return ((long[]) as(NpyDtype.INT64, "longs")).clone();
  }

  /** A copy of the int8 or uint8 data (for uint8, byte b stands for b &amp; 0xFF). */
  public byte[] bytes() {
    return ((byte[]) as(NpyDtype.INT8, "bytes")).clone();
  }

  /** Element {@code flatIndex} (C order) converted to double; uint8 reads as 0..255. */
  public double getAsDouble(int flatIndex) {
    Objects.checkIndex(flatIndex, size);
    return switch (dtype) {
      case FLOAT32 -> ((float[]) data)[flatIndex];
      case FLOAT64 -> ((double[]) data)[flatIndex];
      case INT8 -> ((byte[]) data)[flatIndex];
      case UINT8 -> ((byte[]) data)[flatIndex] & 0xFF;
      case INT16 -> ((short[]) data)[flatIndex];
      case INT32 -> ((int[]) data)[flatIndex];
      case INT64 -> ((long[]) data)[flatIndex];
    };
  }

  /** The data itself, not a copy: for this package's writers only. */
  Object rawData() {
    return data;
  }

  /** Python's repr of the shape tuple: "()", "(3,)", "(2, 3)". */
  static String shapeString(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int k = 0; k < shape.length; k++) {
      sb.append(k == 0 ? "" : ", ").append(shape[k]);
    }
    return sb.append(')').toString();
  }

  /** Equal when dtype, shape and every element (bitwise, as by Arrays.equals) agree. */
  @Override
  public boolean equals(Object obj) {
    if (this == obj) {
      return true;
    }
    if (!(obj instanceof NpyArray o) || o.dtype != dtype || !Arrays.equals(o.shape, shape)) {
      return false;
    }
    return switch (dtype) {
      case FLOAT32 -> Arrays.equals((float[]) data, (float[]) o.data);
      case FLOAT64 -> Arrays.equals((double[]) data, (double[]) o.data);
      case INT8, UINT8 -> Arrays.equals((byte[]) data, (byte[]) o.data);
      case INT16 -> Arrays.equals((short[]) data, (short[]) o.data);
      case INT32 -> Arrays.equals((int[]) data, (int[]) o.data);
      case INT64 -> Arrays.equals((long[]) data, (long[]) o.data);
    };
  }

  @Override
  public int hashCode() {
    int h = 31 * dtype.ordinal() + Arrays.hashCode(shape);
    return 31 * h + switch (dtype) {
      case FLOAT32 -> Arrays.hashCode((float[]) data);
      case FLOAT64 -> Arrays.hashCode((double[]) data);
      case INT8, UINT8 -> Arrays.hashCode((byte[]) data);
      case INT16 -> Arrays.hashCode((short[]) data);
      case INT32 -> Arrays.hashCode((int[]) data);
      case INT64 -> Arrays.hashCode((long[]) data);
    };
  }

  /** E.g. {@code NpyArray[<f4 (float32), shape (2, 3)]} (not the values). */
  @Override
  public String toString() {
    return "NpyArray[" + dtype + ", shape " + shapeString(shape) + "]";
  }
}
