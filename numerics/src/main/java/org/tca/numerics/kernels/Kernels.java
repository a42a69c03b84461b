package org.tca.numerics.kernels;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import org.tca.numerics.kernels.scalar.ScalarDoubleKernels;
import org.tca.numerics.kernels.scalar.ScalarFloatKernels;

/**
 * Picks the kernel implementation once per JVM (a static holder, as in Lucene's
 * VectorizationProvider): the Vector API one when the {@code jdk.incubator.vector} module is
 * present, otherwise the scalar reference. {@code -Dtca.kernels=scalar|vector} forces a choice;
 * forcing "vector" without the module is an error that says which JVM flag is missing.
 *
 * <p>The vector classes are loaded by name, so that nothing outside the vector package links
 * against {@code jdk.incubator.vector}.
 */
public final class Kernels {

  /** The system property that forces a provider: "scalar" or "vector". */
  public static final String PROPERTY = "tca.kernels";

  private static final String VECTOR_PACKAGE = "org.tca.numerics.kernels.vector.";
  private static final System.Logger LOG = System.getLogger(Kernels.class.getName());

  private Kernels() {}

  private static final class Holder {
    static final FloatKernels F32;
    static final DoubleKernels F64;

    static {
      String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
      boolean vector;
      switch (forced) {
        case "" -> vector = vectorAvailable();
        case "vector" -> {
          if (!vectorAvailable()) {
            throw new IllegalStateException("-D" + PROPERTY + "=vector but the JVM lacks the "
                + "jdk.incubator.vector module: add --add-modules jdk.incubator.vector");
          }
          vector = true;
        }
        case "scalar" -> vector = false;
        default -> throw new IllegalStateException(
            "-D" + PROPERTY + "=" + forced + " is not a provider (expected scalar or vector)");
      }
      if (vector) {
        F32 = vectorF32();
        F64 = vectorF64();
      } else {
        F32 = new ScalarFloatKernels();
        F64 = new ScalarDoubleKernels();
      }
      LOG.log(System.Logger.Level.DEBUG, "tca kernels: {0} ({1} bits)", F32.name(), F32.vectorBits());
    }
  }

  /** The f32 kernels chosen for this JVM. */
  public static FloatKernels f32() {
    return Holder.F32;
  }

  /** The f64 kernels chosen for this JVM. */
  public static DoubleKernels f64() {
    return Holder.F64;
  }

  /** "vector" or "scalar": the provider chosen for this JVM. */
  public static String provider() {
    return Holder.F32.name();
  }

  /** True when the JVM was started with the jdk.incubator.vector module. */
  public static boolean vectorAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** A new scalar f32 implementation (for tests and benchmarks that compare providers). */
  public static FloatKernels scalarF32() {
    return new ScalarFloatKernels();
  }

  /** A new scalar f64 implementation. */
  public static DoubleKernels scalarF64() {
    return new ScalarDoubleKernels();
  }

  /** A new Vector API f32 implementation; fails when the module is absent. */
  public static FloatKernels vectorF32() {
    return (FloatKernels) instantiate("VectorFloatKernels");
  }

  /** A new Vector API f64 implementation; fails when the module is absent. */
  public static DoubleKernels vectorF64() {
    return (DoubleKernels) instantiate("VectorDoubleKernels");
  }

  private static Object instantiate(String simpleName) {
    if (!vectorAvailable()) {
      throw new IllegalStateException(
          "the Vector API kernels need the JVM flag --add-modules jdk.incubator.vector");
    }
    try {
      return Class.forName(VECTOR_PACKAGE + simpleName).getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException
        | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot load " + VECTOR_PACKAGE + simpleName + ": " + e, e);
    }
  }
}
