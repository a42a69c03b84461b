package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The build runs tests with --add-modules jdk.incubator.vector: the vector provider must load. */
class KernelsProviderTest {

  @Test
  void vectorProviderIsLoadedOnThisMachine() {
    assertTrue(Kernels.vectorAvailable(), "surefire must pass --add-modules jdk.incubator.vector");
    assertEquals("vector", Kernels.provider());
    assertEquals("vector", Kernels.f32().name());
    assertEquals("vector", Kernels.f64().name());
    assertTrue(Kernels.f32().vectorBits() >= 128, "SIMD width " + Kernels.f32().vectorBits());
    assertEquals(Kernels.f32().vectorBits(), Kernels.f64().vectorBits());
  }

  @Test
  void scalarProviderIsAlwaysAvailable() {
    assertEquals("scalar", Kernels.scalarF32().name());
    assertEquals("scalar", Kernels.scalarF64().name());
    assertEquals(64, Kernels.scalarF64().vectorBits());
  }
}
