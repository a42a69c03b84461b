package org.tca.numerics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the committed MNIST fixture (src/test/resources/mnist-fixture, see its README) and checks
 * it against values computed with numpy when the fixture was made.
 */
class IdxFixtureTest {

  @TempDir
  Path dir;

  static Path fixture(String name) {
    try {
      return Path.of(IdxFixtureTest.class.getResource("/mnist-fixture/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new AssertionError("missing test resource mnist-fixture/" + name, e);
    }
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
  void fixtureFilesAreTheOnesTheReadmeDescribes() throws IOException, NoSuchAlgorithmException {
    String[][] sums = {
        {"train-images-idx3-ubyte.gz",
            "fe21ad7c45ef8e99dc4ec81fac07c94b8b85abf3cb179a8eb7e93383c1a1cc88"},
        {"train-labels-idx1-ubyte.gz",
            "a7c73755d7f02661c16586700dfad43c573c05c777db4a3ef4ee006ac007645f"},
        {"t10k-images-idx3-ubyte.gz",
            "327f6c0aa8d4ece6d02e49f284a8eb1d275f532b887166379b08e0d7e98807ea"},
        {"t10k-labels-idx1-ubyte.gz",
            "bade694b80d1e9f48100b632cb63e34afe5808f8a69b4b8df63d25f49ed7aa3f"},
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
    assertArrayEquals(new long[] {200, 28, 28}, images.shape());
    assertArrayEquals(new long[] {200}, labels.shape());
    byte[] y = labels.bytes();
    byte[] firstTen = java.util.Arrays.copyOf(y, 10);
    assertArrayEquals(new byte[] {0, 2, 5, 2, 4, 1, 6, 2, 2, 1}, firstTen);
    assertEquals(4, y[199]);
    assertArrayEquals(new int[] {13, 23, 24, 23, 23, 19, 19, 16, 19, 21}, labelCounts(labels));
    byte[] x = images.bytes();
    assertEquals(22732, pixelSum(x, 0, 784));
    assertEquals(5223151, pixelSum(x, 0, x.length));
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
    assertArrayEquals(new int[] {100, 28, 28}, images.intShape());
    assertEquals(100, labels.size());
    assertArrayEquals(new byte[] {6, 4, 0, 4, 6, 6, 0, 2, 8, 8},
        java.util.Arrays.copyOf(labels.bytes(), 10));
    assertEquals(9, labels.bytes()[99]);
    assertArrayEquals(new int[] {12, 10, 10, 8, 12, 5, 14, 8, 8, 13}, labelCounts(labels));
    byte[] x = images.bytes();
    assertEquals(40002, pixelSum(x, 0, 784));
    assertEquals(2722289, pixelSum(x, 0, x.length));
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
