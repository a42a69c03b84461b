package org.tca.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sbatch script of a study's job array: array task {@code i} (of {@code T}, at most {@code M}
 * at once: {@code --array=0-(T-1)%M}) runs the hidden {@code tca study-task DIR RUN...} on its
 * share of the runs, listed in the script itself, so a submitted script never depends on a file
 * that a later submission rewrites. Tasks are requeueable; a log per task goes to
 * {@code DIR/slurm/logs/JOB_TASK.out} (appended to when requeued).
 */
final class SlurmScript {

  private SlurmScript() {}

  /**
   * The script text.
   *
   * @param name the study name
   * @param dir the study directory (absolute)
   * @param chunks the run ids of each array task
   * @param options the checked {@code --slurm} options
   * @param launch the command that starts tca (java, its flags, class path, main class)
   * @param allowCodeChange whether the tasks may run other engine code than spec.json's
   */
  static String text(String name, Path dir, List<List<String>> chunks, SlurmOptions options,
      List<String> launch, boolean allowCodeChange) {
    int runs = chunks.stream().mapToInt(List::size).sum();
    StringBuilder sb = new StringBuilder("#!/bin/bash\n");
    sb.append(String.format(Locale.ROOT, "#SBATCH --job-name=tca-%s%n",
        name.replaceAll("[^A-Za-z0-9._-]", "_")));
    sb.append(String.format(Locale.ROOT, "#SBATCH --array=0-%d%s%n", chunks.size() - 1,
        options.maxParallel == null ? "" : "%" + options.maxParallel));
    sb.append("#SBATCH --requeue\n#SBATCH --open-mode=append\n");
    sb.append("#SBATCH --output=").append(dir.resolve("slurm/logs")).append("/%A_%a.out\n");
    if (!options.setsCpus()) {
      sb.append("#SBATCH --cpus-per-task=1\n");
    }
    for (String o : options.options) {
      sb.append("#SBATCH ").append(o).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "# tca study %s: %d runs in %d array tasks, written by"
        + " 'tca study --slurm'.%n# Each task trains its runs with SLURM_CPUS_PER_TASK threads"
        + " and writes their files into the%n# study directory; a requeued task resumes from"
        + " the last checkpoints.%n", name, runs, chunks.size()));
    sb.append("set -euo pipefail\nruns=(\n");
    for (List<String> c : chunks) {
      sb.append("  ").append(quote(String.join(" ", c))).append('\n');
    }
    sb.append(")\nexec");
    for (String a : launch) {
      sb.append(' ').append(quote(a));
    }
    sb.append(" study-task");
    if (allowCodeChange) {
      sb.append(" --allow-code-change");
    }
    sb.append(' ').append(quote(dir.toString()))
        .append(" ${runs[$SLURM_ARRAY_TASK_ID]}\n");
    return sb.toString();
  }

  /**
   * The command that starts this tca on a node: this JVM's java binary, the JVM options tca
   * needs or was given (modules, heap, stack, {@code -Dtca.*}), its class path and main class.
   * The nodes must see the JDK and the class path (bin/tca's jar) at the same paths.
   */
  static List<String> launch() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    boolean vector = false;
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-modules") || a.startsWith("--enable-native-access")
          || a.startsWith("--sun-misc-unsafe-memory-access") || a.startsWith("-Xss")
          || a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-XX:MaxRAM")
          || a.startsWith("-Dtca.")) {
        cmd.add(a);
        vector |= a.contains("jdk.incubator.vector");
      }
    }
    if (!vector) {
      cmd.add("--add-modules=jdk.incubator.vector");
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return cmd;
  }

  /** {@code s} in single quotes for bash. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
