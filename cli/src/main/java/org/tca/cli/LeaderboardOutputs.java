package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.tca.cli.figures.FigureWriter;
import org.tca.cli.figures.Heatmap;
import org.tca.study.Leaderboard;
import org.tca.study.Leaderboard.Row;
import org.tca.study.StudySpec;

/**
 * Writes a leaderboard's outputs into a study directory, each atomically: {@code leaderboard.csv}
 * (one row per task x rule: {@link #CSV_HEADER}, doubles in round-trip form, NaN as "NaN"),
 * {@code leaderboard.md} (the overall ranking, a ranked table per task, the figures, how ranks
 * and columns are defined) and the heatmaps (rules x tasks) {@code figures/leaderboard_accuracy},
 * {@code _gap} and {@code _lambda_max} (.png and .svg). Figures never cost the tables: when
 * drawing fails (say, no usable fonts) {@code err} gets one warning and the markdown says why.
 */
final class LeaderboardOutputs {

  /** The CSV header; steps_per_second, a machine figure, is last. */
  static final List<String> CSV_HEADER = List.of("task", "rule", "runs", "ok", "diverged",
      "test_accuracy_mean", "test_accuracy_sd", "test_loss_mean", "gap_mean", "lambda_max_mean",
      "grad_cosine_mean", "state_bytes_per_sample", "rank", "steps_per_second");

  private LeaderboardOutputs() {}

  /**
   * Writes everything; {@code stepsPerSecond} by "task/rule" (NaN: not measured); no figures when
   * {@code figures} is false. Returns the figure files.
   */
  static List<Path> write(Path dir, StudySpec spec, Leaderboard lb,
      Map<String, Double> stepsPerSecond, boolean figures, PrintWriter err) throws IOException {
    StudyOutputs.writeText(dir.resolve("leaderboard.csv"), csv(lb, stepsPerSecond));
    List<Path> drawn = new ArrayList<>();
    String missing = figures ? null : "not drawn (--no-figures)";
    if (figures) {
      try {
        Path fd = dir.resolve("figures");
        drawn.addAll(FigureWriter.write(heatmap(lb, "Test accuracy", Row::testAccuracy), fd,
            "leaderboard_accuracy"));
        drawn.addAll(FigureWriter.write(heatmap(lb, "Generalization gap L_test - L_train",
            Row::gap), fd, "leaderboard_gap"));
        drawn.addAll(FigureWriter.write(heatmap(lb, "λ_max (final, held-out batch)",
            Row::lambdaMax), fd, "leaderboard_lambda_max"));
      } catch (RuntimeException | Error x) {
        if (x instanceof VirtualMachineError v) {
          throw v;
        }
        missing = "could not be drawn (" + x + ")";
        err.println("tca: warning: leaderboard figures " + missing + "; leaderboard.csv and"
            + " leaderboard.md are written (--no-figures skips figures)");
        err.flush();
      }
    }
    StudyOutputs.writeText(dir.resolve("leaderboard.md"),
        markdown(spec, lb, stepsPerSecond, dir, drawn, missing));
    return drawn;
  }

  static Heatmap heatmap(Leaderboard lb, String title, ToDoubleFunction<Row> f) {
    double[][] v = new double[lb.rules().size()][lb.tasks().size()];
    for (int r = 0; r < v.length; r++) {
      for (int t = 0; t < v[r].length; t++) {
        v[r][t] = f.applyAsDouble(lb.row(lb.tasks().get(t), lb.rules().get(r)));
      }
    }
    return new Heatmap(title + " (mean over ok runs)", lb.rules(), lb.tasks(), v);
  }

  static String csv(Leaderboard lb, Map<String, Double> stepsPerSecond) {
    StringBuilder sb = new StringBuilder(String.join(",", CSV_HEADER)).append('\n');
    for (Row r : lb.rows()) {
      sb.append(String.join(",", r.task(), r.rule(), Integer.toString(r.runs()),
          Integer.toString(r.ok()), Integer.toString(r.diverged()),
          Double.toString(r.testAccuracy()), Double.toString(r.testAccuracySd()),
          Double.toString(r.testLoss()), Double.toString(r.gap()),
          Double.toString(r.lambdaMax()), Double.toString(r.gradCosine()),
          Long.toString(r.stateBytesPerSample()), Double.toString(r.rank()),
          Double.toString(steps(stepsPerSecond, r)))).append('\n');
    }
    return sb.toString();
  }

  private static double steps(Map<String, Double> stepsPerSecond, Row r) {
    return stepsPerSecond.getOrDefault(r.task() + "/" + r.rule(), Double.NaN);
  }

