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
class OffHeapFloatMatrixTest {

  @TempDir
  Path dir;

  private static FloatMatrix random(int rows, int cols, long seed) {
    Random rnd = new Random(seed);
    FloatMatrix m = FloatMatrix.zeros(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextFloat() * 2 - 1);
      }
    }
    return m;
  }

  @Test
  void allocatesZeroedPaddedAlignedMemory() {
    for (int cols : new int[] {0, 1, 15, 16, 17, 100}) {
      try (OffHeapFloatMatrix m = OffHeapFloatMatrix.confined(3, cols)) {
        assertEquals(FloatMatrix.paddedLd(cols), m.ld());
        assertEquals(3 * m.ld() * Float.BYTES, m.segment().byteSize());
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
    try (OffHeapFloatMatrix m = OffHeapFloatMatrix.shared(4, 5)) {
      m.set(2, 3, -1.75f);
      assertEquals(-1.75f, m.get(2, 3));
      ByteBuffer b = m.segment().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(-1.75f, b.getFloat((int) ((2 * m.ld() + 3) * Float.BYTES)));
      assertThrows(IndexOutOfBoundsException.class, () -> m.get(4, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> m.set(0, 5, 1));
      m.fill(3);
      assertEquals(3, m.get(3, 4));
      assertEquals(0, b.getFloat(5 * Float.BYTES), "fill leaves the padding alone");
    }
  }

  @Test
  void streamsRowBlocksToAndFromHeapScratch() {
    FloatMatrix heap = random(13, 37, 5);
    try (OffHeapFloatMatrix m = OffHeapFloatMatrix.confined(13, 37)) {
      m.copyFrom(heap);
      assertEquals(heap, m.toHeap());
      // Stream rows 4..9 into scratch with another ld and offset, change them, stream back.
      int ld = 41;
      float[] scratch = new float[3 + 5 * ld + 37];
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
          float want = i >= 4 && i < 10 ? 2 * heap.get(i, j) : heap.get(i, j);
          assertEquals(want, m.get(i, j), "(" + i + ", " + j + ")");
        }
      }
      FloatMatrix block = FloatMatrix.zeros(2, 37);
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
          () -> m.readRows(0, FloatMatrix.zeros(1, 36)));
      assertTrue(e.getMessage().contains("column mismatch"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.copyFrom(FloatMatrix.zeros(12, 37)));
    }
  }

  @Test
  void useAfterCloseFailsClearly() {
    OffHeapFloatMatrix m = OffHeapFloatMatrix.confined(2, 3);
    float[] scratch = new float[6];
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
    try (OffHeapFloatMatrix confined = OffHeapFloatMatrix.confined(2, 2);
        OffHeapFloatMatrix shared = OffHeapFloatMatrix.shared(2, 2)) {
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

  private Path writeLittleEndian(String name, int headerBytes, float[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(headerBytes + values.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.position(headerBytes);
    for (float v : values) {
      b.putFloat(v);
    }
    Path file = dir.resolve(name);
    Files.write(file, b.array());
    return file;
  }

  @Test
  void mapsAFileReadOnly() throws IOException {
    float[] values = new float[3 * 7];
    for (int k = 0; k < values.length; k++) {
      values[k] = k - 4.5f;
    }
    Path file = writeLittleEndian("ro.bin", 12, values);
    try (OffHeapFloatMatrix m = OffHeapFloatMatrix.mapFile(file, 12, 3, 7, false, false)) {
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
      assertThrows(IllegalArgumentException.class, () -> m.writeRows(0, 1, new float[7], 0, 7));
      m.force(); // no-op when read-only
    }
    IOException e = assertThrows(IOException.class,
        () -> OffHeapFloatMatrix.mapFile(file, 16, 3, 7, false, true));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }

  @Test
  void mapsAFileReadWriteAndChangesReachTheFile() throws IOException {
    Path file = writeLittleEndian("rw.bin", 8, new float[] {1, 2, 3, 4, 5, 6});
    try (OffHeapFloatMatrix m = OffHeapFloatMatrix.mapFile(file, 8, 2, 3, true, true)) {
      assertEquals(6, m.get(1, 2));
      m.set(1, 2, -0.5f);
      m.writeRows(0, 1, new float[] {7, 8, 9}, 0, 3);
      m.force();
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(-0.5f, b.getFloat(8 + 5 * Float.BYTES));
    assertEquals(8, b.getFloat(8 + Float.BYTES));
    // A writable mapping creates a missing file, zero-filled.
    Path fresh = dir.resolve("fresh.bin");
    try (OffHeapFloatMatrix m = OffHeapFloatMatrix.mapFile(fresh, 0, 4, 4, true, false)) {
      assertEquals(0, m.get(3, 3));
      m.set(3, 3, 1);
    }
    assertEquals(16 * Float.BYTES, Files.size(fresh));
  }

  @Test
  void mapsTheDataBlockOfAnNpyFile() throws IOException {
    FloatMatrix heap = random(5, 6, 9);
    Path file = dir.resolve("m.npy");
    Npy.write(file, heap.toDenseArray(), 5, 6);
    long dataStart = Files.size(file) - 5 * 6 * Float.BYTES;
    assertEquals(0, dataStart % 64, "numpy aligns the data to 64 bytes");
    try (OffHeapFloatMatrix m = OffHeapFloatMatrix.mapFile(file, dataStart, 5, 6, false, false)) {
      assertEquals(heap, m.toHeap());
    }
  }
}
