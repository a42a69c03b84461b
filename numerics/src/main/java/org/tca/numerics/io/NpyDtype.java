package org.tca.numerics.io;

import java.util.Locale;

/**
 * The element types {@link NpyArray} holds, named by their little-endian numpy descriptors
 * ({@code descr} in a .npy header). One-byte types use numpy's "not applicable" order mark
 * {@code '|'}.
 */
public enum NpyDtype {
  /** numpy float32, Java float[]. */
  FLOAT32("<f4", 4, "float[]"),
  /** numpy float64, Java double[]. */
  FLOAT64("<f8", 8, "double[]"),
  /** numpy int8, Java byte[] (signed). */
  INT8("|i1", 1, "byte[]"),
  /** numpy uint8, Java byte[] holding the unsigned values (read them with {@code b & 0xFF}). */
  UINT8("|u1", 1, "byte[]"),
  /** numpy int16, Java short[]. */
  INT16("<i2", 2, "short[]"),
  /** numpy int32, Java int[]. */
  INT32("<i4", 4, "int[]"),
  /** numpy int64, Java long[]. */
  INT64("<i8", 8, "long[]");

  private final String descr;
  private final int itemSize;
  private final String javaType;

  NpyDtype(String descr, int itemSize, String javaType) {
    this.descr = descr;
    this.itemSize = itemSize;
    this.javaType = javaType;
  }

  /** The numpy descriptor this library writes, e.g. {@code "<f4"}. */
  public String descr() {
    return descr;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /** The Java array type of the data, e.g. {@code "float[]"}. */
  public String javaType() {
    return javaType;
  }

  /** The numpy type name, e.g. {@code "float32"}. */
  public String numpyName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The dtype of a descriptor without its byte-order mark, e.g. "f4" or "u1"; null if this
   * library does not support it.
   */
  static NpyDtype ofKindAndSize(String kindAndSize) {
    for (NpyDtype t : values()) {
      if (t.descr.substring(1).equals(kindAndSize)) {
        return t;
      }
    }
    return null;
  }

  /** The list this library supports, for error messages. */
  static String supportedList() {
    StringBuilder sb = new StringBuilder();
    for (NpyDtype t : values()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(t.descr);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return descr + " (" + numpyName() + ")";
  }
}
