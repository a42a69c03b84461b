package org.tca.numerics.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes numpy's .npy format (C order only). A file is the magic {@code \x93NUMPY},
 * the format version (major, minor bytes), the header length as a little-endian uint16 (1.0) or
 * uint32 (2.0, 3.0), then the header: a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and a
 * final {@code '\n'} so that the data starts at a multiple of 64 bytes, then
 * {@code prod(shape) * itemsize} bytes of data.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0 (UTF-8 header), any rank (0-d scalars and zero
 * extents included), and the dtypes of {@link NpyDtype} in either byte order (big-endian data is
 * converted; the result always has the little-endian dtype). Anything else is rejected with a
 * {@link MalformedFileException} naming the file and the problem; so is data shorter or longer
 * than the shape implies.
 *
 * <p>Writing produces exactly the bytes numpy (>= 1.24) writes for the same C-order array:
 * version 1.0 (2.0 only if the header exceeds 65535 bytes), keys in sorted order, the spare
 * space numpy leaves after the header for growing the first axis, alignment to 64 bytes.
 * Writes are atomic: the data goes to a temporary file in the target's directory that is then
 * renamed over the target, so a reader never sees a partial file.
 */
public final class Npy {

  /** The 6-byte magic string every .npy file starts with. */
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** Headers longer than this are refused (numpy itself refuses more than 10,000 bytes). */
  static final int MAX_HEADER_BYTES = 1 << 20;

  /** numpy's ARRAY_ALIGN: the data starts at a multiple of this many bytes. */
  static final int ALIGN = 64;

