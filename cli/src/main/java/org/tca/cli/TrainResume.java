package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.tca.rules.train.Trainer;
import org.tca.rules.train.TrainingState;
import org.tca.rules.train.TrainingStateFile;

/**
 * Makes {@code tca train} survive interruption. While it trains, a lock file
 * {@code .NAME.lock} next to {@code --out} (deleted at the end) keeps a second process away, and the complete
 * training state is saved at every checkpoint into {@code .NAME.train-state}
 * ({@link TrainingStateFile}, atomic). The same command run again continues from that state
 * (the trainer checks that the state belongs to the same configuration, threads aside) and ends
 * with the same results as an uninterrupted run; the state file is deleted once --out is
 * written. Stale staging directories of killed runs ({@code .NAME.tmp-*}) are removed under the
 * lock.
 */
final class TrainResume implements AutoCloseable {

  /** Thrown by the test hook after the n-th saved checkpoint. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped(int n) {
      super("stopped after " + n + " saved checkpoint(s) (--stop-after-checkpoints)", null,
          false, false);
    }
  }

  private final Path state;
  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;

  private TrainResume(Path state, Path lockFile, FileChannel channel, FileLock lock) {
    this.state = state;
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /** The state file of {@code out}. */
  static Path stateFile(Path out) {
    Path t = out.toAbsolutePath().normalize();
    return t.resolveSibling("." + t.getFileName() + ".train-state");
  }

  /**
   * Locks {@code out} for this process and sweeps stale staging directories; a usage error when
   * another process holds the lock.
   */
  static TrainResume acquire(Path out) throws IOException {
    Path t = out.toAbsolutePath().normalize();
    Path parent = t.getParent();
    if (parent == null) {
      throw new UsageException("--out " + out + " cannot be the file-system root");
    }
    Path lockFile = t.resolveSibling("." + t.getFileName() + ".lock");
    FileChannel ch;
    try {
      Files.createDirectories(parent);
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException | SecurityException e) {
      throw new UsageException("cannot write --out " + out + ": "
          + OutputDirectory.describe(e));
    }
    FileLock l = tryLock(ch);
    if (l == null) {
      ch.close();
      throw new UsageException("another tca train is writing --out " + out + " (its lock is"
          + " held); wait for it or choose another --out");
    }
    String stale = "." + t.getFileName() + ".tmp-";
    try (var s = Files.list(parent)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(stale)).toList()) {
        OutputDirectory.deleteTree(p);
      }
    }
    return new TrainResume(stateFile(out), lockFile, ch, l);
  }

  /** The lock of {@code ch}, or null when another process (or this one) holds it. */
  static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /**
   * Restores {@code trainer} from the saved state, if there is one and {@code restart} is
   * false (with restart the saved state is deleted); returns the iteration it continues from.
   */
  long restore(Trainer trainer, boolean restart, Path out, PrintWriter err) throws IOException {
    if (restart) {
      Files.deleteIfExists(state);
      return 0;
    }
    if (!Files.exists(state)) {
      return 0;
    }
    TrainingState s = TrainingStateFile.read(state);
    try {
      trainer.restore(s);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--out " + out + " has a saved state of a training with other"
          + " options (" + state + "); run the same command to finish it, or pass --restart");
    }
    err.printf("tca train: resuming from iteration %d (saved state %s)%n", s.iteration(), state);
    err.flush();
    return s.iteration();
  }

  /** Saves the state at every checkpoint; stops after {@code stopAfter} saves when >= 0. */
  void saveCheckpoints(Trainer trainer, int stopAfter) {
    int[] saved = {0};
    trainer.onCheckpoint((t, point) -> {
      try {
        TrainingStateFile.write(state, t.snapshot());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (stopAfter >= 0 && ++saved[0] >= stopAfter) {
        throw new Stopped(saved[0]);
      }
    });
  }

  /** Deletes the saved state (the results are written). */
  void finished() throws IOException {
    Files.deleteIfExists(state);
  }

  /** Deletes the lock file (while still holding the lock) and releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(lockFile);
    } finally {
      lock.release();
      channel.close();
    }
  }
}
