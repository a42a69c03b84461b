package org.tca.cli.figures;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.XYChart;

/**
 * A figure: one chart, or several charts (panels) laid out row by row in a grid of
 * {@code columns} columns, each panel {@code panelWidth x panelHeight} pixels. The figure is
 * {@code columns * panelWidth} wide and {@code rows * panelHeight} high, rows = ceil(panels /
 * columns). It paints onto any {@link Graphics2D}: a raster for PNG, a vector recorder for SVG.
 *
 * <p>A panel may carry category labels for an x axis whose categories sit at x = 0, 1, ...; they
 * are drawn centred under those positions, between the plot and the x-axis title (XChart's own
 * tick labels only fall on data points or on "nice" numbers, so it cannot place them).
 */
public final class Figure implements Drawing {

  /** A chart and, for a categorical x axis, the labels at x = 0, 1, ... (else null). */
  record Panel(XYChart chart, String[] categories) {
    Panel {
      Objects.requireNonNull(chart, "chart");
      categories = categories == null ? null : categories.clone();
    }
  }

  private final List<Panel> panels;
  private final int columns;
  private final int panelWidth;
  private final int panelHeight;

  private Figure(List<Panel> panels, int columns) {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("a figure needs at least one panel");
    }
    this.panels = List.copyOf(panels);
    this.columns = Math.max(1, Math.min(columns, panels.size()));
    this.panelWidth = panels.get(0).chart().getWidth();
    this.panelHeight = panels.get(0).chart().getHeight();
    if (panelWidth < 50 || panelHeight < 50) {
      throw new IllegalArgumentException("panels must be at least 50 x 50 pixels");
    }
  }

  /** A figure of one chart, at the chart's size. */
  public static Figure of(XYChart chart) {
    return new Figure(List.of(new Panel(chart, null)), 1);
  }

  /** Panels in a grid of {@code columns} columns, each at the first panel's size. */
  public static Figure grid(List<XYChart> charts, int columns) {
    return new Figure(charts.stream().map(c -> new Panel(c, null)).toList(), columns);
  }

  static Figure ofPanels(List<Panel> panels, int columns) {
    return new Figure(panels, columns);
  }

  /** The charts, in layout order. */
  public List<XYChart> panels() {
    return panels.stream().map(Panel::chart).toList();
  }

  /** The category labels of panel {@code i}, or null when its x axis is numeric. */
  String[] categories(int i) {
    String[] c = panels.get(i).categories();
    return c == null ? null : c.clone();
  }

  /** The panel titles, joined by " | ". */
  @Override
  public String title() {
    return String.join(" | ", panels.stream().map(p -> p.chart().getTitle()).toList());
  }

  /**
   * A plain-text description of what is drawn: per panel its title, axis titles, category
   * labels and legend entries. XChart draws all its text as glyph outlines, so the SVG writer
   * puts this into the document's {@code <desc>} for search and screen readers.
   */
  @Override
  public String description() {
    StringBuilder sb = new StringBuilder();
    for (Panel p : panels) {
      XYChart c = p.chart();
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(c.getTitle()).append(". x: ").append(c.getXAxisTitle().strip())
          .append("; y: ").append(c.getYAxisTitle().strip());
      if (p.categories() != null) {
        sb.append("; categories: ").append(String.join(", ",
            java.util.Arrays.stream(p.categories()).map(l -> l.replace('\n', ' ')).toList()));
      }
      List<String> legend = c.getSeriesMap().values().stream()
          .filter(org.knowm.xchart.internal.series.Series::isShowInLegend)
          .map(org.knowm.xchart.internal.series.Series::getLabel).toList();
      if (!legend.isEmpty()) {
        sb.append("; series: ").append(String.join(", ", legend));
      }
      sb.append('.');
    }
    return sb.toString();
  }

  /** Width in pixels. */
  @Override
  public int width() {
    return columns * panelWidth;
  }

  /** Height in pixels. */
  @Override
  public int height() {
    return ((panels.size() + columns - 1) / columns) * panelHeight;
  }

  /** Paints the whole figure at (0, 0) on a white background. */
  @Override
  public void paint(Graphics2D g) {
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width(), height());
    for (int i = 0; i < panels.size(); i++) {
      Graphics2D p = (Graphics2D) g.create();
      try {
        p.translate((i % columns) * panelWidth, (i / columns) * panelHeight);
        p.clipRect(0, 0, panelWidth, panelHeight);
        Panel panel = panels.get(i);
        panel.chart().paint(p, panelWidth, panelHeight);
        if (panel.categories() != null) {
          drawCategories(p, panel.chart(), panel.categories());
        }
      } finally {
        p.dispose();
      }
    }
  }

  /**
   * Category labels under x = 0, 1, ...: the plot's bottom edge lies below the y-axis minimum by
   * the plot's inner margin, (1 - s) / (2 s) of the data span on screen, s = plot content size.
   */
  private static void drawCategories(Graphics2D g, XYChart chart, String[] labels) {
    var styler = chart.getStyler();
    double yMin = chart.getScreenYFromChart(styler.getYAxisMin());
    double yMax = chart.getScreenYFromChart(styler.getYAxisMax());
    double s = styler.getPlotContentSize();
    double bottom = yMin + (yMin - yMax) * (1 - s) / (2 * s);
    double step = labels.length > 1
        ? chart.getScreenXFromChart(1) - chart.getScreenXFromChart(0)
        : 2 * (chart.getScreenXFromChart(0) - chart.getScreenXFromChart(-0.5));
    Font font = styler.getAxisTickLabelsFont().deriveFont(12f);
    for (String label : labels) {
      for (String line : label.split("\n")) {
        while (font.getSize2D() > 7 && g.getFontMetrics(font).stringWidth(line) > 0.95 * step) {
          font = font.deriveFont(font.getSize2D() - 0.5f);
        }
      }
    }
    g.setFont(font);
    g.setColor(styler.getAxisTickLabelsColor());
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i < labels.length; i++) {
      float y = (float) (bottom + 6 + fm.getAscent());
      for (String line : labels[i].split("\n")) {
        float x = (float) (chart.getScreenXFromChart(i) - fm.stringWidth(line) / 2.0);
        g.drawString(line, x, y);
        y += fm.getHeight();
      }
    }
  }
}