  /** numpy's GROWTH_AXIS_MAX_DIGITS: spare header space for a longer first axis. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  private Npy() {}

  // ------------------------------------------------------------------ read

  /** Reads a .npy file (see the class comment for what is accepted). */
  public static NpyArray read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      byte[] pre = readAt(ch, 0, (int) Math.min(12, fileSize));
      int magicFound = Math.min(pre.length, MAGIC.length);
      for (int k = 0; k < magicFound; k++) {
        if (pre[k] != MAGIC[k]) {
          throw new MalformedFileException(file, "bad magic: not a .npy file (it must start"
              + " with \\x93NUMPY, found " + hex(pre, magicFound) + ")");
        }
      }
      if (pre.length < 8) {
        throw new MalformedFileException(file, "truncated header: the file has only "
            + fileSize + " bytes");
      }
      int major = pre[6] & 0xFF;
      int minor = pre[7] & 0xFF;
      int lenBytes;
      if (major == 1 && minor == 0) {
        lenBytes = 2;
      } else if ((major == 2 || major == 3) && minor == 0) {
        lenBytes = 4;
      } else {
        throw new MalformedFileException(file, "unsupported .npy format version " + major + "."
            + minor + " (supported: 1.0, 2.0, 3.0)");
      }
      if (pre.length < 8 + lenBytes) {
        throw new MalformedFileException(file, "truncated header: the file has only "
            + fileSize + " bytes");
      }
      ByteBuffer lb = ByteBuffer.wrap(pre, 8, lenBytes).order(ByteOrder.LITTLE_ENDIAN);
      long headerLen = lenBytes == 2 ? lb.getShort() & 0xFFFF : lb.getInt() & 0xFFFFFFFFL;
      long dataStart = 8 + lenBytes + headerLen;
      if (headerLen > MAX_HEADER_BYTES) {
        throw new MalformedFileException(file, "header length " + headerLen
            + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
      }
      if (dataStart > fileSize) {
        throw new MalformedFileException(file, "truncated header: expected " + headerLen
            + " header bytes, found " + (fileSize - 8 - lenBytes));
      }
      String header = decodeHeader(file, readAt(ch, 8 + lenBytes, (int) headerLen), major);
      Header h = parseHeader(file, header);
      long expected = (long) h.size * h.dtype.itemSize();
      long found = fileSize - dataStart;
      if (found < expected) {
        throw new MalformedFileException(file, "truncated: expected " + expected
            + " bytes of data, found " + found);
      }
      if (found > expected) {
        throw new MalformedFileException(file, "trailing data: expected " + expected
            + " bytes of data, found " + found);
      }
      Object data = newArray(h.dtype, h.size);
      ByteOrder order = h.bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(order);
      long position = dataStart;
      int done = 0;
      while (done < h.size) {
        int count = Math.min(h.size - done, buf.capacity() / h.dtype.itemSize());
        buf.clear().limit(count * h.dtype.itemSize());
        while (buf.hasRemaining()) {
          int r = ch.read(buf, position + buf.position());
          if (r < 0) {
            throw new MalformedFileException(file, "truncated: the file shrank while being read");
          }
        }
        buf.flip();
        decode(buf, h.dtype, data, done, count);
        done += count;
        position += buf.limit();
      }
      return NpyArray.wrapOwned(h.dtype, h.shape, data);
    }
  }

  private record Header(NpyDtype dtype, boolean bigEndian, long[] shape, int size) {}

  private static String decodeHeader(Path file, byte[] bytes, int major) throws IOException {
    if (major < 3) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedFileException(file, "header is not valid UTF-8", e);
    }
  }

  private static Header parseHeader(Path file, String header) throws IOException {
    Object parsed;
    try {
      parsed = PyLiteral.parse(header);
    } catch (IllegalArgumentException e) {
      throw new MalformedFileException(file, "header is not a valid dict literal: "
          + e.getMessage() + " in " + abbreviate(header));
    }
    if (!(parsed instanceof Map<?, ?> dict)) {
      throw new MalformedFileException(file, "header is not a dict: " + abbreviate(header));
    }
    for (String key : List.of("descr", "fortran_order", "shape")) {
      if (!dict.containsKey(key)) {
        throw new MalformedFileException(file, "header is missing key '" + key + "': "
            + abbreviate(header));
      }
    }
    for (Object key : dict.keySet()) {
      if (!List.of("descr", "fortran_order", "shape").contains(key)) {
        throw new MalformedFileException(file, "header has unexpected key '" + key + "'");
      }
    }
    Object fortran = dict.get("fortran_order");
    if (!(fortran instanceof Boolean f)) {
      throw new MalformedFileException(file, "fortran_order is not True or False: " + fortran);
    }
    if (f) {
      throw new MalformedFileException(file, "fortran_order True (column-major data) is not"
          + " supported: save a C-order array, e.g. numpy.save(path, numpy.ascontiguousarray(a))");
    }
    Object descrValue = dict.get("descr");
    if (!(descrValue instanceof String descr)) {
      throw new MalformedFileException(file, "unsupported dtype: descr " + descrValue
          + " is a structured or non-string descriptor (supported: "
          + NpyDtype.supportedList() + ")");
    }
    NpyDtype dtype = descr.length() < 2 ? null : NpyDtype.ofKindAndSize(descr.substring(1));
    char order = descr.isEmpty() ? '?' : descr.charAt(0);
    boolean orderOk = dtype != null && (order == '<' || order == '>'
        || (order == '|' && dtype.itemSize() == 1));
    if (!orderOk) {
      throw new MalformedFileException(file, "unsupported dtype '" + descr + "' (supported: "
          + NpyDtype.supportedList() + ", and '>' big-endian forms)");
    }
    if (!(dict.get("shape") instanceof PyLiteral.Tuple tuple)) {
      throw new MalformedFileException(file, "shape is not a tuple: " + dict.get("shape"));
    }
    long[] shape = new long[tuple.items().size()];
    for (int k = 0; k < shape.length; k++) {
      Object d = tuple.items().get(k);
      if (!(d instanceof BigInteger b)) {
        throw new MalformedFileException(file, "shape entry " + k + " is not an integer: " + d);
      }
      if (b.signum() < 0) {
        throw new MalformedFileException(file, "shape has a negative entry: " + tuple.items());
      }
      if (b.bitLength() > 62) {
        throw new MalformedFileException(file, "shape entry " + k + " is too large: " + b);
      }
      shape[k] = b.longValue();
    }
    long size;
    try {
      size = NpyArray.checkedSize(shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedFileException(file, "unsupported: " + e.getMessage());
    }
    return new Header(dtype, order == '>', shape, (int) size);
  }

  // ------------------------------------------------------------------ write

  /** Writes a float32 array of the given shape (C order); see {@link #write(Path, NpyArray)}. */
  public static void write(Path file, float[] data, int... shape) throws IOException {
    write(file, NpyArray.wrapOwned(NpyDtype.FLOAT32, NpyArray.toLong(shape), data));
  }

  /** Writes a float64 array of the given shape (C order). */
  public static void write(Path file, double[] data, int... shape) throws IOException {
    write(file, NpyArray.wrapOwned(NpyDtype.FLOAT64, NpyArray.toLong(shape), data));
  }

  /** Writes an int32 array of the given shape (C order). */
  public static void write(Path file, int[] data, int... shape) throws IOException {
    write(file, NpyArray.wrapOwned(NpyDtype.INT32, NpyArray.toLong(shape), data));
  }

  /** Writes an int64 array of the given shape (C order). */
  public static void write(Path file, long[] data, int... shape) throws IOException {
    write(file, NpyArray.wrapOwned(NpyDtype.INT64, NpyArray.toLong(shape), data));
  }

  /** Writes {@code array} as a version 1.0 .npy file, atomically, replacing any old file. */
  public static void write(Path file, NpyArray array) throws IOException {
    byte[] header = header(array.dtype(), array.shape());
    NpyDtype dtype = array.dtype();
    AtomicFiles.write(file, ch -> {
      ch.write(ByteBuffer.wrap(header));
      ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      int done = 0;
      while (done < array.size()) {
        int count = Math.min(array.size() - done, buf.capacity() / dtype.itemSize());
        buf.clear();
        encode(array.rawData(), dtype, done, count, buf);
        buf.flip();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        done += count;
      }
    });
  }

  /**
   * The complete prefix numpy writes before the data (magic, version, length, padded header):
   * a multiple of 64 bytes.
   */
  static byte[] header(NpyDtype dtype, long[] shape) {
    StringBuilder sb = new StringBuilder("{'descr': '").append(dtype.descr())
        .append("', 'fortran_order': False, 'shape': ")
        .append(NpyArray.shapeString(shape)).append(", }");
    if (shape.length > 0) {
      sb.repeat(' ', Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
    }
    byte[] dict = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    int hlen = dict.length + 1;
    int lenBytes = 2;
    int pad = ALIGN - (8 + lenBytes + hlen) % ALIGN;
    if (hlen + pad > 0xFFFF) {
      lenBytes = 4;
      pad = ALIGN - (8 + lenBytes + hlen) % ALIGN;
    }
    ByteBuffer out = ByteBuffer.allocate(8 + lenBytes + hlen + pad).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) (lenBytes == 2 ? 1 : 2)).put((byte) 0);
    if (lenBytes == 2) {
      out.putShort((short) (hlen + pad));
    } else {
      out.putInt(hlen + pad);
    }
    out.put(dict);
    for (int k = 0; k < pad; k++) {
      out.put((byte) ' ');
    }
    out.put((byte) '\n');
    return out.array();
  }

  // ------------------------------------------------------------------ shared helpers

  /** Buffer size for chunked conversion: 64 KiB, a multiple of every item size. */
  static final int CHUNK_BYTES = 1 << 16;

  static Object newArray(NpyDtype dtype, int n) {
    return switch (dtype) {
      case FLOAT32 -> new float[n];
      case FLOAT64 -> new double[n];
      case INT8, UINT8 -> new byte[n];
      case INT16 -> new short[n];
      case INT32 -> new int[n];
      case INT64 -> new long[n];
    };
  }

  /** Reads count elements from buf (in its byte order) into dst[at ...]. */
  static void decode(ByteBuffer buf, NpyDtype dtype, Object dst, int at, int count) {
    switch (dtype) {
      case FLOAT32 -> buf.asFloatBuffer().get((float[]) dst, at, count);
      case FLOAT64 -> buf.asDoubleBuffer().get((double[]) dst, at, count);
      case INT8, UINT8 -> buf.get((byte[]) dst, at, count);
      case INT16 -> buf.asShortBuffer().get((short[]) dst, at, count);
      case INT32 -> buf.asIntBuffer().get((int[]) dst, at, count);
      case INT64 -> buf.asLongBuffer().get((long[]) dst, at, count);
    }
  }

  /** Writes src[at, at + count) into buf (in its byte order), advancing its position. */
  private static void encode(Object src, NpyDtype dtype, int at, int count, ByteBuffer buf) {
    switch (dtype) {
      case FLOAT32 -> buf.asFloatBuffer().put((float[]) src, at, count);
      case FLOAT64 -> buf.asDoubleBuffer().put((double[]) src, at, count);
      case INT8, UINT8 -> buf.put((byte[]) src, at, count);
      case INT16 -> buf.asShortBuffer().put((short[]) src, at, count);
      case INT32 -> buf.asIntBuffer().put((int[]) src, at, count);
      case INT64 -> buf.asLongBuffer().put((long[]) src, at, count);
    }
    if (dtype.itemSize() > 1) {
      buf.position(buf.position() + count * dtype.itemSize());
    }
  }

  private static byte[] readAt(FileChannel ch, long position, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        break;
      }
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  static String hex(byte[] b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < n; k++) {
      sb.append(k == 0 ? "" : " ").append(String.format("%02x", b[k] & 0xFF));
    }
    return n == 0 ? "nothing" : sb.toString();
  }

  private static String abbreviate(String header) {
    String h = header.strip();
    return h.length() <= 120 ? h : h.substring(0, 117) + "...";
  }
}
