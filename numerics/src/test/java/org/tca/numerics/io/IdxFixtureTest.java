package org.tca.numerics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the repository's MNIST subset ({@code data/mnist-subset}, see its README; the build
 * passes its location as the system property {@code tca.mnist.subset}) and checks it against
 * values computed with Python's gzip and struct modules when it was added.
 */
class IdxFixtureTest {

  @TempDir
  Path dir;

  static Path fixture(String name) {
    String d = System.getProperty("tca.mnist.subset");
    assertTrue(d != null, "system property tca.mnist.subset not set (run the tests with Maven)");
    Path f = Path.of(d).resolve(name);
    assertTrue(Files.isRegularFile(f), "missing " + f);
    return f;
  }

  private static int[] labelCounts(NpyArray labels) {
    int[] counts = new int[10];
    for (byte b : labels.bytes()) {
      counts[b & 0xFF]++; // throws for a label outside 0..9
    }
    return counts;
  }

  private static long pixelSum(byte[] pixels, int from, int to) {
    long s = 0;
    for (int k = from; k < to; k++) {
      s += pixels[k] & 0xFF;
    }
    return s;
  }

  @Test
  void subsetFilesAreTheOnesSha256SumsLists() throws IOException, NoSuchAlgorithmException {
    String[][] sums = {
        {"train-images-idx3-ubyte.gz",
            "571b6e72464e95dfd5d756be302db312bf47ea7153b74c8a0b124d05b2792d84"},
        {"train-labels-idx1-ubyte.gz",
            "e89147b8d2a9e1d5319d6997890a5d3ec831a4ffa766829a59e0cc7a2e02274c"},
        {"t10k-images-idx3-ubyte.gz",
            "0e24ffde087cd71234ee15fa732520e8cdeef31b6cdd87cab34616f29ec981c3"},
        {"t10k-labels-idx1-ubyte.gz",
            "117d31905f07be5930ea1db77c68c0d9dcc63949ac343198a22cf1212e0fa0bf"},
    };
    for (String[] s : sums) {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(fixture(s[0])));
      assertEquals(s[1], HexFormat.of().formatHex(digest), s[0]);
    }
  }

  @Test
  void trainSplit() throws IOException {
    NpyArray images = Idx.readImages(fixture("train-images-idx3-ubyte.gz"));
    NpyArray labels = Idx.readLabels(fixture("train-labels-idx1-ubyte.gz"));
    assertEquals(NpyDtype.UINT8, images.dtype());
    assertArrayEquals(new long[] {7996, 28, 28}, images.shape());
    assertArrayEquals(new long[] {7996}, labels.shape());
    byte[] y = labels.bytes();
    byte[] firstTen = java.util.Arrays.copyOf(y, 10);
    assertArrayEquals(new byte[] {0, 2, 5, 2, 4, 1, 6, 2, 2, 1}, firstTen);
    assertEquals(9, y[7995]);
    assertArrayEquals(new int[] {800, 901, 792, 825, 784, 690, 811, 856, 755, 782}, labelCounts(labels));
    byte[] x = images.bytes();
    assertEquals(22732, pixelSum(x, 0, 784));
    assertEquals(209225317, pixelSum(x, 0, x.length));
    int[] row14 = new int[28];
    for (int j = 0; j < 28; j++) {
      row14[j] = x[14 * 28 + j] & 0xFF;
    }
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 94, 253, 253, 16, 0, 0, 0, 0, 0, 0,
        0, 0, 134, 163, 0, 0, 0, 0, 0}, row14);
    assertEquals(253.0, images.getAsDouble(14 * 28 + 10), "uint8 read unsigned");
  }

  @Test
  void testSplit() throws IOException {
    NpyArray images = Idx.read(fixture("t10k-images-idx3-ubyte.gz"));
    NpyArray labels = Idx.read(fixture("t10k-labels-idx1-ubyte.gz"));
    assertArrayEquals(new int[] {2004, 28, 28}, images.intShape());
    assertEquals(2004, labels.size());
    assertArrayEquals(new byte[] {6, 4, 0, 4, 6, 6, 0, 2, 8, 8},
        java.util.Arrays.copyOf(labels.bytes(), 10));
    assertEquals(1, labels.bytes()[2003]);
    assertArrayEquals(new int[] {201, 226, 199, 207, 196, 173, 203, 214, 189, 196}, labelCounts(labels));
    byte[] x = images.bytes();
    assertEquals(40002, pixelSum(x, 0, 784));
    assertEquals(52921283, pixelSum(x, 0, x.length));
    assertEquals(253, x[14 * 28 + 14] & 0xFF);
    assertEquals(15, x[784 + 10 * 28 + 10] & 0xFF);
  }

  /** Raw and gzipped copies read alike, whatever their names say. */
  @Test
  void compressionIsDetectedByContentNotName() throws IOException {
    for (String name : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
      Path gz = fixture(name);
      Path raw = dir.resolve("raw-but-named.gz");
      try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
        Files.write(raw, in.readAllBytes());
      }
      Path gzNoSuffix = dir.resolve("gzip-named.idx");
      Files.copy(gz, gzNoSuffix, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      NpyArray expected = Idx.read(gz);
      assertEquals(expected, Idx.read(raw), name);
      assertEquals(expected, Idx.read(gzNoSuffix), name);
    }
  }

  @Test
  void imagesAndLabelsAreNotInterchangeable() {
    Path labels = fixture("train-labels-idx1-ubyte.gz");
    MalformedFileException e = assertThrows(MalformedFileException.class,
        () -> Idx.readImages(labels));
    assertTrue(e.getMessage().startsWith(labels + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("expected magic 0x00000803 (uint8, 3 dimensions), found"
        + " 0x00000801 (uint8, 1 dimension)"), e.getMessage());
    assertThrows(MalformedFileException.class,
        () -> Idx.readLabels(fixture("train-images-idx3-ubyte.gz")));
  }
}
