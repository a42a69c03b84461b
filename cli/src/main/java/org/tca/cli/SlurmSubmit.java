package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.tca.rules.BuildInfo;
import org.tca.study.StudySpec;

/**
 * {@code tca study --slurm}: writes {@code DIR/spec.json} and {@code DIR/slurm/array.sbatch}
 * ({@link SlurmScript}) for the runs that are not done, running or queued ({@link StudyStatus}),
 * submits it with {@code sbatch}, records the submission ({@link SlurmSubmissions}) and prints the
 * job id. {@code --dry-run} prints the script and writes nothing. The study directory must be on
 * a filesystem every node sees at the same path: one in this machine's memory (tmpfs, ramfs) is
 * refused, a local disk gets a warning (fine when the cluster is this machine).
 */
final class SlurmSubmit {

  /** Filesystems in this machine's memory: never seen by another node. */
  static final Set<String> MEMORY_FILESYSTEMS = Set.of("tmpfs", "ramfs", "devtmpfs");

  /** Filesystems of a local disk (or a container's own layer). */
  static final Set<String> LOCAL_FILESYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs",
      "zfs", "f2fs", "vfat", "exfat", "ntfs", "overlay", "apfs", "hfs");

  private SlurmSubmit() {}

  /**
   * Submits (or with {@code dryRun} prints) the missing runs of study {@code s} in {@code dir};
   * {@code allowCodeChange}: the study was started by other engine code and the user allowed it.
   */
  @SuppressWarnings("try") // the lock is held by the try, never referenced
  static int submit(StudySpec s, Path dir, SlurmOptions o, boolean dryRun,
      boolean allowCodeChange, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    if (Files.isDirectory(dir) && StudyStatus.localStudyRunning(dir)) {
      throw localStudy(dir);
    }
    StudyStatus status = Files.isDirectory(dir) ? StudyStatus.of(dir, s)
        : new StudyStatus(s.plans().stream().map(p -> new StudyStatus.Row(p.id(),
            "not-submitted", "", "")).toList(), true);
    List<String> missing = status.missing();
    if (missing.isEmpty()) {
      out.printf(Locale.ROOT, "tca study %s: nothing to submit: %s ('tca study status %s')%n",
          s.name(), status.counts(), dir);
      out.flush();
      return 0;
    }
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < missing.size(); i += o.runsPerTask) {
      chunks.add(missing.subList(i, Math.min(missing.size(), i + o.runsPerTask)));
    }
    String script = SlurmScript.text(s.name(), dir, chunks, o, SlurmScript.launch(),
        allowCodeChange);
    if (dryRun) {
      out.print(script);
      out.flush();
      return 0;
    }
    if (SlurmCommands.find("sbatch").isEmpty()) {
      throw new UsageException("--slurm needs Slurm's sbatch, which is not on the PATH (run on"
          + " a login node of the cluster, or install Slurm's client commands)");
    }
    checkShared(dir, err);
    Files.createDirectories(dir.resolve("slurm").resolve("logs"));
    try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE); FileLock lock = shared(ch, dir)) {
      Path specFile = dir.resolve("spec.json");
      if (!Files.exists(specFile)) {
        StudyOutputs.writeText(specFile,
            JsonFiles.string(StudyConfig.toJson(s, BuildInfo.asMap())) + "\n");
      }
      Path file = dir.resolve("slurm").resolve("array.sbatch");
      StudyOutputs.writeText(file, script);
      SlurmCommands.Result r = SlurmCommands.run(dir, "sbatch", "--parsable", file.toString())
          .orElseThrow();
      if (r.status() != 0) {
        throw new UsageException("sbatch refused the job (" + file + "): " + r.lastLine());
      }
      String job = r.out().strip().split(";")[0];
      if (!job.matches("\\d+")) {
        throw new IOException("sbatch printed no job id: '" + r.out().strip() + "'");
      }
      SlurmSubmissions.append(dir, job, chunks);
      out.printf(Locale.ROOT, "tca study %s: submitted Slurm job %s: %s in %s%s"
          + "%nfollow it with 'tca study status %s'; logs in %s%n", s.name(), job,
          count(missing.size(), "run"), count(chunks.size(), "array task"),
          o.maxParallel == null ? ""
              : ", at most " + o.maxParallel + " at once", dir, dir.resolve("slurm/logs"));
      out.flush();
    }
    return 0;
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  /**
   * Refuses a directory in this machine's memory; warns about one on a local disk. (Whether a
   * network filesystem is mounted at the same path on every node cannot be seen from here.)
   */
  static void checkShared(Path dir, PrintWriter err) throws IOException {
    Path existing = dir;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    String type = Files.getFileStore(existing).type().toLowerCase(Locale.ROOT);
    if (MEMORY_FILESYSTEMS.contains(type)) {
      throw new UsageException("--out " + dir + " is on " + type + ", this machine's memory,"
          + " which the compute nodes cannot see: put the study on a filesystem they share"
          + " (NFS, Lustre, GPFS, BeeGFS, ...)");
    }
    if (LOCAL_FILESYSTEMS.contains(type)) {
      err.println("tca study: note: --out " + dir + " is on a local " + type + " filesystem;"
          + " every compute node must see it at this path (true when the cluster is this"
          + " machine)");
      err.flush();
    }
  }

  private static UsageException localStudy(Path dir) {
    return new UsageException("a local 'tca study' is running in " + dir + " (it holds the"
        + " lock file .lock); wait for it to finish");
  }

  /** A shared hold on the study's lock, or a usage error when a local study holds it. */
  static FileLock shared(FileChannel ch, Path dir) throws IOException {
    FileLock l;
    try {
      l = ch.tryLock(0, Long.MAX_VALUE, true);
    } catch (java.nio.channels.OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      throw localStudy(dir);
    }
    return l;
  }
}
