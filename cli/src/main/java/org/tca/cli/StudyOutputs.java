package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.tca.cli.figures.RunSeries;
import org.tca.cli.figures.SpikingCurves;
import org.tca.cli.figures.SpikingFigures;
import org.tca.cli.figures.StudyFigures;
import org.tca.numerics.io.AtomicFiles;
import org.tca.study.RunRecord;
import org.tca.study.StudySpec;
import org.tca.study.StudySummary;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrajectoryPoint;

/**
 * Writes the derived outputs of a study directory from its run records: {@code runs.csv} (one row
 * per run, the {@link StudyRunJson#finals} columns, doubles in round-trip form, NaN as "NaN"),
 * {@code summary.json} ({@link StudySummary}), {@code figures/*.png|svg} ({@link #FIGURES};
 * {@code figures/TASK/} per task when there are several) and {@code report.md} (table, figures, one paragraph per claim). Each file is written
 * atomically.
 */
final class StudyOutputs {

  /** The CSV header. */
  static final List<String> CSV_HEADER = List.of("id", "task", "rule", "seed", "setting",
      "setting_label", "lr", "iterations", "status", "iterations_done", "diverged_at",
      "train_loss", "test_loss", "train_accuracy", "test_accuracy", "gap", "accuracy_gap",
      "shifted_gap", "shifted_accuracy_gap", "lambda_max", "two_over_eta", "seen_curvature",
      "grad_cosine");

  /** Draws the figures of one task's runs of a study into a folder; returns the files written. */
  @FunctionalInterface
  interface FigureDrawer {
    List<Path> draw(StudySpec spec, List<RunSeries> runs, Path dir) throws IOException;
  }

  /**
   * The study figures: {@link StudyFigures#writeAll}, or for spiking cells
   * {@link SpikingFigures#writeAll} (no curvature; accuracy, firing rate and alignment with BPTT
   * over training), with the target rate when the firing-rate term is on.
   */
  static final FigureDrawer FIGURES = (spec, runs, dir) -> !spec.isSpiking()
      ? StudyFigures.writeAll(runs, dir)
      : SpikingFigures.writeAll(runs, spec.spiking().rateCost() > 0
          ? spec.spiking().targetRateHz() : Double.NaN, dir);

  private StudyOutputs() {}

  /**
   * Writes everything ({@code summary} is {@link StudySummary#of} the runs); returns the figure
   * files. Figures go to {@code figures/}, or to
   * {@code figures/TASK/} per task when the study has several tasks; none when {@code drawer} is
   * null (--no-figures). Figures never cost the other outputs: when drawing fails for any reason
   * other than a file that cannot be written (say, no usable fonts), the figures drawn so far
   * are kept, {@code err} gets one warning line, the report says why the figures are missing,
   * and everything else is written.
   */
  static List<Path> writeAll(Path dir, StudySpec spec, List<RunRecord> runs,
      StudySummary summary, FigureDrawer drawer, PrintWriter err) throws IOException {
    writeText(dir.resolve("runs.csv"), csv(runs));
    JsonFiles.write(dir.resolve("summary.json"), SummaryJson.of(summary));
    Map<String, List<Path>> figures = new LinkedHashMap<>();
    String missing = drawer == null ? "not drawn (--no-figures)" : null;
    for (Map.Entry<String, List<RunRecord>> e : StudySummary.byTask(runs).entrySet()) {
      if (missing != null) {
        break;
      }
      Path fd = spec.tasks().size() == 1 ? dir.resolve("figures")
          : dir.resolve("figures").resolve(e.getKey());
      try {
        figures.put(e.getKey(), drawer.draw(spec, series(e.getValue(), spec.isSpiking()), fd));
      } catch (RuntimeException | Error x) {
        // The JDK's font manager reports "no physical fonts" as a bare Error.
        if (x instanceof VirtualMachineError v) {
          throw v;
        }
        missing = "could not be drawn (" + x + ")";
        err.println("tca: warning: figures " + missing + "; the report and every other output"
            + " are written (--no-figures skips figures)");
        err.flush();
      }
    }
    writeText(dir.resolve("report.md"), StudyReportText.markdown(spec, runs, summary, figures,
        missing, dir));
    return figures.values().stream().flatMap(List::stream).toList();
  }

  static String csv(List<RunRecord> runs) {
    StringBuilder sb = new StringBuilder(String.join(",", CSV_HEADER)).append('\n');
    for (RunRecord r : runs) {
      List<String> row = new ArrayList<>(List.of(r.id(), r.task(), r.rule(), Long.toString(r.seed()),
          r.setting(), quote(r.settingLabel()), Double.toString(r.lr()),
          Long.toString(r.iterations()), r.status().id(), Long.toString(r.iterationsDone()),
          Long.toString(r.divergedAt())));
      for (Object v : StudyRunJson.finals(r).values()) {
        row.add(Double.toString((Double) v));
      }
      sb.append(String.join(",", row)).append('\n');
    }
    return sb.toString();
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** The runs as the figures see them; with their {@link SpikingCurves} when {@code spiking}. */
  static List<RunSeries> series(List<RunRecord> runs, boolean spiking) {
    List<RunSeries> out = new ArrayList<>();
    for (RunRecord r : runs) {
      List<TrajectoryPoint> t = r.trajectory();
      out.add(new RunSeries(r.rule(), r.seed(), r.settingLabel(), r.lr(),
          r.status() != RunStatus.OK, curve(t, TrajectoryPoint::iteration),
          curve(t, TrajectoryPoint::trainLoss), curve(t, TrajectoryPoint::testLoss),
          curve(t, p -> probe(p, "lambda_max")), r.gap(), r.lambdaMax(), !spiking ? null
          : new SpikingCurves(curve(t, TrajectoryPoint::trainAccuracy),
              curve(t, TrajectoryPoint::testAccuracy),
              curve(t, p -> 1000 * probe(p, "train_firing_rate")),
              curve(t, p -> 1000 * probe(p, "test_firing_rate")),
              curve(t, p -> probe(p, "grad_cosine")))));
    }
    return out;
  }

  private static double[] curve(List<TrajectoryPoint> t, ToDoubleFunction<TrajectoryPoint> f) {
    return t.stream().mapToDouble(f).toArray();
  }

  private static double probe(TrajectoryPoint p, String name) {
    return p.probes().getOrDefault(name, Double.NaN);
  }

  static void writeText(Path file, String text) throws IOException {
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4g", v);
  }
}
