package org.tca.rules.task;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Helpers for the task tests: parameter maps and tiny IDX files. */
final class TaskTestSupport {

  private TaskTestSupport() {}

  /** A parameter map from alternating keys and values. */
  static Map<String, String> params(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int k = 0; k < kv.length; k += 2) {
      m.put(kv[k], kv[k + 1]);
    }
    return m;
  }

  static Task create(String task, String... kv) {
    try {
      return Tasks.create(task, params(kv));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Writes an IDX file: magic 0x0000 08 rank, big-endian extents, then the bytes. */
  static void writeIdx(Path file, byte[] data, boolean gzip, int... dims) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(4 + 4 * dims.length);
    head.putInt(0x0800 | dims.length);
    for (int d : dims) {
      head.putInt(d);
    }
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
      out.write(head.array());
      out.write(data);
    }
  }

  /**
   * A tiny MNIST directory: nTrain and nTest images whose pixel (r, c) of image k is
   * {@code (7 k + 3 r + c) mod 256} and label {@code k mod 10}. Train files gzipped, test raw.
   */
  static Path writeMnist(Path dir, int nTrain, int nTest) throws IOException {
    writeSplit(dir, "train", nTrain, true);
    writeSplit(dir, "t10k", nTest, false);
    return dir;
  }

  private static void writeSplit(Path dir, String prefix, int n, boolean gzip)
      throws IOException {
    String ext = gzip ? ".gz" : "";
    writeIdx(dir.resolve(prefix + "-images-idx3-ubyte" + ext), pixels(n), gzip, n, 28, 28);
    byte[] labels = new byte[n];
    for (int k = 0; k < n; k++) {
      labels[k] = (byte) (k % 10);
    }
    writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), labels, gzip, n);
  }

  static int pixel(int k, int r, int c) {
    return (7 * k + 3 * r + c) & 0xFF;
  }

  private static byte[] pixels(int n) {
    byte[] p = new byte[n * 784];
    for (int k = 0; k < n; k++) {
      for (int r = 0; r < 28; r++) {
        for (int c = 0; c < 28; c++) {
          p[k * 784 + r * 28 + c] = (byte) pixel(k, r, c);
        }
      }
    }
    return p;
  }
}
