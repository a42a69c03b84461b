package org.tca.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tca.rules.task.ParameterSpec;
import org.tca.rules.task.Tasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tca tasks [NAME...]}: every task (or the named ones) with a line saying what it asks and
 * its parameters, their defaults and meanings: the flags of {@code tca train} and the {@code params} of a study config.
 */
@Command(name = "tasks", mixinStandardHelpOptions = true,
    description = "List the tasks and their parameters (flags of 'tca train', 'params' of a"
        + " study config).")
final class TasksCommand implements Callable<Integer> {

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Tasks to show (default: all).")
  List<String> names;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<String> show = names == null || names.isEmpty() ? Tasks.names() : names;
    PrintWriter w = spec.commandLine().getOut();
    for (String t : show) {
      List<ParameterSpec> ps;
      try {
        ps = Tasks.parameters(t);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      w.println(t);
      w.println("  " + Tasks.summary(t));
      for (ParameterSpec p : ps) {
        w.printf(Locale.ROOT, "  --%-16s %-8s %s%n", p.name(), p.defaultValue(),
            p.description());
      }
      w.println();
    }
    w.flush();
    return 0;
  }
}
