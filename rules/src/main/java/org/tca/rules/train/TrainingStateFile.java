package org.tca.rules.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.tca.numerics.io.AtomicFiles;
import org.tca.rules.optim.FloatOptimizerState;
import org.tca.rules.task.MinibatchSampler;

/**
 * Reads and writes a {@link TrainingState} as one binary file (big-endian, every float and
 * double as its raw bits, so a round trip is exact):
 *
 * <pre>
 *   "TCASTATE" (8 bytes) | version int (2) | fingerprint | iteration long | updater long
 *   | params: int n, n floats | optimizer: kind, int a, a x (name, int n, n floats),
 *     int c, c x (name, long) | sampler: int n, n ints (order), int cursor, long epochs,
 *     long batches, long stream position
 *   | intervalLossSum double | intervalCount long | lastNorm double
 *   | status int (ordinal) | divergedAt long | reason
 *   | int points, each: iteration long, 10 doubles (the record's order), int p, p x (name, double)
 *   | CRC-32 of everything before, as a long
 * </pre>
 *
 * Strings are an int byte count and UTF-8 bytes. Writes are atomic (temporary file
 * {@code .NAME.PID.THREAD.tmp} in the same directory, forced to disk, renamed over the target);
 * a write also deletes the temporaries of the same target left by processes that no longer run
 * (killed mid-write). Reads check the magic, the version and the checksum and throw an {@link
 * IOException} naming the file on any mismatch. Version 1 files (before the sampler's position
 * was saved; resuming them replayed the sampler) are refused with a message saying so: they are
 * transient checkpoints, and a study refuses to resume across engine changes anyway.
 */
public final class TrainingStateFile {

  private static final byte[] MAGIC = "TCASTATE".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 2;

  private TrainingStateFile() {}

