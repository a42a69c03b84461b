package org.tca.cli;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.List;
import org.tca.numerics.io.AtomicFiles;
import org.tca.rules.BuildInfo;
import org.tca.rules.train.MemoryEstimate;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tca} command: a thin face over the engine. Usage errors print one line naming the
 * problem and exit with status 2; failures while running print one line and exit with status 1
 * (a file that could not be written or read is named, with the advice to re-run the command),
 * running out of memory too (naming the heap limit and {@code TCA_JAVA_OPTS=-Xmx...}).
 */
@Command(
    name = "tca",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Temporal credit assignment engine: train RNNs with exact and bio-plausible "
        + "learning rules, and measure generalization and loss curvature.",
    subcommands = {DoctorCommand.class, StudyCommand.class, ReportCommand.class,
        LeaderboardCommand.class, TrainCommand.class, GradientCommand.class,
        CurvatureCommand.class, BenchCommand.class, DataCommand.class, TasksCommand.class,
        ServeCommand.class, ServeBenchCommand.class, StudyTaskCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  /** Exit status for usage errors (bad flags, bad input files). */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs tca with the given arguments and streams; returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println(usageLine(ex));
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof UsageException) {
        c.getErr().println("tca: " + ex.getMessage());
        return USAGE;
      }
      FileSystemException file = fileFailure(ex);
      c.getErr().println("tca: " + c.getCommandName() + " failed: " + (file == null ? ex
          : file.getFile() + ": " + AtomicFiles.reason(file) + "; fix that (free disk space, a writable"
              + " directory) and run the same command again: it completes the outputs"));
      return 1;
    });
    // made before the run: when memory runs out there may be none left to build it
    String outOfMemory = "tca: " + MemoryEstimate.outOfMemory(Runtime.getRuntime().maxMemory());
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      err.println(outOfMemory);
      return 1;
    }
  }

  /**
   * A picocli usage error as one line: the problem (an unknown subcommand by name, with picocli's
   * suggestions of the nearest names) and where the help is.
   */
  static String usageLine(CommandLine.ParameterException ex) {
    CommandLine c = ex.getCommandLine();
    String message = ex.getMessage();
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> unmatched = u.getUnmatched();
      if (!c.getSubcommands().isEmpty() && !unmatched.isEmpty()
          && !unmatched.get(0).startsWith("-")) {
        message = "unknown command '" + unmatched.get(0) + "'";
      }
      List<String> nearest = u.getSuggestions();
      if (!nearest.isEmpty()) {
        message += " (did you mean " + String.join(" or ", nearest) + "?)";
      }
    }
    return "tca: " + message + "; see '" + c.getCommandSpec().qualifiedName() + " --help'";
  }

  /** The first {@link FileSystemException} naming a file in the cause chain of {@code e}. */
  static FileSystemException fileFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileSystemException f && f.getFile() != null) {
        return f;
      }
    }
    return null;
  }

  /**
   * Version from the jar manifest (else the build's), and the engine's build identity
   * ({@link BuildInfo#describe}: commit and a hash of the engine sources).
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tca " + (v == null ? BuildInfo.version() : v)
          + " (Java " + Runtime.version() + ")", "engine " + BuildInfo.describe()};
    }
  }
}
