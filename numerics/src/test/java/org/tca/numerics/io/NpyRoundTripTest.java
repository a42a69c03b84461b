package org.tca.numerics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write-then-read round trips of every dtype over ranks 0..4, zero extents included. */
class NpyRoundTripTest {

  @TempDir
  Path dir;

  static final int[][] SHAPES = {
      {}, {0}, {1}, {7}, {2, 3}, {0, 4}, {4, 0}, {3, 1, 5}, {2, 0, 3}, {2, 3, 4, 5},
      {1, 2, 0, 3}, {1, 1, 1, 1}, {300, 301},
  };

  static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  static NpyArray random(NpyDtype dtype, int[] shape, Random rnd) {
    int n = size(shape);
    return switch (dtype) {
      case FLOAT32 -> {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
          a[k] = (float) rnd.nextGaussian();
        }
        yield NpyArray.of(a, shape);
      }
      case FLOAT64 -> NpyArray.of(rnd.doubles(n).map(x -> x * 1e3 - 5e2).toArray(), shape);
      case INT8, UINT8 -> {
        byte[] a = new byte[n];
        rnd.nextBytes(a);
        yield dtype == NpyDtype.INT8 ? NpyArray.ofInt8(a, shape) : NpyArray.ofUint8(a, shape);
      }
      case INT16 -> {
        short[] a = new short[n];
        for (int k = 0; k < n; k++) {
          a[k] = (short) rnd.nextInt();
        }
        yield NpyArray.of(a, shape);
      }
      case INT32 -> NpyArray.of(rnd.ints(n).toArray(), shape);
      case INT64 -> NpyArray.of(rnd.longs(n).toArray(), shape);
    };
  }

  @Test
  void everyDtypeAndShapeSurvivesARoundTrip() throws IOException {
    Random rnd = new Random(42);
    int k = 0;
    for (NpyDtype dtype : NpyDtype.values()) {
      for (int[] shape : SHAPES) {
        NpyArray a = random(dtype, shape, rnd);
        Path f = dir.resolve("a" + k++ + ".npy");
        Npy.write(f, a);
        NpyArray b = Npy.read(f);
        String what = dtype + " " + Arrays.toString(shape);
        assertEquals(a, b, what);
        assertEquals(a.hashCode(), b.hashCode(), what);
        assertArrayEquals(shape, b.intShape(), what);
        assertEquals(size(shape), b.size(), what);
        long dataBytes = (long) size(shape) * dtype.itemSize();
        assertEquals(0, (Files.size(f) - dataBytes) % 64, "data aligned to 64 bytes: " + what);
      }
    }
  }

  @Test
  void specialFloatingPointValuesAreBitExact() throws IOException {
    float[] f = {Float.NaN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, Float.intBitsToFloat(0x7fc00001)};
    double[] d = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
        Double.longBitsToDouble(0x7ff8000000000001L)};
    Path ff = dir.resolve("f.npy");
    Path fd = dir.resolve("d.npy");
    Npy.write(ff, f, f.length);
    Npy.write(fd, d, d.length);
    float[] f2 = Npy.read(ff).floats();
    double[] d2 = Npy.read(fd).doubles();
    for (int k = 0; k < f.length; k++) {
      assertEquals(Float.floatToRawIntBits(f[k]), Float.floatToRawIntBits(f2[k]), "f32 " + k);
      assertEquals(Double.doubleToRawLongBits(d[k]), Double.doubleToRawLongBits(d2[k]), "f64 " + k);
    }
  }

  @Test
  void convenienceWritersTakeDataAndShape() throws IOException {
    Path f = dir.resolve("c.npy");
    Npy.write(f, new int[] {1, 2, 3, 4, 5, 6}, 3, 2);
    assertEquals(NpyArray.of(new int[] {1, 2, 3, 4, 5, 6}, 3, 2), Npy.read(f));
    Npy.write(f, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, 2);
    assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, Npy.read(f).longs());
    Npy.write(f, new double[] {2.5});
    assertEquals(0, Npy.read(f).rank(), "no shape: a 0-d scalar");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Npy.write(f, new float[5], 2, 3));
    assertTrue(e.getMessage().contains("(2, 3) has 6 elements but the data has 5"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Npy.write(f, new float[0], 2, -1));
  }

  /** A 22,000-d shape needs a header longer than 65535 bytes: numpy then writes version 2.0. */
  @Test
  void hugeHeadersFallBackToVersion2() throws IOException {
    int[] shape = new int[22000];
    Arrays.fill(shape, 1);
    NpyArray a = NpyArray.of(new float[] {3.5f}, shape);
    Path f = dir.resolve("v2.npy");
    Npy.write(f, a);
    byte[] bytes = Files.readAllBytes(f);
    assertEquals(2, bytes[6]);
    assertEquals(0, (bytes.length - 4) % 64);
    assertEquals(a, Npy.read(f));
  }

  @Test
  void writesAtomicallyReplacingOldFilesAndLeavingNoTemporaries() throws IOException {
    Path f = dir.resolve("x.npy");
    Npy.write(f, new float[] {1, 2}, 2);
    Npy.write(f, new float[] {3, 4, 5}, 3);
    assertEquals(NpyArray.of(new float[] {3, 4, 5}, 3), Npy.read(f));
    // A target that cannot be replaced (a non-empty directory): the write fails, the temporary
    // file is removed and the directory is untouched.
    Path blocked = dir.resolve("blocked.npy");
    Files.createDirectory(blocked);
    Files.writeString(blocked.resolve("keep"), "x");
    assertThrows(IOException.class, () -> Npy.write(blocked, new float[] {1}, 1));
    assertTrue(Files.isDirectory(blocked));
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("blocked.npy", "x.npy"), names);
    }
  }
}
