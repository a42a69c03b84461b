package org.tca.study;

import java.util.Locale;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * Which kernels a study's runs use: {@link #VECTOR}, this JVM's choice ({@link Kernels#f32}), or
 * {@link #SCALAR}, the scalar reference, whose results are the same bits on every machine.
 */
public enum KernelChoice {
  VECTOR,
  SCALAR;

  /** The name in configs: "vector" or "scalar". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The choice named {@code id}.
   *
   * @throws IllegalArgumentException "kernels must be vector or scalar, got 'ID'"
   */
  public static KernelChoice parse(String id) {
    for (KernelChoice k : values()) {
      if (k.id().equals(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException("kernels must be vector or scalar, got '" + id + "'");
  }

  /** The f32 kernels. */
  public FloatKernels f32() {
    return this == SCALAR ? Kernels.scalarF32() : Kernels.f32();
  }

  /** The f64 kernels. */
  public DoubleKernels f64() {
    return this == SCALAR ? Kernels.scalarF64() : Kernels.f64();
  }
}
