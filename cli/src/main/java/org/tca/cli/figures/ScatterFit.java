package org.tca.cli.figures;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tca.numerics.stats.Correlation;
import org.tca.numerics.stats.CorrelationResult;

/**
 * Final generalization gap against final lambda_max, one point per run coloured by rule, with the
 * least-squares line gap = a + b lambda_max and Pearson's r and Spearman's rho with their
 * two-sided p-values ({@link Correlation}) over the usable runs in the title. Diverged runs are
 * excluded from fit and correlations; those with finite values are drawn as black crosses, and
 * the fit's legend entry says how many runs it used out of all ("n = 18 of 20").
 */
final class ScatterFit {

  private ScatterFit() {}

  static XYChart build(List<RunSeries> runs, Map<String, Color> colors, int width, int height) {
    List<RunSeries> ok = runs.stream().filter(RunSeries::usable).toList();
    double[] x = ok.stream().mapToDouble(RunSeries::finalLambdaMax).toArray();
    double[] y = ok.stream().mapToDouble(RunSeries::gap).toArray();
    int excluded = runs.size() - ok.size();
    String title;
    if (ok.size() >= 3) {
      CorrelationResult p = Correlation.pearson(x, y);
      CorrelationResult s = Correlation.spearman(x, y);
      title = "Gap vs λ_max: " + FigureStyle.rp("Pearson r", p.r(), p.p()) + ", "
          + FigureStyle.rp("Spearman ρ", s.r(), s.p());
    } else {
      title = "Gap vs λ_max (" + ok.size() + " usable runs: too few for a correlation)";
    }
    double lo = x.length == 0 ? 0 : java.util.Arrays.stream(x).min().getAsDouble();
    double hi = x.length == 0 ? 1 : java.util.Arrays.stream(x).max().getAsDouble();
    boolean log = FigureStyle.wantsLog(lo, hi);
    XYChart c = FigureStyle.chart(width, height, title,
        "final λ_max" + (log ? " (log scale)" : ""), "final generalization gap (test − train loss)");
    c.getStyler().setXAxisLogarithmic(log);
    for (String rule : colors.keySet()) {
      List<RunSeries> mine = ok.stream().filter(r -> r.rule().equals(rule)).toList();
      if (!mine.isEmpty()) {
        FigureStyle.points(c, rule, rule,
            mine.stream().mapToDouble(RunSeries::finalLambdaMax).toArray(),
            mine.stream().mapToDouble(RunSeries::gap).toArray(), null, colors.get(rule),
            SeriesMarkers.CIRCLE);
      }
    }
    List<RunSeries> crosses = runs.stream().filter(r -> !r.usable()
        && Double.isFinite(r.gap()) && Double.isFinite(r.finalLambdaMax())
        && (!log || r.finalLambdaMax() > 0)).toList();
    if (!crosses.isEmpty()) {
      FigureStyle.points(c, "diverged", "diverged (not fitted)",
          crosses.stream().mapToDouble(RunSeries::finalLambdaMax).toArray(),
          crosses.stream().mapToDouble(RunSeries::gap).toArray(), null, FigureStyle.DIVERGED,
          SeriesMarkers.CROSS);
    }
    if (ok.size() >= 2 && hi > lo) {
      LineFit fit = LineFit.of(x, y);
      int m = log ? 64 : 2; // straight on a linear axis; a curve on a log axis
      double[] fx = new double[m];
      double[] fy = new double[m];
      for (int i = 0; i < m; i++) {
        double t = (double) i / (m - 1);
        fx[i] = log ? lo * Math.pow(hi / lo, t) : lo + (hi - lo) * t;
        fy[i] = fit.at(fx[i]);
      }
      FigureStyle.line(c, "fit", "least-squares fit (n = " + ok.size()
          + (excluded > 0 ? " of " + runs.size() : "") + ")", fx, fy, Color.BLACK, FigureStyle.SOLID);
    }
    FigureStyle.decimals(c, y.length == 0 ? 0 : java.util.Arrays.stream(y).min().getAsDouble(),
        y.length == 0 ? 1 : java.util.Arrays.stream(y).max().getAsDouble());
    if (c.getSeriesMap().isEmpty()) {
      FigureStyle.points(c, "none", "no usable runs", new double[] {0}, new double[] {0}, null,
          Color.WHITE, SeriesMarkers.NONE).setShowInLegend(false);
    }
    return c;
  }
}
