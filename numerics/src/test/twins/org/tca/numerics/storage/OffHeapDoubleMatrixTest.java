package org.tca.numerics.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.numerics.io.Npy;

/** Off-heap storage: round trips, row streaming, mapping and lifetime (f64 twin too). */
class OffHeapDoubleMatrixTest {

  @TempDir
  Path dir;

  private static DoubleMatrix random(int rows, int cols, long seed) {
    Random rnd = new Random(seed);
    DoubleMatrix m = DoubleMatrix.zeros(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble() * 2 - 1);
      }
    }
    return m;
  }

  @Test
  void allocatesZeroedPaddedAlignedMemory() {
    for (int cols : new int[] {0, 1, 15, 16, 17, 100}) {
      try (OffHeapDoubleMatrix m = OffHeapDoubleMatrix.confined(3, cols)) {
        assertEquals(DoubleMatrix.paddedLd(cols), m.ld());
        assertEquals(3 * m.ld() * Double.BYTES, m.segment().byteSize());
        assertEquals(0, m.segment().address() % 64, "64-byte aligned");
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < cols; j++) {
            assertEquals(0, m.get(i, j));
          }
        }
      }
    }
  }

  @Test
  void getSetAndLittleEndianLayout() {
    try (OffHeapDoubleMatrix m = OffHeapDoubleMatrix.shared(4, 5)) {
      m.set(2, 3, -1.75d);
      assertEquals(-1.75d, m.get(2, 3));
      ByteBuffer b = m.segment().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(-1.75d, b.getDouble((int) ((2 * m.ld() + 3) * Double.BYTES)));
      assertThrows(IndexOutOfBoundsException.class, () -> m.get(4, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> m.set(0, 5, 1));
      m.fill(3);
      assertEquals(3, m.get(3, 4));
      assertEquals(0, b.getDouble(5 * Double.BYTES), "fill leaves the padding alone");
    }
  }

  @Test
  void streamsRowBlocksToAndFromHeapScratch() {
    DoubleMatrix heap = random(13, 37, 5);
    try (OffHeapDoubleMatrix m = OffHeapDoubleMatrix.confined(13, 37)) {
      m.copyFrom(heap);
      assertEquals(heap, m.toHeap());
      // Stream rows 4..9 into scratch with another ld and offset, change them, stream back.
      int ld = 41;
      double[] scratch = new double[3 + 5 * ld + 37];
      m.readRows(4, 6, scratch, 3, ld);
      for (int k = 0; k < 6; k++) {
        for (int j = 0; j < 37; j++) {
          assertEquals(heap.get(4 + k, j), scratch[3 + k * ld + j]);
          scratch[3 + k * ld + j] *= 2;
        }
      }
      m.writeRows(4, 6, scratch, 3, ld);
      for (int i = 0; i < 13; i++) {
        for (int j = 0; j < 37; j++) {
          double want = i >= 4 && i < 10 ? 2 * heap.get(i, j) : heap.get(i, j);
          assertEquals(want, m.get(i, j), "(" + i + ", " + j + ")");
        }
      }
      DoubleMatrix block = DoubleMatrix.zeros(2, 37);
      m.readRows(11, block);
      assertEquals(heap.view(11, 0, 2, 37), block);
      m.writeRows(0, heap.view(11, 0, 2, 37));
      assertEquals(heap.get(12, 36), m.get(1, 36));
      m.readRows(13, 0, scratch, 0, 37);
      assertThrows(IndexOutOfBoundsException.class, () -> m.readRows(12, 2, scratch, 0, 37));
      assertThrows(IndexOutOfBoundsException.class, () -> m.readRows(-1, 1, scratch, 0, 37));
      assertThrows(IndexOutOfBoundsException.class, () -> m.readRows(0, 6, scratch, 4, 41));
      assertThrows(IllegalArgumentException.class, () -> m.readRows(0, 1, scratch, 0, 36));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.readRows(0, DoubleMatrix.zeros(1, 36)));
      assertTrue(e.getMessage().contains("column mismatch"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.copyFrom(DoubleMatrix.zeros(12, 37)));
    }
  }

  @Test
  void useAfterCloseFailsClearly() {
    OffHeapDoubleMatrix m = OffHeapDoubleMatrix.confined(2, 3);
    double[] scratch = new double[6];
    m.set(1, 1, 5);
    assertTrue(m.isAlive());
    m.close();
    assertFalse(m.isAlive());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.get(1, 1));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> m.set(0, 0, 1));
    assertThrows(IllegalStateException.class, () -> m.readRows(0, 2, scratch, 0, 3));
    assertThrows(IllegalStateException.class, () -> m.writeRows(0, 2, scratch, 0, 3));
    m.close(); // closing twice is a no-op
    assertTrue(m.toString().contains("closed"), m.toString());
  }

  @Test
  void confinedMatricesRefuseOtherThreadsSharedOnesDoNot() throws Exception {
    AtomicReference<Throwable> seen = new AtomicReference<>();
    try (OffHeapDoubleMatrix confined = OffHeapDoubleMatrix.confined(2, 2);
        OffHeapDoubleMatrix shared = OffHeapDoubleMatrix.shared(2, 2)) {
      Thread t = new Thread(() -> {
        try {
          shared.set(1, 0, 8);
          confined.get(0, 0);
        } catch (Throwable x) {
          seen.set(x);
        }
      });
      t.start();
      t.join();
      assertEquals(8, shared.get(1, 0));
      assertTrue(seen.get() instanceof WrongThreadException, String.valueOf(seen.get()));
    }
  }

  private Path writeLittleEndian(String name, int headerBytes, double[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(headerBytes + values.length * Double.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.position(headerBytes);
    for (double v : values) {
      b.putDouble(v);
    }
    Path file = dir.resolve(name);
    Files.write(file, b.array());
    return file;
  }

  @Test
  void mapsAFileReadOnly() throws IOException {
    double[] values = new double[3 * 7];
    for (int k = 0; k < values.length; k++) {
      values[k] = k - 4.5d;
    }
    Path file = writeLittleEndian("ro.bin", 12, values);
    try (OffHeapDoubleMatrix m = OffHeapDoubleMatrix.mapFile(file, 12, 3, 7, false, false)) {
      assertTrue(m.isMapped());
      assertEquals(7, m.ld(), "mapped files are dense");
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 7; j++) {
          assertEquals(values[i * 7 + j], m.get(i, j));
        }
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.set(0, 0, 1));
      assertTrue(e.getMessage().contains("read-only"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.writeRows(0, 1, new double[7], 0, 7));
      m.force(); // no-op when read-only
    }
    IOException e = assertThrows(IOException.class,
        () -> OffHeapDoubleMatrix.mapFile(file, 16, 3, 7, false, true));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }

  @Test
  void mapsAFileReadWriteAndChangesReachTheFile() throws IOException {
    Path file = writeLittleEndian("rw.bin", 8, new double[] {1, 2, 3, 4, 5, 6});
    try (OffHeapDoubleMatrix m = OffHeapDoubleMatrix.mapFile(file, 8, 2, 3, true, true)) {
      assertEquals(6, m.get(1, 2));
      m.set(1, 2, -0.5d);
      m.writeRows(0, 1, new double[] {7, 8, 9}, 0, 3);
      m.force();
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(-0.5d, b.getDouble(8 + 5 * Double.BYTES));
    assertEquals(8, b.getDouble(8 + Double.BYTES));
    // A writable mapping creates a missing file, zero-filled.
    Path fresh = dir.resolve("fresh.bin");
    try (OffHeapDoubleMatrix m = OffHeapDoubleMatrix.mapFile(fresh, 0, 4, 4, true, false)) {
      assertEquals(0, m.get(3, 3));
      m.set(3, 3, 1);
    }
    assertEquals(16 * Double.BYTES, Files.size(fresh));
  }

  @Test
  void mapsTheDataBlockOfAnNpyFile() throws IOException {
    DoubleMatrix heap = random(5, 6, 9);
    Path file = dir.resolve("m.npy");
    Npy.write(file, heap.toDenseArray(), 5, 6);
    long dataStart = Files.size(file) - 5 * 6 * Double.BYTES;
    assertEquals(0, dataStart % 64, "numpy aligns the data to 64 bytes");
    try (OffHeapDoubleMatrix m = OffHeapDoubleMatrix.mapFile(file, dataStart, 5, 6, false, false)) {
      assertEquals(heap, m.toHeap());
    }
  }
}
