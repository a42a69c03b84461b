package org.tca.numerics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** NpyArray: immutability, shape bookkeeping, typed accessors. */
class NpyArrayTest {

  @Test
  void factoriesAndAccessorsCopy() {
    float[] data = {1, 2, 3, 4, 5, 6};
    NpyArray a = NpyArray.of(data, 2, 3);
    data[0] = 99;
    assertEquals(1, a.floats()[0], "the factory copied");
    a.floats()[1] = 99;
    assertEquals(2, a.floats()[1], "the accessor copies");
    long[] shape = a.shape();
    shape[0] = 7;
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertEquals(2, a.rank());
    assertEquals(3, a.dim(1));
    assertEquals(6, a.size());
    assertEquals(5.0, a.getAsDouble(4));
    assertThrows(IndexOutOfBoundsException.class, () -> a.getAsDouble(6));
    assertEquals("NpyArray[<f4 (float32), shape (2, 3)]", a.toString());
  }

  @Test
  void scalarsAndZeroSizeArrays() {
    NpyArray s = NpyArray.of(new long[] {-5});
    assertEquals(0, s.rank());
    assertEquals(1, s.size());
    assertEquals(-5.0, s.getAsDouble(0));
    NpyArray z = NpyArray.of(new double[0], 3, 0, 2);
    assertEquals(0, z.size());
    assertArrayEquals(new int[] {3, 0, 2}, z.intShape());
    assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[1], 3, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[0]));
  }

  @Test
  void wrongTypedAccessorNamesTheActualDtype() {
    NpyArray d = NpyArray.of(new double[] {1});
    IllegalStateException e = assertThrows(IllegalStateException.class, d::floats);
    assertEquals("the array has dtype <f8 (float64), held as double[]; floats() needs"
        + " <f4 (float32)", e.getMessage());
    assertThrows(IllegalStateException.class, d::ints);
    assertThrows(IllegalStateException.class, d::longs);
    assertThrows(IllegalStateException.class, d::shorts);
    assertThrows(IllegalStateException.class, d::bytes);
    assertThrows(IllegalStateException.class, () -> NpyArray.of(new float[1]).doubles());
    NpyArray u = NpyArray.ofUint8(new byte[] {(byte) 200});
    assertEquals(200.0, u.getAsDouble(0), "uint8 reads unsigned");
    assertEquals((byte) 200, u.bytes()[0]);
    assertEquals(-56.0, NpyArray.ofInt8(new byte[] {(byte) 200}).getAsDouble(0));
  }

  @Test
  void equalityUsesDtypeShapeAndValues() {
    NpyArray a = NpyArray.of(new int[] {1, 2, 3, 4}, 2, 2);
    assertEquals(a, NpyArray.of(new int[] {1, 2, 3, 4}, 2, 2));
    assertNotEquals(a, NpyArray.of(new int[] {1, 2, 3, 4}, 4));
    assertNotEquals(a, NpyArray.of(new long[] {1, 2, 3, 4}, 2, 2));
    assertNotEquals(a, NpyArray.of(new int[] {1, 2, 3, 5}, 2, 2));
    assertNotEquals(NpyArray.ofInt8(new byte[] {1}), NpyArray.ofUint8(new byte[] {1}));
    assertTrue(NpyArray.of(new float[] {Float.NaN}).equals(NpyArray.of(new float[] {Float.NaN})));
  }
}
