package org.tca.cli.figures;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.XYChart;

/**
 * The figures of a study, from its runs ({@link RunSeries}):
 *
 * <ol>
 *   <li>{@code gap_per_rule}: final generalization gap L_test - L_train per rule, a dot per seed
 *       with mean +- sd;
 *   <li>{@code lambda_max}: lambda_max(t) over training, one line per run coloured by rule, with
 *       the stability limit 2/eta of gradient descent;
 *   <li>{@code gap_vs_lambda_max}: final gap against final lambda_max across runs, least-squares
 *       line, Pearson r and Spearman rho with p-values;
 *   <li>{@code learning_curves}: train and test loss against iteration, a panel per rule;
 *   <li>{@code remedy} (only when the runs have two or more learning-rate settings): final gap and
 *       final lambda_max per setting per rule, with 2/eta per setting.
 * </ol>
 *
 * <p>Diverged runs are drawn where their numbers are finite, marked, counted, and never enter a
 * mean, sd, fit or correlation. Rules keep the order (and colour) of their first appearance.
 * Empty input is an {@link IllegalArgumentException}. A study of spiking cells has no curvature:
 * {@link SpikingFigures} draws its figures.
 */
public final class StudyFigures {

  /** Size of a single-chart figure in pixels. */
  public static final int WIDTH = 800;
  /** Height of a single-chart figure in pixels. */
  public static final int HEIGHT = 520;
  /** Size of one panel of a multi-panel figure. */
  public static final int PANEL_WIDTH = 600;
  /** Height of one panel of a multi-panel figure. */
  public static final int PANEL_HEIGHT = 420;

  static {
    FigureStyle.ensureHeadless();
  }

  private StudyFigures() {}

  /** (a) Final generalization gap per rule: dots per seed, mean +- sd. */
  public static Figure gapPerRule(List<RunSeries> runs) {
    List<RunSeries> rs = check(runs);
    Map<String, Color> colors = FigureStyle.ruleColors(rs);
    List<String> rules = List.copyOf(colors.keySet());
    StripChart.Strip p = StripChart.build(rs, colors, rules, r -> rules.indexOf(r.rule()),
        RunSeries::gap, "Generalization gap per rule (dots: seeds; diamond and bar: mean ± sd)",
        "rule", "final gap (test − train loss)", false, false, WIDTH, HEIGHT);
    return Figure.ofPanels(List.of(p.panel()), 1);
  }

  /** (b) lambda_max over training, one line per run, with the 2/eta line(s). */
  public static Figure lambdaMaxOverTraining(List<RunSeries> runs) {
    List<RunSeries> rs = check(runs);
    return Figure.of(TrainingCurves.lambdaMax(rs, FigureStyle.ruleColors(rs), WIDTH, HEIGHT));
  }

  /** (c) Final gap against final lambda_max with the least-squares line and r, p. */
  public static Figure gapVsLambdaMax(List<RunSeries> runs) {
    List<RunSeries> rs = check(runs);
    return Figure.of(ScatterFit.build(rs, FigureStyle.ruleColors(rs), WIDTH, HEIGHT));
  }

  /** (d) Train and test loss against iteration, one panel per rule. */
  public static Figure learningCurves(List<RunSeries> runs) {
    List<RunSeries> rs = check(runs);
    Map<String, Color> colors = FigureStyle.ruleColors(rs);
    boolean one = colors.size() == 1;
    return TrainingCurves.learningCurves(rs, colors, one ? WIDTH : PANEL_WIDTH,
        one ? HEIGHT : PANEL_HEIGHT);
  }

