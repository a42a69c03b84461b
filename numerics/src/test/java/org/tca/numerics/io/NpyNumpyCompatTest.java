package org.tca.numerics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte-exact agreement with numpy. The base64 blobs are complete files written by
 * {@code numpy.save} (numpy 2.4.6) for the arrays named next to them; the header texts, space
 * counts and lengths were read off those files. They are the oracle: nothing here recomputes
 * numpy's padding rule.
 */
class NpyNumpyCompatTest {

  @TempDir
  Path dir;

  /** np.arange(6, dtype='<f4').reshape(2, 3). */
  static final String F4_2X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBAAACAQAAAoEA=";
  /** np.array(1.5, dtype='<f8'), a 0-d scalar. */
  static final String F8_SCALAR = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4Pw==";
  /** np.zeros((0,), dtype='<i4'). */
  static final String I4_EMPTY = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=";
  /** np.zeros((2, 0, 3), dtype='<i8'). */
  static final String I8_2X0X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=";
  /** np.array([0, 128, 255], dtype='u1'). */
  static final String U1_3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAgP8=";
  /** np.array([-7], dtype='i1').reshape(1, 1, 1, 1). */
  static final String I1_1X1X1X1 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfGkxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDEsIDEsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr5";
  /** np.array([[1, -2], [300, -32768]], dtype='<i2'). */
  static final String I2_2X2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGkyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAP7/LAEAgA==";
  /** np.zeros((1,) * 12, dtype='<f4'): rank 12, header still 118 bytes. */
  static final String F4_RANK12 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAA";
  /** np.zeros((1,) * 30, dtype='<f4'): rank 30, header 182 bytes (data at 192). */
  static final String F4_RANK30 = "k05VTVBZAQC2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAA==";
  /** np.zeros((123456789, 0), dtype='<f8'): a long first axis leaves less spare space. */
  static final String F8_LONG_AXIS_EMPTY = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEyMzQ1Njc4OSwgMCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=";
  /** np.array([1.0, -2.5], dtype='>f4'): big-endian. */
  static final String F4_BIG_ENDIAN = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/gAAAwCAAAA==";
  /** np.array([[1, -2], [3, 4]], dtype='>i8'): big-endian. */
  static final String I8_BIG_ENDIAN = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAf/////////+AAAAAAAAAAMAAAAAAAAABA==";
  /** np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)): fortran_order True. */
  static final String F4_FORTRAN = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=";
  /** format.write_array(f, np.array([[1.5, 2.5, -3.0]]), version=(2, 0)). */
  static final String F8_V2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMSwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAARAAAAAAAAACMA=";
  /** format.write_array(f, np.array([7, 8], dtype='<i4'), version=(3, 0)). */
  static final String I4_V3 = "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoHAAAACAAAAA==";

  static byte[] bytes(String base64) {
    return Base64.getDecoder().decode(base64);
  }

  private static int[] ones(int n) {
    int[] s = new int[n];
    java.util.Arrays.fill(s, 1);
    return s;
  }

