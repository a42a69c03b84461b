package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tca.study.Claim;
import org.tca.study.GroupSummary;
import org.tca.study.MeanEstimate;
import org.tca.study.RunPlan;
import org.tca.study.RunRecord;
import org.tca.study.StudySpec;
import org.tca.study.StudySummary;
import org.tca.study.TaskSummary;
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
    StudySpec s = readSpec(d, dir);
    List<RunRecord> runs = read(d, s);
    if (runs.isEmpty()) {
      throw new UsageException(dir + " has no finished runs yet");
    }
    StudySummary summary = StudySummary.of(runs);
    List<Path> figures = StudyOutputs.writeAll(d, s, runs, summary,
        noFigures ? null : StudyOutputs.FIGURES, spec.commandLine().getErr());
    printSummary(spec.commandLine().getOut(), d, summary, figures.size());
    if (runs.size() < s.plans().size()) {
      PartialReport.mark(d, runs.size(), s.plans().size());
      spec.commandLine().getOut().println("tca report: " + PartialReport.notice(runs.size(),
          s.plans().size()));
    }
    return 0;
  }

  /** The spec of study directory {@code d} (named {@code given} in errors). */
  static StudySpec readSpec(Path d, Path given) {
    Path specFile = d.resolve("spec.json");
    if (!Files.isRegularFile(specFile)) {
      throw new UsageException(given + " is not a study directory (no spec.json)");
    }
    try {
      return StudyConfig.parse(JsonFiles.readTree(specFile), null);
    } catch (IllegalArgumentException | IOException e) {
      throw new UsageException("unreadable " + specFile + ": " + e.getMessage());
    }
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

  /** Prints the per-group table of {@code sum} and where the outputs are. */
  static void printSummary(PrintWriter w, Path d, StudySummary sum, int figures) {
    boolean several = sum.tasks().size() > 1;
    String row = several ? "%-22s %-14s %-22s %7s %24s %24s%n" : "%s%-14s %-22s %7s %24s %24s%n";
    w.printf(Locale.ROOT, row, several ? "task" : "", "rule", "setting", "ok/runs",
        "gap mean ± sd", "lambda_max mean ± sd");
    for (GroupSummary g : sum.groups()) {
      w.printf(Locale.ROOT, row, several ? g.task() : "", g.rule(), g.settingLabel(),
          g.ok() + "/" + g.runs(), ms(g.gap()), ms(g.lambdaMax()));
    }
    for (Claim c : sum.claims()) {
      w.printf(Locale.ROOT, "claim %s -> %s%n", c.title(), c.verdict().text());
    }
    if (!sum.robustness().isEmpty()) {
      w.println(sum.robustness());
    }
    if (several) {
      for (TaskSummary t : sum.tasks()) {
        for (Claim c : t.claims()) {
          w.printf(Locale.ROOT, "  %s: claim %s -> %s%n", t.task(), c.title().substring(0, 1),
              c.verdict().text());
        }
      }
    }
    w.printf(Locale.ROOT, "wrote %s/{report.md, summary.json, runs.csv, runs/%s}%n", d,
        figures == 0 ? "" : ", figures/ (" + figures + " files)");
    w.flush();
  }

  private static String ms(MeanEstimate s) {
    return (Double.isNaN(s.mean()) ? "–" : String.format(Locale.ROOT, "%.4g", s.mean()))
        + " ± " + (Double.isNaN(s.sd()) ? "–" : String.format(Locale.ROOT, "%.3g", s.sd()));
  }
}
