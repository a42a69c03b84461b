package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tca.study.RunPlan;
import org.tca.study.RunRecord;
import org.tca.study.StudySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tca report DIR}: rebuilds {@code runs.csv}, {@code summary.json}, the figures and
 * {@code report.md} of a study directory from {@code spec.json} and the run files (finished runs
 * only, in the spec's grid order), then prints the summary table.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Rebuild a study's summary, figures and report from its run files.")
final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The study directory (--out).")
  Path dir;

  @Option(names = "--no-figures", description = "Write no figures.")
  boolean noFigures;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    Path specFile = d.resolve("spec.json");
    if (!Files.isRegularFile(specFile)) {
      throw new UsageException(dir + " is not a study directory (no spec.json)");
    }
    StudySpec s;
    try {
      s = StudyConfig.parse(JsonFiles.readTree(specFile), null);
    } catch (IllegalArgumentException | IOException e) {
      throw new UsageException("unreadable " + specFile + ": " + e.getMessage());
    }
    List<RunRecord> runs = read(d, s);
    if (runs.isEmpty()) {
      throw new UsageException(dir + " has no finished runs yet");
    }
    List<Path> figures = StudyOutputs.writeAll(d, s, runs,
        noFigures ? null : StudyOutputs.FIGURES, spec.commandLine().getErr());
    printSummary(spec.commandLine().getOut(), d, figures.size());
    if (runs.size() < s.plans().size()) {
      PartialReport.mark(d, runs.size(), s.plans().size());
      spec.commandLine().getOut().println("tca report: " + PartialReport.notice(runs.size(),
          s.plans().size()));
    }
    return 0;
  }

  /** The finished runs of a study directory, in grid order. */
  static List<RunRecord> read(Path d, StudySpec s) throws IOException {
    StudyRunJson store = new StudyRunJson(d.resolve("runs"), null);
    List<RunRecord> runs = new ArrayList<>();
    for (RunPlan p : s.plans()) {
      Optional<RunRecord> r = store.load(p.id());
      r.ifPresent(runs::add);
    }
    return runs;
  }

  /** Prints the per-group table from summary.json and where the outputs are. */
  @SuppressWarnings("unchecked")
  static void printSummary(PrintWriter w, Path d, int figures) throws IOException {
    Map<String, Object> sum = JsonFiles.toMap(JsonFiles.readTree(d.resolve("summary.json")));
    List<Object> tasks = (List<Object>) sum.get("tasks");
    boolean several = tasks.size() > 1;
    String row = several ? "%-22s %-14s %-22s %7s %24s %24s%n" : "%s%-14s %-22s %7s %24s %24s%n";
    w.printf(Locale.ROOT, row, several ? "task" : "", "rule", "setting", "ok/runs",
        "gap mean ± sd", "lambda_max mean ± sd");
    for (Object o : (List<Object>) sum.get("groups")) {
      Map<String, Object> g = (Map<String, Object>) o;
      w.printf(Locale.ROOT, row, several ? g.get("task") : "", g.get("rule"),
          g.get("setting_label"), g.get("ok") + "/" + g.get("runs"),
          ms((Map<String, Object>) g.get("gap")), ms((Map<String, Object>) g.get("lambda_max")));
    }
    for (Object o : (List<Object>) sum.get("claims")) {
      Map<String, Object> c = (Map<String, Object>) o;
      w.printf(Locale.ROOT, "claim %s -> %s%n", c.get("claim"), c.get("verdict"));
    }
    if (several) {
      for (Object o : tasks) {
        Map<String, Object> t = (Map<String, Object>) o;
        for (Object co : (List<Object>) t.get("claims")) {
          Map<String, Object> c = (Map<String, Object>) co;
          w.printf(Locale.ROOT, "  %s: claim %s -> %s%n", t.get("task"),
              ((String) c.get("claim")).substring(0, 1), c.get("verdict"));
        }
      }
    }
    w.printf(Locale.ROOT, "wrote %s/{report.md, summary.json, runs.csv, runs/%s}%n", d,
        figures == 0 ? "" : ", figures/ (" + figures + " files)");
    w.flush();
  }

  private static String ms(Map<String, Object> s) {
    Object m = s.get("mean");
    Object sd = s.get("sd");
    return (m == null ? "–" : String.format(Locale.ROOT, "%.4g", ((Number) m).doubleValue()))
        + " ± " + (sd == null ? "–" : String.format(Locale.ROOT, "%.3g",
            ((Number) sd).doubleValue()));
  }
}