  /**
   * (e) The remedy panel: final gap (left) and final lambda_max (right) per learning-rate setting
   * per rule; 2/eta of each setting as a grey dashed segment on the right.
   */
  public static Figure remedy(List<RunSeries> runs) {
    List<RunSeries> rs = check(runs);
    Map<String, Color> colors = FigureStyle.ruleColors(rs);
    List<String> settings = settings(rs);
    StripChart.Strip gap = gapPerSetting(rs, colors, settings, PANEL_WIDTH, PANEL_HEIGHT);
    StripChart.Strip lamStrip = StripChart.build(rs, colors, settings,
        r -> settings.indexOf(r.setting()), RunSeries::finalLambdaMax,
        "Final λ_max per learning-rate setting", "learning-rate setting", "final λ_max", true,
        true, PANEL_WIDTH, PANEL_HEIGHT);
    XYChart lam = lamStrip.panel().chart();
    // 2/eta of each setting (the runs of one setting may use different base rates).
    var styler = lam.getStyler();
    double lo = lamStrip.lo();
    double hi = lamStrip.hi();
    boolean first = true;
    for (int g = 0; g < settings.size(); g++) {
      final int gi = g;
      double[] lrs = rs.stream().filter(r -> settings.indexOf(r.setting()) == gi)
          .mapToDouble(RunSeries::lr).distinct().toArray();
      for (double lr : lrs) {
        double limit = 2 / lr;
        FigureStyle.line(lam, "2/eta " + g + " " + lr, "2/η", new double[] {g - 0.42, g + 0.42},
            new double[] {limit, limit}, FigureStyle.REFERENCE, FigureStyle.REFERENCE_LINE)
            .setShowInLegend(first);
        first = false;
        lo = Math.min(lo, limit);
        hi = Math.max(hi, limit);
      }
    }
    StripChart.yRange(lam, lo, hi, styler.isYAxisLogarithmic() || FigureStyle.wantsLog(lo, hi));
    return Figure.ofPanels(List.of(gap.panel(), lamStrip.panel()), 2);
  }

  /** The learning-rate settings of the runs, in order of first appearance. */
  private static List<String> settings(List<RunSeries> rs) {
    Map<String, Double> settingLr = new LinkedHashMap<>();
    for (RunSeries r : rs) {
      settingLr.putIfAbsent(r.setting(), r.lr());
    }
    return List.copyOf(settingLr.keySet());
  }

  private static StripChart.Strip gapPerSetting(List<RunSeries> rs, Map<String, Color> colors,
      List<String> settings, int width, int height) {
    return StripChart.build(rs, colors, settings, r -> settings.indexOf(r.setting()),
        RunSeries::gap, "Final gap per learning-rate setting", "learning-rate setting",
        "final gap (test − train loss)", true, false, width, height);
  }

  /**
   * The final gap per learning-rate setting per rule, alone: the remedy figure's left panel, for
   * studies without curvature (spiking cells).
   */
  public static Figure gapPerSetting(List<RunSeries> runs) {
    List<RunSeries> rs = check(runs);
    return Figure.ofPanels(List.of(gapPerSetting(rs, FigureStyle.ruleColors(rs), settings(rs),
        WIDTH, HEIGHT).panel()), 1);
  }

  /** Whether the runs have two or more learning-rate settings (the remedy figure applies). */
  public static boolean hasRemedy(List<RunSeries> runs) {
    return check(runs).stream().map(RunSeries::setting).distinct().count() > 1;
  }

  /** The runs of the first learning-rate setting that appears (the study's baseline). */
  public static List<RunSeries> baseline(List<RunSeries> runs) {
    List<RunSeries> rs = check(runs);
    String first = rs.get(0).setting();
    return rs.stream().filter(r -> r.setting().equals(first)).toList();
  }

  /**
   * Writes every figure that applies as PNG and SVG into {@code dir} (created if missing);
   * returns the files written, PNG before SVG, in the order of the class comment. Figures 1-4
   * show the {@linkplain #baseline baseline} runs (the first setting); the remedy figure, written
   * when there are two or more settings, shows all runs.
   */
  public static List<Path> writeAll(List<RunSeries> runs, Path dir) throws IOException {
    List<RunSeries> rs = check(runs);
    List<RunSeries> base = baseline(rs);
    List<Path> out = new ArrayList<>();
    out.addAll(FigureWriter.write(gapPerRule(base), dir, "gap_per_rule"));
    out.addAll(FigureWriter.write(lambdaMaxOverTraining(base), dir, "lambda_max"));
    out.addAll(FigureWriter.write(gapVsLambdaMax(base), dir, "gap_vs_lambda_max"));
    out.addAll(FigureWriter.write(learningCurves(base), dir, "learning_curves"));
    if (hasRemedy(rs)) {
      out.addAll(FigureWriter.write(remedy(rs), dir, "remedy"));
    }
    return out;
  }

  private static List<RunSeries> check(List<RunSeries> runs) {
    Objects.requireNonNull(runs, "runs");
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs to plot: the study has no finished runs yet");
    }
    runs.forEach(r -> Objects.requireNonNull(r, "a run is null"));
    return List.copyOf(runs);
  }
}
