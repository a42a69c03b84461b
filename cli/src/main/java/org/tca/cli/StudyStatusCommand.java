package org.tca.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tca.study.StudySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tca study status DIR}: done / running / pending / failed per run of a study directory
 * ({@link StudyStatus}), from the run files, the run locks and checkpoints, and Slurm's
 * {@code squeue}/{@code sacct} when present.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show which runs of a study directory are done, running, pending or failed"
        + " (from its files, and squeue/sacct for a study submitted with --slurm).")
final class StudyStatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The study directory (--out).")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path d = dir.toAbsolutePath().normalize();
    StudySpec s = ReportCommand.readSpec(d, dir);
    StudyStatus.of(d, s).print(spec.commandLine().getOut(), s.name());
    return 0;
  }
}
