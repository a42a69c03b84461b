package org.tca.numerics.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of the MNIST database. A file is a 4-byte magic number
 * {@code 0x00 0x00 T R} (T: type code, R: number of dimensions), R big-endian int32 extents,
 * then {@code prod(extents)} big-endian elements in C order. MNIST images have magic
 * {@code 0x00000803} (uint8, N x 28 x 28) and labels {@code 0x00000801} (uint8, N).
 *
 * <p>Type codes: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64;
 * the result is an {@link NpyArray} of the matching {@link NpyDtype}, with the extents as its
 * shape (uint8 data is a byte[] read as {@code b & 0xFF}). A file may be raw or gzip-compressed;
 * compression is detected by the gzip magic bytes {@code 1f 8b}, not by the file name.
 *
 * <p>Malformed files are rejected with a {@link MalformedFileException} naming the file and the
 * problem: bad magic, unsupported type code, negative extents, truncated header or data,
 * trailing bytes after the data (also when they come as a further gzip member), corrupt or
 * truncated gzip data. Bytes after the end of a gzip stream that do not form another gzip
 * member are skipped by the JDK's {@link GZIPInputStream} (as {@code gzip -d} does, with a
 * warning) and so are not reported.
 */
public final class Idx {

  /** Magic number of MNIST image files: uint8, 3 dimensions. */
  public static final int MAGIC_UBYTE_3D = 0x00000803;

  /** Magic number of MNIST label files: uint8, 1 dimension. */
  public static final int MAGIC_UBYTE_1D = 0x00000801;

  private static final int BUFFER = 1 << 16;

  private Idx() {}

  /** Reads any supported IDX file, raw or gzipped. */
  public static NpyArray read(Path file) throws IOException {
    return read(file, -1);
  }

  /** Reads an MNIST image file: magic 0x00000803 (uint8, N x rows x cols). */
  public static NpyArray readImages(Path file) throws IOException {
    return read(file, MAGIC_UBYTE_3D);
  }

  /** Reads an MNIST label file: magic 0x00000801 (uint8, N). */
  public static NpyArray readLabels(Path file) throws IOException {
    return read(file, MAGIC_UBYTE_1D);
  }

  private static NpyArray read(Path file, int requiredMagic) throws IOException {
    long fileSize = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      if (!gzip) {
        return parse(file, raw, fileSize, requiredMagic);
      }
      try (InputStream in = new GZIPInputStream(raw, BUFFER)) {
        return parse(file, in, -1, requiredMagic);
      } catch (ZipException | EOFException e) {
        throw new MalformedFileException(file, "corrupt or truncated gzip data: "
            + e.getMessage(), e);
      }
    }
  }

  /**
   * Parses the stream; {@code rawSize} is the byte count of an uncompressed file (it lets
   * truncation be reported before allocating), -1 for a compressed one.
   */
  private static NpyArray parse(Path file, InputStream in, long rawSize, int requiredMagic)
      throws IOException {
    byte[] head = new byte[4];
    int got = in.readNBytes(head, 0, 4);
    if (got > 0 && head[0] != 0 || got > 1 && head[1] != 0) {
      throw new MalformedFileException(file, "bad magic: an IDX file starts with two zero"
          + " bytes, found " + Npy.hex(head, got));
    }
    if (got < 4) {
      throw new MalformedFileException(file, "truncated header: the 4-byte magic number is"
          + " incomplete (found " + got + " bytes)");
    }
    int magic = ByteBuffer.wrap(head).getInt();
    int typeCode = head[2] & 0xFF;
    int rank = head[3] & 0xFF;
    NpyDtype dtype = switch (typeCode) {
      case 0x08 -> NpyDtype.UINT8;
      case 0x09 -> NpyDtype.INT8;
      case 0x0B -> NpyDtype.INT16;
      case 0x0C -> NpyDtype.INT32;
      case 0x0D -> NpyDtype.FLOAT32;
      case 0x0E -> NpyDtype.FLOAT64;
      default -> throw new MalformedFileException(file, String.format("unsupported type code"
          + " 0x%02X in magic 0x%08X (supported: 0x08 uint8, 0x09 int8, 0x0B int16,"
          + " 0x0C int32, 0x0D float32, 0x0E float64)", typeCode, magic));
    };
    if (requiredMagic >= 0 && magic != requiredMagic) {
      throw new MalformedFileException(file, String.format("expected magic 0x%08X (%s, %d"
          + " dimension%s), found 0x%08X (%s, %d dimension%s)", requiredMagic,
          NpyDtype.UINT8.numpyName(), requiredMagic & 0xFF, (requiredMagic & 0xFF) == 1 ? "" : "s",
          magic, dtype.numpyName(), rank, rank == 1 ? "" : "s"));
    }
    byte[] dimBytes = new byte[4 * rank];
    got = in.readNBytes(dimBytes, 0, dimBytes.length);
    if (got < dimBytes.length) {
      throw new MalformedFileException(file, "truncated header: " + rank + " dimensions need "
          + dimBytes.length + " bytes of extents, found " + got);
    }
    ByteBuffer db = ByteBuffer.wrap(dimBytes);
    long[] shape = new long[rank];
    for (int k = 0; k < rank; k++) {
      shape[k] = db.getInt();
      if (shape[k] < 0) {
        throw new MalformedFileException(file, "dimension " + k + " is negative ("
            + shape[k] + ")");
      }
    }
    int size;
    try {
      size = (int) NpyArray.checkedSize(shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedFileException(file, "unsupported: " + e.getMessage());
    }
    long expected = (long) size * dtype.itemSize();
    if (rawSize >= 0) {
      long found = rawSize - 4 - dimBytes.length;
      if (found != expected) {
        throw new MalformedFileException(file, (found < expected ? "truncated" : "trailing data")
            + ": expected " + expected + " bytes of data, found " + found);
      }
    }
    Object data = Npy.newArray(dtype, size);
    ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.BIG_ENDIAN);
    int done = 0;
    while (done < size) {
      int count = Math.min(size - done, BUFFER / dtype.itemSize());
      int want = count * dtype.itemSize();
      int n = in.readNBytes(buf.array(), 0, want);
      if (n < want) {
        throw new MalformedFileException(file, "truncated: expected " + expected
            + " bytes of data, found " + ((long) done * dtype.itemSize() + n));
      }
      buf.clear().limit(want);
      Npy.decode(buf, dtype, data, done, count);
      done += count;
    }
    long extra = 0;
    while (in.read() >= 0) {
      extra += 1 + in.skip(Long.MAX_VALUE);
    }
    if (extra > 0) {
      throw new MalformedFileException(file, "trailing data: expected " + expected
          + " bytes of data, found " + (expected + extra));
    }
    return NpyArray.wrapOwned(dtype, shape, data);
  }
}
