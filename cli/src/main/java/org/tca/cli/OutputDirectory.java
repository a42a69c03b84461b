package org.tca.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An output directory that appears complete or not at all: everything is written into a hidden
 * staging directory next to the target ({@code .NAME.tmp-XXXX}), and {@link #commit} renames it
 * into place (replacing an empty target, or any target with {@code force}). Closing without
 * committing deletes the staging directory, and so does a shutdown hook held until then when the
 * JVM is stopped (Ctrl-C, SIGTERM), so a failed or interrupted command leaves nothing
 * half-written. {@link #stage} checks up front that the target can be written, so a bad
 * {@code --out} fails before any work is done.
 */
final class OutputDirectory implements AutoCloseable {

  private final Path target;
  private final Path staging;
  private final boolean force;
  private final Thread cleanup;
  private boolean committed;

  private OutputDirectory(Path target, Path staging, boolean force) {
    this.target = target;
    this.staging = staging;
    this.force = force;
    this.cleanup = new Thread(this::deleteStaging, "tca-staging-cleanup");
    try {
      Runtime.getRuntime().addShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is stopping already: close() still deletes the staging directory
    }
  }

  /**
   * Prepares to write {@code out}.
   *
   * @throws UsageException when out is a file, a non-empty directory without {@code force}, or
   *     its parent cannot be created or written
   */
  static OutputDirectory stage(Path out, boolean force) {
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new UsageException("--out " + out + " exists and is not a directory");
    }
    if (Files.isDirectory(target) && !force && !isEmpty(target)) {
      throw new UsageException("--out " + out + " already exists and is not empty (use --force"
          + " to replace it)");
    }
    Path parent = target.getParent();
    if (parent == null) {
      throw new UsageException("--out " + out + " cannot be the file-system root");
    }
    try {
      Files.createDirectories(parent);
      Path staging = parent.resolve("." + target.getFileName() + ".tmp-"
          + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
      Files.createDirectory(staging);
      return new OutputDirectory(target, staging, force);
    } catch (IOException | SecurityException e) {
      throw new UsageException("cannot write --out " + out + ": " + describe(e));
    }
  }

  static String describe(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])",
        "$1 $2").toLowerCase(java.util.Locale.ROOT) + (m == null ? "" : " (" + m + ")");
  }

  private static boolean isEmpty(Path dir) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      return !s.iterator().hasNext();
    } catch (IOException e) {
      throw new UsageException("cannot read --out " + dir + ": " + e.getMessage());
    }
  }

  /** The directory to write into (the staging directory until committed). */
  Path path() {
    return staging;
  }

  /** The final location. */
  Path target() {
    return target;
  }

  /** Moves the staged directory into place. */
  void commit() throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      if (!force && !isEmpty(target)) {
        throw new IOException(target + " was filled by someone else meanwhile");
      }
      old = target.resolveSibling("." + target.getFileName() + ".old-"
          + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
      Files.move(target, old);
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    } catch (IOException e) {
      if (old != null) {
        Files.move(old, target);
      }
      throw e;
    }
    committed = true;
    if (old != null) {
      deleteTree(old);
    }
  }

  /** Deletes the staging directory unless committed. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is stopping: the hook deletes the staging directory
    }
    if (!committed) {
      deleteStaging();
    }
  }

  /** Deletes the staging directory (gone already once committed, as it was moved). */
  private void deleteStaging() {
    try {
      deleteTree(staging);
    } catch (IOException e) {
      // best effort: a stale hidden staging directory is harmless, the next run sweeps it
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