  /** Writes {@code state} to {@code file} atomically. */
  public static void write(Path file, TrainingState state) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      encode(out, state);
    }
    byte[] body = bytes.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(body);
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling("." + target.getFileName() + "."
        + ProcessHandle.current().pid() + "." + Thread.currentThread().threadId() + ".tmp");
    boolean done = false;
    try {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
          DataOutputStream out = new DataOutputStream(os)) {
        out.write(body);
        out.writeLong(crc.getValue());
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } catch (IOException e) {
      throw AtomicFiles.failure(target, e);
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    deleteStaleTemporaries(target);
  }

  /**
   * Deletes {@code .NAME.PID.THREAD.tmp} files of {@code target} whose PID is neither this
   * process nor a live one: a process killed between creating and renaming its temporary leaves
   * it behind. Best effort: a file that cannot be listed or deleted is left.
   */
  private static void deleteStaleTemporaries(Path target) {
    String prefix = "." + target.getFileName() + ".";
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(target.getParent(), p -> {
      String n = p.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(".tmp")
          && n.length() > prefix.length() + ".tmp".length();
    })) {
      for (Path p : dir) {
        String n = p.getFileName().toString();
        String[] pidThread = n.substring(prefix.length(), n.length() - ".tmp".length())
            .split("\\.");
        if (pidThread.length != 2 || !pidThread[0].matches("[0-9]{1,18}")
            || !pidThread[1].matches("[0-9]{1,19}")) {
          continue;
        }
        long pid = Long.parseLong(pidThread[0]);
        if (pid != self && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // Leftovers are harmless to correctness; never fail a training run over them.
    }
  }

  /** Reads a state written by {@link #write}. */
  public static TrainingState read(Path file) throws IOException {
    byte[] all;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      all = in.readAllBytes();
    }
    if (all.length < MAGIC.length + 12) {
      throw new IOException(file + ": not a tca training state (too short)");
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    long stored = 0;
    for (int i = all.length - 8; i < all.length; i++) {
      stored = (stored << 8) | (all[i] & 0xff);
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (all[i] != MAGIC[i]) {
        throw new IOException(file + ": not a tca training state (bad magic)");
      }
    }
    if (stored != crc.getValue()) {
      throw new IOException(file + ": training state is corrupt (checksum mismatch)");
    }
    try (DataInputStream in = new DataInputStream(
        new ByteArrayInputStream(all, 0, all.length - 8))) {
      in.skipNBytes(MAGIC.length);
      int version = in.readInt();
      if (version == 1) {
        throw new IOException(file + ": training state version 1 was written by an older tca"
            + " (before the minibatch position was saved) and cannot be resumed; delete it to"
            + " start that run over");
      }
      if (version != VERSION) {
        throw new IOException(file + ": training state version " + version + " is not supported");
      }
      return decode(in);
    } catch (EOFException e) {
      throw new IOException(file + ": training state is truncated", e);
    }
  }

  private static void encode(DataOutputStream out, TrainingState s) throws IOException {
    out.write(MAGIC);
    out.writeInt(VERSION);
    writeString(out, s.fingerprint());
    out.writeLong(s.iteration());
    out.writeLong(s.updaterIteration());
    writeFloats(out, s.parameters());
    FloatOptimizerState o = s.optimizer();
    writeString(out, o.kind());
    out.writeInt(o.arrays().size());
    for (Map.Entry<String, float[]> e : o.arrays().entrySet()) {
      writeString(out, e.getKey());
      writeFloats(out, e.getValue());
    }
    out.writeInt(o.counters().size());
    for (Map.Entry<String, Long> e : o.counters().entrySet()) {
      writeString(out, e.getKey());
      out.writeLong(e.getValue());
    }
    MinibatchSampler.State m = s.sampler();
    int[] order = m.order();
    out.writeInt(order.length);
    for (int i : order) {
      out.writeInt(i);
    }
    out.writeInt(m.cursor());
    out.writeLong(m.epochs());
    out.writeLong(m.batches());
    out.writeLong(m.streamPosition());
    writeDouble(out, s.intervalLossSum());
    out.writeLong(s.intervalCount());
    writeDouble(out, s.lastGradientNorm());
    out.writeInt(s.status().ordinal());
    out.writeLong(s.divergedAt());
    writeString(out, s.reason());
    out.writeInt(s.trajectory().size());
    for (TrajectoryPoint p : s.trajectory()) {
      out.writeLong(p.iteration());
      for (double v : new double[] {p.learningRate(), p.trainLoss(), p.trainAccuracy(),
          p.testLoss(), p.testAccuracy(), p.shiftedLoss(), p.shiftedAccuracy(), p.l2Penalty(),
          p.batchLoss(), p.gradientNorm()}) {
        writeDouble(out, v);
      }
      out.writeInt(p.probes().size());
      for (Map.Entry<String, Double> e : p.probes().entrySet()) {
        writeString(out, e.getKey());
        writeDouble(out, e.getValue());
      }
    }
  }

  private static TrainingState decode(DataInputStream in) throws IOException {
    String fingerprint = readString(in);
    long iteration = in.readLong();
    long updater = in.readLong();
    float[] params = readFloats(in);
    String kind = readString(in);
    int na = count(in);
    Map<String, float[]> arrays = new LinkedHashMap<>();
    for (int i = 0; i < na; i++) {
      arrays.put(readString(in), readFloats(in));
    }
    int nc = count(in);
    Map<String, Long> counters = new LinkedHashMap<>();
    for (int i = 0; i < nc; i++) {
      counters.put(readString(in), in.readLong());
    }
    FloatOptimizerState opt = new FloatOptimizerState(kind, arrays, counters);
    int[] order = new int[count(in, 4)];
    for (int i = 0; i < order.length; i++) {
      order[i] = in.readInt();
    }
    MinibatchSampler.State sampler = new MinibatchSampler.State(order, in.readInt(),
        in.readLong(), in.readLong(), in.readLong());
    double lossSum = readDouble(in);
    long lossCount = in.readLong();
    double lastNorm = readDouble(in);
    int statusIndex = in.readInt();
    if (statusIndex < 0 || statusIndex >= RunStatus.values().length) {
      throw new IOException("bad run status " + statusIndex);
    }
    long divergedAt = in.readLong();
    String reason = readString(in);
    int np = count(in);
    List<TrajectoryPoint> points = new ArrayList<>();
    for (int i = 0; i < np; i++) {
      long it = in.readLong();
      double[] v = new double[10];
      for (int k = 0; k < v.length; k++) {
        v[k] = readDouble(in);
      }
      int nm = count(in);
      Map<String, Double> probes = new LinkedHashMap<>();
      for (int k = 0; k < nm; k++) {
        String key = readString(in);
        probes.put(key, readDouble(in));
      }
      points.add(new TrajectoryPoint(it, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8],
          v[9], probes));
    }
    return new TrainingState(fingerprint, iteration, updater, params, opt, sampler, lossSum,
        lossCount,
        lastNorm, RunStatus.values()[statusIndex], divergedAt, reason, points);
  }

  private static int count(DataInputStream in) throws IOException {
    return count(in, 1);
  }

  /** A count of items of at least {@code bytes} bytes each, checked against what is left. */
  private static int count(DataInputStream in, int bytes) throws IOException {
    int n = in.readInt();
    if (n < 0 || (long) n * bytes > in.available()) {
      throw new IOException("bad count " + n);
    }
    return n;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(in.readNBytes(count(in)), StandardCharsets.UTF_8);
  }

  private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
    out.writeInt(a.length);
    for (float f : a) {
      out.writeInt(Float.floatToRawIntBits(f));
    }
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    float[] a = new float[count(in, 4)];
    for (int i = 0; i < a.length; i++) {
      a[i] = Float.intBitsToFloat(in.readInt());
    }
    return a;
  }

  private static void writeDouble(DataOutputStream out, double v) throws IOException {
    out.writeLong(Double.doubleToRawLongBits(v));
  }

  private static double readDouble(DataInputStream in) throws IOException {
    return Double.longBitsToDouble(in.readLong());
  }
}