  private Path file(String name, String base64) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, bytes(base64));
    return f;
  }

  /** What numpy writes for these arrays, this library reads as the same arrays. */
  @Test
  void readsWhatNumpyWrites() throws IOException {
    assertEquals(NpyArray.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3), Npy.read(file("a", F4_2X3)));
    NpyArray scalar = Npy.read(file("b", F8_SCALAR));
    assertEquals(0, scalar.rank());
    assertEquals(1, scalar.size());
    assertEquals(1.5, scalar.doubles()[0]);
    assertEquals(NpyArray.of(new int[0], 0), Npy.read(file("c", I4_EMPTY)));
    assertEquals(NpyArray.of(new long[0], 2, 0, 3), Npy.read(file("d", I8_2X0X3)));
    NpyArray u1 = Npy.read(file("e", U1_3));
    assertEquals(NpyDtype.UINT8, u1.dtype());
    assertEquals(255.0, u1.getAsDouble(2));
    assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255}, u1.bytes());
    assertEquals(NpyArray.ofInt8(new byte[] {-7}, 1, 1, 1, 1), Npy.read(file("f", I1_1X1X1X1)));
    assertEquals(NpyArray.of(new short[] {1, -2, 300, -32768}, 2, 2),
        Npy.read(file("g", I2_2X2)));
    assertEquals(NpyArray.of(new float[1], 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
        Npy.read(file("h", F4_RANK12)));
    assertEquals(NpyArray.of(new float[1], ones(30)), Npy.read(file("i", F4_RANK30)));
    NpyArray longAxis = Npy.read(file("j", F8_LONG_AXIS_EMPTY));
    assertArrayEquals(new long[] {123456789, 0}, longAxis.shape());
    assertEquals(0, longAxis.size());
  }

  @Test
  void readsBigEndianDataConvertingToLittleEndianDtypes() throws IOException {
    assertEquals(NpyArray.of(new float[] {1.0f, -2.5f}, 2), Npy.read(file("a", F4_BIG_ENDIAN)));
    assertEquals(NpyArray.of(new long[] {1, -2, 3, 4}, 2, 2), Npy.read(file("b", I8_BIG_ENDIAN)));
  }

  @Test
  void readsVersions2And3() throws IOException {
    assertEquals(NpyArray.of(new double[] {1.5, 2.5, -3.0}, 1, 3), Npy.read(file("a", F8_V2)));
    assertEquals(NpyArray.of(new int[] {7, 8}, 2), Npy.read(file("b", I4_V3)));
  }

  /** Writing the same arrays gives numpy's bytes exactly. */
  @Test
  void writesExactlyWhatNumpyWrites() throws IOException {
    Object[][] cases = {
        {F4_2X3, NpyArray.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3)},
        {F8_SCALAR, NpyArray.of(new double[] {1.5})},
        {I4_EMPTY, NpyArray.of(new int[0], 0)},
        {I8_2X0X3, NpyArray.of(new long[0], 2, 0, 3)},
        {U1_3, NpyArray.ofUint8(new byte[] {0, (byte) 128, (byte) 255}, 3)},
        {I1_1X1X1X1, NpyArray.ofInt8(new byte[] {-7}, 1, 1, 1, 1)},
        {I2_2X2, NpyArray.of(new short[] {1, -2, 300, -32768}, 2, 2)},
        {F4_RANK12, NpyArray.of(new float[1], 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)},
        {F4_RANK30, NpyArray.of(new float[1], ones(30))},
        {F8_LONG_AXIS_EMPTY, NpyArray.of(new double[0], 123456789, 0)},
    };
    for (int k = 0; k < cases.length; k++) {
      Path f = dir.resolve("w" + k + ".npy");
      Npy.write(f, (NpyArray) cases[k][1]);
      assertArrayEquals(bytes((String) cases[k][0]), Files.readAllBytes(f), "case " + k);
    }
  }

  /**
   * The header layout, spelled out from numpy's files: magic, version 1.0, uint16 length, the
   * dict, spaces, '\n', with the data at a multiple of 64.
   */
  @Test
  void headerLayoutMatchesNumpysFiles() {
    assertHeader(NpyDtype.FLOAT32, new long[] {2, 3},
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 58, 118);
    assertHeader(NpyDtype.FLOAT64, new long[0],
        "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 62, 118);
    assertHeader(NpyDtype.INT32, new long[] {0},
        "{'descr': '<i4', 'fortran_order': False, 'shape': (0,), }", 60, 118);
    assertHeader(NpyDtype.INT64, new long[] {2, 0, 3},
        "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 0, 3), }", 55, 118);
    assertHeader(NpyDtype.UINT8, new long[] {3},
        "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", 60, 118);
    assertHeader(NpyDtype.INT8, new long[] {1, 1, 1, 1},
        "{'descr': '|i1', 'fortran_order': False, 'shape': (1, 1, 1, 1), }", 52, 118);
    assertHeader(NpyDtype.FLOAT64, new long[] {123456789, 0},
        "{'descr': '<f8', 'fortran_order': False, 'shape': (123456789, 0), }", 50, 118);
    // Near the 128-byte boundary numpy's spare growth space decides the header length: these
    // three differ by one character and straddle it (with no spare space all would fit 118).
    assertHeader(NpyDtype.FLOAT32, new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 10},
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,"
            + " 1, 10), }", 21, 118);
    assertHeader(NpyDtype.FLOAT32, new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100},
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,"
            + " 1, 100), }", 84, 182);
    assertHeader(NpyDtype.FLOAT32, new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,"
            + " 1, 1, 1), }", 83, 182);
  }

  private static void assertHeader(NpyDtype dtype, long[] shape, String dict, int spaces,
      int headerLen) {
    byte[] h = Npy.header(dtype, shape);
    assertEquals(0, h.length % 64, "data starts at a multiple of 64");
    assertEquals(10 + headerLen, h.length);
    assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
        (byte) headerLen, (byte) (headerLen >> 8)}, java.util.Arrays.copyOf(h, 10));
    String text = new String(h, 10, h.length - 10, StandardCharsets.ISO_8859_1);
    assertEquals(dict + " ".repeat(spaces) + "\n", text);
    assertTrue(text.endsWith("\n"));
  }
}