  static String markdown(StudySpec spec, Leaderboard lb, Map<String, Double> stepsPerSecond,
      Path dir, List<Path> figures, String missing) {
    StringBuilder md = new StringBuilder();
    md.append("# Leaderboard ").append(spec.name()).append("\n\n").append(spec.description())
        .append("\n\n");
    md.append(String.format(Locale.ROOT, "%d rules x %d tasks x %d seeds; N = %d, %s at η = %s,"
        + " B = %d, %d iterations. Every run is in runs.csv; spec.json holds the whole study.%n%n",
        lb.rules().size(), lb.tasks().size(), spec.seeds().size(), spec.hidden(),
        spec.optimizer(), spec.settings().get(0).lr(), spec.batch(), spec.iterations()));
    md.append("## Overall\n\nRules ranked by their mean rank over the tasks (lower is better);"
        + " within a task rules are ranked by mean test accuracy (classification) or mean test"
        + " loss (regression, lower is better) of their ok runs, ties sharing the mean of their"
        + " positions, and a rule without a finite score (every run diverged) placed last."
        + " Equal mean ranks share a position.\n\n");
    StringBuilder head = new StringBuilder("| position | rule | mean rank |");
    StringBuilder sep = new StringBuilder("|---:|---|---:|");
    for (String t : lb.tasks()) {
      head.append(' ').append(t).append(" |");
      sep.append("---:|");
    }
    md.append(head).append('\n').append(sep).append('\n');
    for (Leaderboard.Overall o : lb.overall()) {
      md.append("| ").append(o.position()).append(" | ").append(o.rule()).append(" | ")
          .append(StudyOutputs.fmt(o.meanRank())).append(" |");
      for (String t : lb.tasks()) {
        md.append(' ').append(StudyOutputs.fmt(lb.row(t, o.rule()).rank())).append(" |");
      }
      md.append('\n');
    }
    md.append(String.format(Locale.ROOT, "%nBest overall: **%s**.%n",
        lb.overall().get(0).rule()));
    for (String t : lb.tasks()) {
      boolean cls = lb.classification(t);
      md.append("\n## ").append(t).append(" (ranked by ")
          .append(cls ? "test accuracy" : "test loss").append(")\n\n");
      md.append("| rank | rule | test accuracy (mean ± sd) | test loss | gap | λ_max | cos to BPTT"
          + " | steps/s | state bytes/sample | ok / diverged / runs |\n");
      md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (Row r : lb.ranked(t)) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %s ± %s | %s | %s | %s | %s | %s | %d"
            + " | %d / %d / %d |%n", StudyOutputs.fmt(r.rank()), r.rule(),
            StudyOutputs.fmt(r.testAccuracy()), StudyOutputs.fmt(r.testAccuracySd()),
            StudyOutputs.fmt(r.testLoss()), StudyOutputs.fmt(r.gap()),
            StudyOutputs.fmt(r.lambdaMax()), StudyOutputs.fmt(r.gradCosine()),
            StudyOutputs.fmt(steps(stepsPerSecond, r)), r.stateBytesPerSample(), r.ok(),
            r.diverged(), r.runs()));
      }
    }
    md.append("\n## Figures\n\n");
    if (missing != null) {
      md.append("Figures ").append(missing).append(".\n");
    }
    for (Path f : figures) {
      if (f.toString().endsWith(".png")) {
        String rel = dir.relativize(f).toString().replace('\\', '/');
        md.append("![").append(rel).append("](").append(rel).append(")\n\n");
      }
    }
    md.append("\n## Columns\n\n"
        + "- test accuracy, test loss, gap (L_test - L_train), λ_max (top Hessian eigenvalue of"
        + " the true loss on a held-out batch) and cos to BPTT (cosine of the rule's update to"
        + " the true gradient on a fixed training batch): at the last checkpoint, mean over the"
        + " ok runs; diverged runs are counted, not averaged.\n"
        + "- state bytes/sample: what the rule keeps per sample to produce its update, in f32"
        + " (BPTT: the stored forward pass; RTRL: the N x P influence matrix; e-prop/RFLO: the"
        + " traces; see FloatLearningRule#stateBytesPerSample).\n"
        + "- steps/s: a machine figure, not part of the reproducible record: training steps"
        + " (one gradient on a minibatch of B trials of the task) per second of one thread's CPU"
        + " time, timed after the runs (warm-up, then about 0.2 s) on this machine. Every other"
        + " number is reproducible from spec.json.\n");
    return md.toString();
  }
}
