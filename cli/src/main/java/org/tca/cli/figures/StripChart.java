package org.tca.cli.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tca.numerics.stats.Descriptive;

/**
 * A strip chart: a dot per run and the mean with a +-1 sd error bar (sd with divisor n - 1; no
 * bar for a single run), for each rule within each group of runs along a categorical x axis.
 * Group g sits at x = g; the k rules present in a group are spread over [g - 0.35, g + 0.35], and
 * the dots of a rule are spread evenly around its place so that equal values stay visible.
 * Diverged runs are drawn as black crosses when their value is finite and never enter a mean;
 * the group's tick label counts them.
 */
final class StripChart {

  private static final double GROUP_WIDTH = 0.7;

  private StripChart() {}

  /**
   * Builds the chart.
   *
   * @param groups the group labels along x, in order
   * @param groupOf the group index of a run
   * @param value the plotted value of a run
   * @param ruleLegend whether each rule gets a legend entry (off when groups are the rules)
   * @param allowLog whether the y axis may go logarithmic (wide spread of positive values)
   */
  static Strip build(List<RunSeries> runs, Map<String, Color> colors, List<String> groups,
      ToDoubleFunction<RunSeries> groupOf, ToDoubleFunction<RunSeries> value, String title,
      String xTitle, String yTitle, boolean ruleLegend, boolean allowLog, int width, int height) {
    XYChart c = FigureStyle.chart(width, height, title, xTitle, yTitle);
    int[] divergedPerGroup = new int[groups.size()];
    int[] runsPerGroup = new int[groups.size()];
    List<double[]> divergedPoints = new ArrayList<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    List<String> rules = List.copyOf(colors.keySet());
    Set<String> inLegend = new HashSet<>();
    for (int g = 0; g < groups.size(); g++) {
      final int gi = g;
      List<String> present = rules.stream().filter(rule -> runs.stream()
          .anyMatch(r -> r.rule().equals(rule) && (int) groupOf.applyAsDouble(r) == gi)).toList();
      for (int k = 0; k < present.size(); k++) {
        String rule = present.get(k);
        double slot = GROUP_WIDTH / present.size();
        double center = g + GROUP_WIDTH * ((k + 0.5) / present.size() - 0.5);
        // Dots to the left of the slot's centre, the mean and its bar to the right.
        double spread = 0.32 * slot;
        double dotsAt = center - 0.2 * slot;
        double meanAt = center + 0.22 * slot;
        List<RunSeries> cell = runs.stream()
            .filter(r -> r.rule().equals(rule) && (int) groupOf.applyAsDouble(r) == gi).toList();
        double[] ok = cell.stream().filter(r -> !r.diverged())
            .mapToDouble(value).filter(Double::isFinite).toArray();
        runsPerGroup[g] += cell.size();
        for (RunSeries r : cell) {
          double v = value.applyAsDouble(r);
          if (r.diverged()) {
            divergedPerGroup[g]++;
            if (Double.isFinite(v)) {
              divergedPoints.add(new double[] {center, v});
            }
          }
        }
        if (ok.length == 0) {
          continue;
        }
        double[] xs = new double[ok.length];
        for (int i = 0; i < ok.length; i++) {
          xs[i] = dotsAt + (ok.length == 1 ? 0 : spread * ((double) i / (ok.length - 1) - 0.5));
          lo = Math.min(lo, ok[i]);
          hi = Math.max(hi, ok[i]);
        }
        Color color = colors.get(rule);
        String id = rule + "@" + g;
        XYSeries dots = FigureStyle.points(c, id + " runs", rule, xs, ok, null,
            translucent(color), SeriesMarkers.CIRCLE);
        dots.setShowInLegend(false);
        double mean = Descriptive.mean(ok);
        double sd = ok.length > 1 ? Descriptive.standardDeviation(ok) : 0;
        lo = Math.min(lo, mean - sd);
        hi = Math.max(hi, mean + sd);
        XYSeries m = FigureStyle.points(c, id + " mean", rule, new double[] {meanAt},
            new double[] {mean}, new double[] {sd}, color, SeriesMarkers.DIAMOND);
        m.setShowInLegend(ruleLegend && inLegend.add(rule));
      }
    }
    if (!divergedPoints.isEmpty()) {
      double[] dx = divergedPoints.stream().mapToDouble(p -> p[0]).toArray();
      double[] dy = divergedPoints.stream().mapToDouble(p -> p[1]).toArray();
      FigureStyle.points(c, "diverged", ruleLegend ? "diverged" : "diverged (not in mean)", dx, dy,
          null, FigureStyle.DIVERGED, SeriesMarkers.CROSS);
      lo = Math.min(lo, Arrays.stream(dy).min().orElse(lo));
      hi = Math.max(hi, Arrays.stream(dy).max().orElse(hi));
    }
    if (c.getSeriesMap().isEmpty()) {
      // Nothing finite to show: an empty frame that still names the groups.
      FigureStyle.points(c, "none", "no finite values", new double[] {0}, new double[] {0}, null,
          Color.WHITE, SeriesMarkers.NONE).setShowInLegend(false);
      lo = -1;
      hi = 1;
    }
    String[] labels = new String[groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      labels[g] = groups.get(g) + String.format(Locale.ROOT, "\n(n = %d%s)", runsPerGroup[g],
          divergedPerGroup[g] == 0 ? "" : ", " + divergedPerGroup[g] + " diverged");
    }
    categoricalX(c, groups.size());
    if (!ruleLegend && divergedPoints.isEmpty()) {
      c.getStyler().setLegendVisible(false);
    }
    yRange(c, lo, hi, allowLog && FigureStyle.wantsLog(lo, hi));
    FigureStyle.decimals(c, lo, hi);
    return new Strip(new Figure.Panel(c, labels), lo, hi);
  }

  /** The built panel and the unpadded range [lo, hi] of everything drawn on its y axis. */
  record Strip(Figure.Panel panel, double lo, double hi) {}

  /** Sets the y axis to [lo, hi] with a margin: 8% linear, or a factor 1.3 on a log axis. */
  static void yRange(XYChart c, double lo, double hi, boolean log) {
    if (log && lo > 0) {
      c.getStyler().setYAxisLogarithmic(true);
      c.getStyler().setYAxisMin(lo / 1.3);
      c.getStyler().setYAxisMax(hi * 1.3);
      c.setYAxisTitle(c.getYAxisTitle().replace(" (log scale)", "") + " (log scale)");
      return;
    }
    c.getStyler().setYAxisLogarithmic(false);
    double pad = hi > lo ? 0.08 * (hi - lo) : Math.max(1e-3, Math.abs(hi) * 0.1);
    c.getStyler().setYAxisMin(lo >= 0 ? Math.max(0, lo - pad) : lo - pad);
    c.getStyler().setYAxisMax(hi + pad);
  }

  /**
   * The x axis runs from -0.5 to G - 0.5 without tick labels ({@link Figure} draws the group
   * labels); the axis title is pushed down to make room for them.
   */
  static void categoricalX(XYChart c, int groups) {
    var styler = c.getStyler();
    styler.setXAxisMin(-0.5);
    styler.setXAxisMax(groups - 0.5);
    styler.setPlotGridVerticalLinesVisible(false);
    styler.setXAxisTicksVisible(false);
    styler.setAxisTitlePadding(40);
  }

  private static Color translucent(Color c) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), 150);
  }
}
