package org.tca.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which process is training which run of a study directory shared by cluster tasks: a task holds
 * the lock of {@code slurm/locks/ID.lock} ({@link FileChannel#tryLock}, a POSIX lock, which a
 * shared filesystem must support across nodes: NFSv4, Lustre with {@code flock}, GPFS, BeeGFS)
 * for as long as it trains run ID, so two tasks never train one run at once and
 * {@code tca study status} sees which runs are in flight. The lock files stay (empty). A POSIX
 * lock belongs to the process and closing any channel of the file drops it, so the locks this JVM
 * holds are also kept in a set and their files never opened a second time here.
 */
final class RunLocks implements AutoCloseable {

  /** The lock files held by this JVM. */
  private static final Set<Path> HERE = ConcurrentHashMap.newKeySet();

  private final Map<Path, FileChannel> held = new LinkedHashMap<>();

  /** The lock file of run {@code id} in study directory {@code dir}. */
  static Path file(Path dir, String id) {
    return dir.resolve("slurm").resolve("locks").resolve(id + ".lock");
  }

  /** Whether some process holds the lock of run {@code id} (never creates the lock file). */
  static boolean held(Path dir, String id) throws IOException {
    Path f = file(dir, id);
    if (HERE.contains(f)) {
      return true;
    }
    if (!Files.exists(f)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    }
  }

  /** Takes the locks of the runs that no one holds; returns those taken, in order. */
  List<String> claim(Path dir, List<String> ids) throws IOException {
    List<String> taken = new ArrayList<>();
    for (String id : ids) {
      Path f = file(dir, id);
      if (!HERE.add(f)) {
        continue;
      }
      Files.createDirectories(f.getParent());
      FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (ch.tryLock() == null) {
        ch.close();
        HERE.remove(f);
      } else {
        held.put(f, ch);
        taken.add(id);
      }
    }
    return taken;
  }

  /** Releases every lock taken. */
  @Override
  public void close() throws IOException {
    for (Map.Entry<Path, FileChannel> e : held.entrySet()) {
      e.getValue().close();
      HERE.remove(e.getKey());
    }
    held.clear();
  }
}
