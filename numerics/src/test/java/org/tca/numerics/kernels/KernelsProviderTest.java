package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which provider loaded. The build runs tests with --add-modules jdk.incubator.vector, so by
 * default the vector provider must be chosen; a second surefire execution reruns this class with
 * -Dtca.kernels=scalar and then the scalar one must be.
 */
class KernelsProviderTest {

  private static String expected() {
    String forced = System.getProperty(Kernels.PROPERTY, "");
    return forced.isEmpty() ? "vector" : forced;
  }

  @Test
  void expectedProviderIsLoaded() {
    assertTrue(Kernels.vectorAvailable(), "surefire must pass --add-modules jdk.incubator.vector");
    assertEquals(expected(), Kernels.provider());
    assertEquals(expected(), Kernels.f32().name());
    assertEquals(expected(), Kernels.f64().name());
  }

  @Test
  void vectorKernelsUseWideRegistersOnThisMachine() {
    FloatKernels v = Kernels.vectorF32();
    assertEquals("vector", v.name());
    assertTrue(v.vectorBits() >= 128, "SIMD width " + v.vectorBits());
    assertEquals(v.vectorBits(), Kernels.vectorF64().vectorBits());
  }

  @Test
  void scalarProviderIsAlwaysAvailable() {
    assertEquals("scalar", Kernels.scalarF32().name());
    assertEquals("scalar", Kernels.scalarF64().name());
    assertEquals(32, Kernels.scalarF32().vectorBits());
    assertEquals(64, Kernels.scalarF64().vectorBits());
  }
}
