package org.tca.numerics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** General IDX types, and every kind of malformed IDX file, raw and gzipped. */
class IdxMalformedTest {

  @TempDir
  Path dir;

  private int count;

  /** An IDX file: magic 00 00 type rank, big-endian dims, then the given data bytes. */
  static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path write(byte[] bytes) throws IOException {
    Path f = dir.resolve("f" + count++);
    Files.write(f, bytes);
    return f;
  }

  /** Rejects the raw bytes and their gzipped form, with the same message fragments. */
  private void reject(byte[] raw, String... fragments) throws IOException {
    rejectExactly(raw, fragments);
    rejectExactly(gzip(raw), fragments);
  }

  private void rejectExactly(byte[] bytes, String... fragments) throws IOException {
    Path f = write(bytes);
    MalformedFileException e = assertThrows(MalformedFileException.class, () -> Idx.read(f));
    assertEquals(f, e.file());
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    for (String frag : fragments) {
      assertTrue(e.getMessage().contains(frag), "expected '" + frag + "' in: " + e.getMessage());
    }
  }

  @Test
  void readsEveryTypeCodeBigEndian() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(48);
    b.putShort((short) -2).putShort((short) 513);
    assertEquals(NpyArray.of(new short[] {-2, 513}, 2), Idx.read(write(idx(0x0B, new int[] {2},
        Arrays.copyOf(b.array(), 4)))));
    b.clear();
    b.putInt(-7).putInt(1 << 20).putInt(3);
    assertEquals(NpyArray.of(new int[] {-7, 1 << 20, 3}, 3, 1),
        Idx.read(write(gzip(idx(0x0C, new int[] {3, 1}, Arrays.copyOf(b.array(), 12))))));
    b.clear();
    b.putFloat(1.5f).putFloat(-0.25f);
    assertEquals(NpyArray.of(new float[] {1.5f, -0.25f}, 1, 2),
        Idx.read(write(idx(0x0D, new int[] {1, 2}, Arrays.copyOf(b.array(), 8)))));
    b.clear();
    b.putDouble(Math.PI);
    assertEquals(NpyArray.of(new double[] {Math.PI}, 1),
        Idx.read(write(idx(0x0E, new int[] {1}, Arrays.copyOf(b.array(), 8)))));
    NpyArray i8 = Idx.read(write(idx(0x09, new int[] {2}, new byte[] {-1, 5})));
    assertEquals(NpyArray.ofInt8(new byte[] {-1, 5}, 2), i8);
    NpyArray u8 = Idx.read(write(idx(0x08, new int[] {2}, new byte[] {-1, 5})));
    assertEquals(255.0, u8.getAsDouble(0));
    assertArrayEquals(new long[] {0, 28, 28},
        Idx.read(write(idx(0x08, new int[] {0, 28, 28}, new byte[0]))).shape());
    assertEquals(0, Idx.read(write(idx(0x08, new int[0], new byte[] {9}))).rank(), "a scalar");
  }

  /** Data larger than the reader's 64 KiB chunks, raw and gzipped. */
  @Test
  void readsMultiChunkData() throws IOException {
    int n = 40_000;
    ByteBuffer b = ByteBuffer.allocate(8 * n);
    double[] expected = new double[n];
    for (int k = 0; k < n; k++) {
      expected[k] = k * 0.5 - 3;
      b.putDouble(expected[k]);
    }
    byte[] raw = idx(0x0E, new int[] {200, 200}, b.array());
    assertEquals(NpyArray.of(expected, 200, 200), Idx.read(write(raw)));
    assertEquals(NpyArray.of(expected, 200, 200), Idx.read(write(gzip(raw))));
  }

  @Test
  void badMagic() throws IOException {
    byte[] b = idx(0x08, new int[] {1}, new byte[] {1});
    b[0] = 1;
    reject(b, "bad magic", "01 00 08 01");
    b = idx(0x08, new int[] {1}, new byte[] {1});
    b[1] = 0x08;
    reject(b, "bad magic");
    reject("P5\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "bad magic");
  }

  @Test
  void unsupportedTypeCode() throws IOException {
    reject(idx(0x0A, new int[] {1}, new byte[] {1}),
        "unsupported type code 0x0A in magic 0x00000A01");
    reject(idx(0x07, new int[] {1}, new byte[] {1}), "unsupported type code 0x07");
  }

  @Test
  void truncatedHeader() throws IOException {
    reject(new byte[0], "truncated header", "found 0 bytes");
    reject(new byte[] {0, 0, 8}, "truncated header", "found 3 bytes");
    byte[] b = idx(0x08, new int[] {2, 3, 4}, new byte[0]);
    reject(Arrays.copyOf(b, 10), "truncated header: 3 dimensions need 12 bytes of extents,"
        + " found 6");
  }

  @Test
  void negativeDims() throws IOException {
    reject(idx(0x08, new int[] {2, -3}, new byte[0]), "dimension 1 is negative (-3)");
    reject(idx(0x08, new int[] {Integer.MIN_VALUE}, new byte[0]), "dimension 0 is negative");
  }

  @Test
  void tooManyElements() throws IOException {
    reject(idx(0x08, new int[] {65536, 65536}, new byte[0]),
        "more elements than a Java array holds");
  }

  @Test
  void truncatedData() throws IOException {
    reject(idx(0x0C, new int[] {3}, new byte[10]), "truncated: expected 12 bytes of data,"
        + " found 10");
    reject(idx(0x08, new int[] {2, 2}, new byte[0]), "truncated: expected 4 bytes of data,"
        + " found 0");
  }

  @Test
  void trailingGarbage() throws IOException {
    reject(idx(0x0C, new int[] {3}, new byte[15]), "trailing data: expected 12 bytes of data,"
        + " found 15");
    reject(idx(0x08, new int[] {0}, new byte[1]), "trailing data: expected 0 bytes of data,"
        + " found 1");
  }

  @Test
  void corruptGzip() throws IOException {
    byte[] gz = gzip(idx(0x08, new int[] {100}, new byte[100]));
    rejectExactly(Arrays.copyOf(gz, gz.length - 12), "corrupt or truncated gzip data");
    byte[] flipped = gz.clone();
    flipped[gz.length - 6] ^= 0x55; // the CRC-32 / size trailer
    rejectExactly(flipped, "corrupt or truncated gzip data");
    rejectExactly(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}, "corrupt or truncated gzip data");
  }
}
