package org.tca.cli.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look shared by all study figures: white background, DejaVu Sans (shipped in the jar, so
 * figures draw the same on a machine without fonts: {@link #FONT}), the Okabe-Ito
 * colour-blind-safe palette (one colour per rule, in order of first appearance), and the rule for
 * switching an axis to log scale (all values positive and max/min above {@link #LOG_SPREAD}).
 */
final class FigureStyle {

  static {
    // Figures are drawn off screen; never try to reach a display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /**
   * DejaVu Sans 2.37, read from the jar (see {@code DejaVuSans-LICENSE.txt} beside it): no
   * system font, fontconfig or logical font name is consulted, so servers without fonts draw
   * figures too. Bold sizes are derived from it (synthetic emboldening).
   */
  static final Font FONT = loadFont("DejaVuSans.ttf");

  /**
   * max/min ratio of positive values above which an axis goes logarithmic; above 100 a log axis
   * always shows at least two labelled decades.
   */
  static final double LOG_SPREAD = 100;

  static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
    new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0x999933),
  };
  static final Color REFERENCE = new Color(0x555555);
  static final Color DIVERGED = new Color(0x222222);
  static final BasicStroke SOLID = new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
      10f, new float[] {6f, 4f}, 0f);
  static final BasicStroke REFERENCE_LINE = new BasicStroke(1.4f, BasicStroke.CAP_BUTT,
      BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 5f}, 0f);

  private FigureStyle() {}

  private static Font loadFont(String resource) {
    try (InputStream in = FigureStyle.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("font " + resource + " missing from the jar");
      }
      return Font.createFont(Font.TRUETYPE_FONT, in);
    } catch (FontFormatException | IOException e) {
      throw new IllegalStateException("cannot read the font " + resource + " from the jar: " + e,
          e);
    }
  }

  /** Makes sure AWT runs headless (the static initializer does it once). */
  static void ensureHeadless() {
    // Loading this class ran the static initializer.
  }

  /** A chart of the given size with the shared look. */
  static XYChart chart(int width, int height, String title, String xTitle, String yTitle) {
    XYChart c = new XYChart(width, height);
    c.setTitle(title);
    c.setXAxisTitle(xTitle);
    c.setYAxisTitle(yTitle);
    XYStyler s = c.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderVisible(true);
    s.setPlotBorderColor(new Color(0x888888));
    s.setPlotGridLinesColor(new Color(0xE3E3E3));
    s.setChartTitleBoxVisible(false);
    s.setChartTitleFont(FONT.deriveFont(Font.BOLD, 15f));
    s.setAxisTitleFont(FONT.deriveFont(Font.PLAIN, 13f));
    s.setAxisTickLabelsFont(FONT.deriveFont(Font.PLAIN, 11f));
    s.setLegendFont(FONT.deriveFont(Font.PLAIN, 12f));
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
    s.setLegendBorderColor(Color.WHITE);
    s.setMarkerSize(7);
    s.setAntiAlias(true);
    s.setChartPadding(12);
    s.setErrorBarsColorSeriesColor(true);
    s.setToolTipsEnabled(false);
    return c;
  }

  /**
   * A y-axis number pattern with a leading zero ("0.05" rather than XChart's ".05") for a
   * linear axis whose values lie within 1e-3 .. 1e5 in magnitude; XChart's default otherwise.
   */
  static void decimals(XYChart c, double lo, double hi) {
    double m = Math.max(Math.abs(lo), Math.abs(hi));
    if (!c.getStyler().isYAxisLogarithmic() && m >= 1e-3 && m < 1e5 && hi - lo >= 1e-3) {
      c.getStyler().setYAxisDecimalPattern("#,##0.###");
    }
  }

  /** One colour per rule, in order of first appearance in {@code runs}. */
  static Map<String, Color> ruleColors(List<RunSeries> runs) {
    Map<String, Color> colors = new LinkedHashMap<>();
    for (RunSeries r : runs) {
      colors.computeIfAbsent(r.rule(), k -> PALETTE[colors.size() % PALETTE.length]);
    }
    return colors;
  }

  /** Whether values spread wide enough, all positive, for a log axis. */
  static boolean wantsLog(double min, double max) {
    return min > 0 && Double.isFinite(max) && max / min > LOG_SPREAD;
  }

  /** A line series without markers. */
  static XYSeries line(XYChart c, String name, String label, double[] x, double[] y, Color color,
      BasicStroke stroke) {
    XYSeries s = c.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineStyle(stroke);
    s.setLabel(label);
    return s;
  }

  /** A scatter series of the given marker. */
  static XYSeries points(XYChart c, String name, String label, double[] x, double[] y,
      double[] err, Color color, org.knowm.xchart.style.markers.Marker marker) {
    XYSeries s = err == null ? c.addSeries(name, x, y) : c.addSeries(name, x, y, err);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(marker);
    s.setMarkerColor(color);
    s.setLineColor(color);
    s.setLabel(label);
    return s;
  }

  /** r = 0.81 (p = 0.004); small p in scientific notation. */
  static String rp(String symbol, double r, double p) {
    if (Double.isNaN(r)) {
      return symbol + " undefined";
    }
    String ps = p == 0 ? "0" : p < 1e-3 ? String.format(Locale.ROOT, "%.1e", p)
        : String.format(Locale.ROOT, "%.3f", p);
    return String.format(Locale.ROOT, "%s = %.2f (p = %s)", symbol, r, ps);
  }
}
