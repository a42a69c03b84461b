package org.tca.numerics.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of malformed .npy file is rejected with a message naming the file and problem. */
class NpyMalformedTest {

  @TempDir
  Path dir;

  private int count;

  /** A .npy file with the given version, header text (padded by '\n' only) and data bytes. */
  static byte[] npy(int major, int minor, String header, int dataBytes) {
    byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int lenBytes = major == 1 ? 2 : 4;
    ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + h.length + 1 + dataBytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put(Npy.MAGIC).put((byte) major).put((byte) minor);
    if (lenBytes == 2) {
      b.putShort((short) (h.length + 1));
    } else {
      b.putInt(h.length + 1);
    }
    b.put(h).put((byte) '\n');
    return b.array();
  }

  static String dict(String descr, String fortran, String shape) {
    return "{'descr': " + descr + ", 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
  }

  /** Writes bytes to a fresh file, reads it, and checks the exception's file and message. */
  private MalformedFileException reject(byte[] bytes, String... fragments) throws IOException {
    Path f = dir.resolve("bad" + count++ + ".npy");
    Files.write(f, bytes);
    MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npy.read(f));
    assertEquals(f, e.file());
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    for (String frag : fragments) {
      assertTrue(e.getMessage().contains(frag), "expected '" + frag + "' in: " + e.getMessage());
    }
    return e;
  }

  private static byte[] valid() {
    return NpyNumpyCompatTest.bytes(NpyNumpyCompatTest.F4_2X3);
  }

  @Test
  void theValidBaseFileReads() throws IOException {
    Path f = dir.resolve("ok.npy");
    Files.write(f, valid());
    assertEquals(6, Npy.read(f).size());
    Files.write(f, npy(1, 0, dict("'<f4'", "False", "(2, 3)"), 24));
    assertEquals(6, Npy.read(f).size(), "unpadded headers are accepted");
    Files.write(f, npy(1, 0, "{\"shape\": (2L, 3L), \"descr\": \"<f4\", \"fortran_order\": False}",
        24));
    assertEquals(6, Npy.read(f).size(), "key order, double quotes and Python 2 longs are fine");
  }

  @Test
  void badMagic() throws IOException {
    byte[] b = valid();
    b[1] = 'X';
    reject(b, "bad magic", "93 58 55 4d 50 59");
    reject("hello, world".getBytes(StandardCharsets.US_ASCII), "bad magic");
    reject(Arrays.copyOf(valid(), 3), "truncated header", "only 3 bytes");
    reject(new byte[0], "truncated header", "only 0 bytes");
  }

  @Test
  void unsupportedVersion() throws IOException {
    byte[] b = valid();
    b[6] = 4;
    reject(b, "unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)");
    b = valid();
    b[7] = 1;
    reject(b, "version 1.1");
  }

  @Test
  void truncatedHeader() throws IOException {
    reject(Arrays.copyOf(valid(), 9), "truncated header", "only 9 bytes");
    reject(Arrays.copyOf(valid(), 50), "truncated header: expected 118 header bytes, found 40");
    byte[] v2 = npy(2, 0, dict("'<f4'", "False", "(2, 3)"), 24);
    reject(Arrays.copyOf(v2, 11), "truncated header", "only 11 bytes");
    ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, Integer.MAX_VALUE);
    reject(v2, "header length 2147483647 exceeds the limit");
  }

  @Test
  void headerNotAValidDict() throws IOException {
    reject(npy(1, 0, "[1, 2, 3]", 0), "header is not a dict");
    reject(npy(1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ", 24),
        "header is not a valid dict literal");
    reject(npy(1, 0, "{'descr': '<f4' 'fortran_order': False}", 24), "not a valid dict");
    reject(npy(1, 0, dict("'<f4'", "False", "(2, 3)") + " junk", 24), "not a valid dict");
    reject(npy(1, 0, "{1: 2}", 0), "not a valid dict", "not a string");
    reject(npy(1, 0, dict("'<f4", "False", "(2, 3)"), 24), "not a valid dict");
    byte[] badUtf8 = npy(3, 0, dict("'<f4'", "False", "(2, 3)"), 24);
    badUtf8[15] = (byte) 0xC3; // a lone UTF-8 lead byte inside 'descr'
    reject(badUtf8, "not valid UTF-8");
  }

  @Test
  void missingOrUnexpectedKeys() throws IOException {
    reject(npy(1, 0, "{'descr': '<f4', 'fortran_order': False}", 4), "missing key 'shape'");
    reject(npy(1, 0, "{'descr': '<f4', 'shape': (1,)}", 4), "missing key 'fortran_order'");
    reject(npy(1, 0, "{'fortran_order': False, 'shape': (1,)}", 4), "missing key 'descr'");
    reject(npy(1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", 4),
        "unexpected key 'x'");
    reject(npy(1, 0, dict("'<f4'", "0", "(1,)"), 4), "fortran_order is not True or False");
  }

  @Test
  void unknownOrUnsupportedDtypes() throws IOException {
    for (String descr : new String[] {"<f2", "<c8", "|b1", "<U10", "xyz", "", "|f4", "=f4",
        "<u4", "f4"}) {
      reject(npy(1, 0, dict("'" + descr + "'", "False", "(1,)"), 4),
          "unsupported dtype '" + descr + "'", "supported: <f4, <f8, |i1, |u1, <i2, <i4, <i8");
    }
    reject(npy(1, 0, dict("[('a', '<f4')]", "False", "(1,)"), 4), "unsupported dtype",
        "structured");
    reject(npy(1, 0, dict("None", "False", "(1,)"), 4), "unsupported dtype");
  }

  @Test
  void fortranOrderIsRejected() throws IOException {
    reject(NpyNumpyCompatTest.bytes(NpyNumpyCompatTest.F4_FORTRAN),
        "fortran_order True (column-major data) is not supported");
  }

  @Test
  void badShapes() throws IOException {
    reject(npy(1, 0, dict("'<f4'", "False", "(2, -3)"), 0), "shape has a negative entry");
    reject(npy(1, 0, dict("'<f4'", "False", "(-1,)"), 0), "negative");
    reject(npy(1, 0, dict("'<f4'", "False", "[2, 3]"), 24), "shape is not a tuple");
    reject(npy(1, 0, dict("'<f4'", "False", "(6)"), 24), "shape is not a tuple");
    reject(npy(1, 0, dict("'<f4'", "False", "(2, 'a')"), 0), "shape entry 1 is not an integer");
    reject(npy(1, 0, dict("'<f4'", "False", "(99999999999999999999999,)"), 0), "too large");
    reject(npy(1, 0, dict("'<f4'", "False", "(65536, 65536)"), 0),
        "more elements than a Java array holds");
  }

  @Test
  void dataShorterOrLongerThanTheShapeImplies() throws IOException {
    byte[] b = valid();
    reject(Arrays.copyOf(b, b.length - 4), "truncated: expected 24 bytes of data, found 20");
    reject(Arrays.copyOf(b, 128), "truncated: expected 24 bytes of data, found 0");
    reject(Arrays.copyOf(b, b.length + 3), "trailing data: expected 24 bytes of data, found 27");
    reject(npy(1, 0, dict("'<f8'", "False", "()"), 4), "expected 8 bytes of data, found 4");
    reject(npy(1, 0, dict("'<i4'", "False", "(0, 3)"), 1), "expected 0 bytes of data, found 1");
  }
}
