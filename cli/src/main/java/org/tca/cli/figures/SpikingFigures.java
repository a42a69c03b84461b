package org.tca.cli.figures;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.knowm.xchart.XYChart;

/**
 * The figures of a study of spiking cells, from runs that carry {@link SpikingCurves}. A spiking
 * network has no curvature (the Hessian through the spike function H is not defined), so in place
 * of {@link StudyFigures}' lambda_max figures it draws what such a study measures:
 *
 * <ol>
 *   <li>{@code gap_per_rule}: final generalization gap L_test - L_train per rule (as
 *       {@link StudyFigures#gapPerRule});
 *   <li>{@code accuracy}: train and test accuracy against iteration, a panel per rule;
 *   <li>{@code firing_rate}: the mean firing rate on the evaluated training trials (Hz) over
 *       training, one line per run coloured by rule, with the target rate r_0 of the firing-rate
 *       term when it is on;
 *   <li>{@code grad_cosine}: cos(g, grad L_BPTT), the cosine of each run's update with the spiking
 *       BPTT gradient on the alignment batch, over training, one line per run;
 *   <li>{@code learning_curves}: train and test loss against iteration, a panel per rule;
 *   <li>{@code gap_per_setting} (only when the runs have two or more learning-rate settings):
 *       the final gap per setting per rule ({@link StudyFigures#gapPerSetting}).
 * </ol>
 *
 * Figures 1-5 show the {@linkplain StudyFigures#baseline baseline} runs (the first learning-rate
 * setting), the last all runs. Diverged runs are dashed and end in a cross, as in
 * {@link StudyFigures}.
 */
public final class SpikingFigures {

  private SpikingFigures() {}

  /** (2) Train and test accuracy against iteration, one panel per rule. */
  public static Figure accuracy(List<RunSeries> runs) {
    List<RunSeries> rs = check(runs);
    Map<String, Color> colors = FigureStyle.ruleColors(rs);
    boolean one = colors.size() == 1;
    return TrainingCurves.trainAndTest(rs, colors, one ? StudyFigures.WIDTH
        : StudyFigures.PANEL_WIDTH, one ? StudyFigures.HEIGHT : StudyFigures.PANEL_HEIGHT,
        r -> r.spiking().trainAccuracy(), r -> r.spiking().testAccuracy(), "accuracy", false);
  }

  /**
   * (3) The train firing rate (Hz) over training, one line per run, with the target rate
   * {@code targetHz} as a reference line (NaN: none, the firing-rate term is off).
   */
  public static Figure firingRate(List<RunSeries> runs, double targetHz) {
    List<RunSeries> rs = check(runs);
    XYChart c = perRun(rs, r -> r.spiking().trainFiringRate(),
        "Mean firing rate on the evaluated training trials during training", "firing rate (Hz)");
    if (Double.isFinite(targetHz)) {
      double[] xr = TrainingCurves.xRange(rs);
      FigureStyle.line(c, "target rate", "target r_0 = " + RunSeries.format(targetHz) + " Hz",
          new double[] {xr[0], xr[1]}, new double[] {targetHz, targetHz}, FigureStyle.REFERENCE,
          FigureStyle.REFERENCE_LINE);
    }
    return Figure.of(c);
  }

  /** (4) The cosine of each run's update with the spiking BPTT gradient over training. */
  public static Figure gradCosine(List<RunSeries> runs) {
    XYChart c = perRun(check(runs), r -> r.spiking().gradCosine(),
        "Alignment of each rule's update with the spiking BPTT gradient during training",
        "cos(g, ∇L_BPTT)");
    c.getStyler().setYAxisMin(-1.0);
    c.getStyler().setYAxisMax(1.0);
    return Figure.of(c);
  }

  private static XYChart perRun(List<RunSeries> rs, Function<RunSeries, double[]> y,
      String title, String yTitle) {
    XYChart c = FigureStyle.chart(StudyFigures.WIDTH, StudyFigures.HEIGHT, title, "iteration",
        yTitle);
    List<double[]> crosses = TrainingCurves.runLines(c, rs, FigureStyle.ruleColors(rs), y, false);
    TrainingCurves.addCrosses(c, crosses, "diverged");
    if (c.getSeriesMap().isEmpty()) {
      FigureStyle.line(c, "none", "not measured", new double[] {0, 1}, new double[] {0, 0},
          Color.WHITE, FigureStyle.SOLID).setShowInLegend(false);
    }
    return c;
  }

  /**
   * Writes the figures of the class comment that apply as PNG and SVG into {@code dir} (created
   * if missing); returns the files, PNG before SVG, in that order. {@code targetHz}: the firing-rate target (NaN: no rate term).
   */
  public static List<Path> writeAll(List<RunSeries> runs, double targetHz, Path dir)
      throws IOException {
    List<RunSeries> rs = check(runs);
    List<RunSeries> base = StudyFigures.baseline(rs);
    List<Path> out = new ArrayList<>();
    out.addAll(FigureWriter.write(StudyFigures.gapPerRule(base), dir, "gap_per_rule"));
    out.addAll(FigureWriter.write(accuracy(base), dir, "accuracy"));
    out.addAll(FigureWriter.write(firingRate(base, targetHz), dir, "firing_rate"));
    out.addAll(FigureWriter.write(gradCosine(base), dir, "grad_cosine"));
    out.addAll(FigureWriter.write(StudyFigures.learningCurves(base), dir, "learning_curves"));
    if (StudyFigures.hasRemedy(rs)) {
      out.addAll(FigureWriter.write(StudyFigures.gapPerSetting(rs), dir, "gap_per_setting"));
    }
    return out;
  }

  private static List<RunSeries> check(List<RunSeries> runs) {
    Objects.requireNonNull(runs, "runs");
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs to plot: the study has no finished runs yet");
    }
    for (RunSeries r : runs) {
      if (Objects.requireNonNull(r, "a run is null").spiking() == null) {
        throw new IllegalArgumentException("run " + r.rule() + " seed " + r.seed()
            + " has no spiking curves (a rate-cell run: draw it with StudyFigures)");
      }
    }
    return List.copyOf(runs);
  }
}
