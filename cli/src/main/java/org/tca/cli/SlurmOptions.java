package org.tca.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --slurm} options of {@code tca study} (a picocli mixin). */
final class SlurmOptions {

  @Option(names = "--slurm", description = "Submit the study to Slurm as a job array (one array"
      + " task per run, or per --runs-per-task runs) instead of running it here; prints the job"
      + " id. On a part-done --out only the missing runs are submitted. --dry-run prints the"
      + " script.")
  boolean slurm;

  @Option(names = "--slurm-opt", paramLabel = "OPT", description = "An sbatch option for the"
      + " script's header, e.g. --slurm-opt=--time=02:00:00 --slurm-opt=--cpus-per-task=4"
      + " (repeatable; the array tasks train with SLURM_CPUS_PER_TASK threads, 1 by default).")
  List<String> options = new ArrayList<>();

  @Option(names = "--runs-per-task", paramLabel = "N", description = "Runs per array task"
      + " (default 1).")
  int runsPerTask = 1;

  @Option(names = "--max-parallel", paramLabel = "M", description = "At most M array tasks at"
      + " once (the array's %%M throttle; default: no limit).")
  Integer maxParallel;

  /** Checks the options; every problem is a {@link UsageException}. */
  void check(boolean threadsGiven) {
    if (!slurm) {
      if (!options.isEmpty() || runsPerTask != 1 || maxParallel != null) {
        throw new UsageException("--slurm-opt, --runs-per-task and --max-parallel need --slurm");
      }
      return;
    }
    if (threadsGiven) {
      throw new UsageException("--threads does not apply to --slurm: the array tasks use"
          + " SLURM_CPUS_PER_TASK threads (--slurm-opt=--cpus-per-task=K)");
    }
    if (runsPerTask < 1) {
      throw new UsageException("--runs-per-task must be >= 1, got " + runsPerTask);
    }
    if (maxParallel != null && maxParallel < 1) {
      throw new UsageException("--max-parallel must be >= 1, got " + maxParallel);
    }
    for (String o : options) {
      if (!o.startsWith("-") || o.contains("\n") || o.contains("\r")) {
        throw new UsageException("--slurm-opt '" + o + "' is not an sbatch option (one option"
            + " such as --time=01:00:00, starting with '-', on one line)");
      }
      if (o.equals("-a") || o.startsWith("-a ") || o.startsWith("--array")) {
        throw new UsageException("--slurm-opt " + o + ": tca sets the array itself (use"
            + " --runs-per-task and --max-parallel)");
      }
    }
  }

  /** Whether an option sets the CPUs per task. */
  boolean setsCpus() {
    return options.stream().anyMatch(o -> o.startsWith("--cpus-per-task") || o.startsWith("-c"));
  }
}
