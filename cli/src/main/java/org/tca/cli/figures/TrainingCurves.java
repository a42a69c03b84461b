package org.tca.cli.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Curves over training: lambda_max(t) of every run, coloured by rule, against the gradient
 * descent stability limit 2/eta (|1 - eta lambda| < 1 needs lambda < 2/eta), and the train and
 * test loss of every run, one panel per rule on shared axes. Non-finite points are skipped; a
 * diverged run is dashed and ends in a black cross at its last finite point. The y axis is
 * logarithmic when all values are positive and span more than {@link FigureStyle#LOG_SPREAD}.
 */
final class TrainingCurves {

  static final Color TRAIN = new Color(0x0072B2);
  static final Color TEST = new Color(0xD55E00);

  private TrainingCurves() {}

  /** The finite (x, y) pairs, and only y > 0 when {@code positive}: {xs, ys}. */
  static double[][] finite(double[] x, double[] y, boolean positive) {
    int n = 0;
    double[] fx = new double[x.length];
    double[] fy = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!positive || y[i] > 0)) {
        fx[n] = x[i];
        fy[n++] = y[i];
      }
    }
    return new double[][] {java.util.Arrays.copyOf(fx, n), java.util.Arrays.copyOf(fy, n)};
  }

  /** Range [min, max] of finite values (of positive ones only when asked); NaNs when none. */
  static double[] range(List<double[]> arrays, boolean positive) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] a : arrays) {
      for (double v : a) {
        if (Double.isFinite(v) && (!positive || v > 0)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return lo <= hi ? new double[] {lo, hi} : new double[] {Double.NaN, Double.NaN};
  }

  /** lambda_max over training, one line per run, with a 2/eta line per base learning rate. */
  static XYChart lambdaMax(List<RunSeries> runs, Map<String, Color> colors, int width, int height) {
    TreeSet<Double> lrs = new TreeSet<>();
    List<double[]> values = new ArrayList<>();
    for (RunSeries r : runs) {
      lrs.add(r.lr());
      values.add(r.lambdaMax());
    }
    double[] all = range(values, false);
    double[] pos = range(values, true);
    double limitLo = 2 / lrs.last();
    double limitHi = 2 / lrs.first();
    boolean log = !(all[0] <= 0) && FigureStyle.wantsLog(Math.min(pos[0], limitLo),
        Math.max(pos[1], limitHi));
    XYChart c = FigureStyle.chart(width, height,
        "Leading Hessian eigenvalue during training, against the 2/η stability limit",
        "iteration", "λ_max" + (log ? " (log scale)" : ""));
    c.getStyler().setYAxisLogarithmic(log);
    List<double[]> crosses = runLines(c, runs, colors, RunSeries::lambdaMax, log);
    double[] xr = xRange(runs);
    for (double lr : lrs.descendingSet()) {
      FigureStyle.line(c, "2/eta " + lr, "2/η = " + RunSeries.format(2 / lr)
          + (lrs.size() > 1 ? " (η = " + RunSeries.format(lr) + ")" : ""),
          new double[] {xr[0], xr[1]}, new double[] {2 / lr, 2 / lr}, FigureStyle.REFERENCE,
          FigureStyle.REFERENCE_LINE);
    }
    addCrosses(c, crosses, "diverged");
    return c;
  }

  /**
   * One line per run of the curve {@code y} (only y &gt; 0 when {@code positive}), coloured by
   * rule with one legend entry per rule, dashed for a diverged run; returns the last finite
   * point of each diverged run (where its cross goes).
   */
  static List<double[]> runLines(XYChart c, List<RunSeries> runs, Map<String, Color> colors,
      Function<RunSeries, double[]> y, boolean positive) {
    Set<String> legend = new HashSet<>();
    List<double[]> crosses = new ArrayList<>();
    int i = 0;
    for (RunSeries r : runs) {
      double[][] p = finite(r.iterations(), y.apply(r), positive);
      i++;
      if (p[0].length == 0) {
        continue;
      }
      XYSeries s = FigureStyle.line(c, r.rule() + " seed " + r.seed() + " #" + i, r.rule(), p[0],
          p[1], colors.get(r.rule()), r.diverged() ? FigureStyle.DASHED : FigureStyle.SOLID);
      s.setShowInLegend(legend.add(r.rule()));
      if (r.diverged()) {
        crosses.add(new double[] {p[0][p[0].length - 1], p[1][p[1].length - 1]});
      }
    }
    return crosses;
  }

  /** The iteration range of the runs, widened to [x, x + 1] (or [0, 1]) when empty. */
  static double[] xRange(List<RunSeries> runs) {
    double[] xr = range(runs.stream().map(RunSeries::iterations).toList(), false);
    if (!(xr[0] < xr[1])) {
      xr = new double[] {Double.isNaN(xr[0]) ? 0 : xr[0], Double.isNaN(xr[0]) ? 1 : xr[0] + 1};
    }
    return xr;
  }

  /** Train and test loss per rule: one panel per rule, shared axes. */
  static Figure learningCurves(List<RunSeries> runs, Map<String, Color> colors, int panelWidth,
      int panelHeight) {
    return trainAndTest(runs, colors, panelWidth, panelHeight, RunSeries::trainLoss,
        RunSeries::testLoss, "loss", true);
  }

  /**
   * The curves {@code train} and {@code test} of a {@code quantity} ("loss", "accuracy") per
   * rule: one panel per rule, shared axes, logarithmic when {@code mayLog} and the values span
   * more than {@link FigureStyle#LOG_SPREAD}.
   */
  static Figure trainAndTest(List<RunSeries> runs, Map<String, Color> colors, int panelWidth,
      int panelHeight, Function<RunSeries, double[]> train, Function<RunSeries, double[]> test,
      String quantity, boolean mayLog) {
    List<double[]> losses = new ArrayList<>();
    for (RunSeries r : runs) {
      losses.add(train.apply(r));
      losses.add(test.apply(r));
    }
    double[] all = range(losses, false);
    double[] pos = range(losses, true);
    boolean log = mayLog && !(all[0] <= 0) && FigureStyle.wantsLog(pos[0], pos[1]);
    double[] xr = range(runs.stream().map(RunSeries::iterations).toList(), false);
    List<XYChart> panels = new ArrayList<>();
    for (String rule : colors.keySet()) {
      List<RunSeries> mine = runs.stream().filter(r -> r.rule().equals(rule)).toList();
      long diverged = mine.stream().filter(RunSeries::diverged).count();
      XYChart c = FigureStyle.chart(panelWidth, panelHeight, rule + " (" + mine.size()
          + (mine.size() == 1 ? " run" : " runs") + (diverged > 0 ? ", " + diverged + " diverged" : "")
          + ")", "iteration", quantity + (log ? " (log scale)" : ""));
      c.getStyler().setYAxisLogarithmic(log);
      if (Double.isFinite(all[0])) {
        double lo = log ? pos[0] : all[0];
        double hi = log ? pos[1] : all[1];
        double pad = log ? 0 : 0.05 * Math.max(hi - lo, 1e-12);
        c.getStyler().setYAxisMin(log ? lo / 1.2 : lo - pad);
        c.getStyler().setYAxisMax(log ? hi * 1.2 : hi + pad);
      }
      if (xr[0] < xr[1]) {
        c.getStyler().setXAxisMin(xr[0]);
        c.getStyler().setXAxisMax(xr[1]);
      }
      boolean first = true;
      List<double[]> crosses = new ArrayList<>();
      int i = 0;
      for (RunSeries r : mine) {
        i++;
        double[][] tr = finite(r.iterations(), train.apply(r), log);
        double[][] te = finite(r.iterations(), test.apply(r), log);
        if (tr[0].length > 0) {
          FigureStyle.line(c, "train " + r.seed() + " #" + i, "train " + quantity, tr[0], tr[1],
              TRAIN, FigureStyle.SOLID).setShowInLegend(first);
        }
        if (te[0].length > 0) {
          FigureStyle.line(c, "test " + r.seed() + " #" + i, "test " + quantity, te[0], te[1],
              TEST, FigureStyle.DASHED).setShowInLegend(first);
        }
        first &= tr[0].length == 0 && te[0].length == 0;
        double[][] last = te[0].length > 0 ? te : tr;
        if (r.diverged() && last[0].length > 0) {
          crosses.add(new double[] {last[0][last[0].length - 1], last[1][last[1].length - 1]});
        }
      }
      addCrosses(c, crosses, "diverged");
      if (c.getSeriesMap().isEmpty()) {
        FigureStyle.line(c, "none", "no finite " + (quantity.equals("loss") ? "losses"
            : quantity + " values"), new double[] {0, 1}, new double[] {1, 1},
            Color.WHITE, FigureStyle.SOLID).setShowInLegend(false);
      }
      panels.add(c);
    }
    int columns = panels.size() == 4 ? 2 : Math.min(3, panels.size());
    return Figure.grid(panels, columns);
  }

  static void addCrosses(XYChart c, List<double[]> crosses, String label) {
    if (crosses.isEmpty()) {
      return;
    }
    FigureStyle.points(c, "diverged runs", label,
        crosses.stream().mapToDouble(p -> p[0]).toArray(),
        crosses.stream().mapToDouble(p -> p[1]).toArray(), null, FigureStyle.DIVERGED,
        SeriesMarkers.CROSS);
  }
}
