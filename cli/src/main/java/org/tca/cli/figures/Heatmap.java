package org.tca.cli.figures;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rows x columns heatmap (the leaderboard's rules x tasks): each cell coloured on a sequential
 * colour-blind-safe scale (viridis anchors, linear in the value between the finite minimum and
 * maximum) and labelled with its value; NaN cells grey with a dash. A colour bar on the right
 * gives the scale. Text uses {@link FigureStyle#FONT}, so it draws the same without system fonts.
 */
public final class Heatmap implements Drawing {

  private static final Color[] VIRIDIS = {new Color(0x440154), new Color(0x3B528B),
      new Color(0x21918C), new Color(0x5EC962), new Color(0xFDE725)};
  private static final Color MISSING = new Color(0xDDDDDD);
  private static final int CELL_W = 96;
  private static final int CELL_H = 30;
  private static final int PAD = 14;
  private static final int BAR_W = 16;

  private final String title;
  private final List<String> rows;
  private final List<String> columns;
  private final double[][] values;
  private final double lo;
  private final double hi;
  private final Font text = FigureStyle.FONT.deriveFont(Font.PLAIN, 12f);
  private final Font bold = FigureStyle.FONT.deriveFont(Font.BOLD, 15f);
  private final int labelWidth;

  /** A heatmap of {@code values[row][column]}. */
  public Heatmap(String title, List<String> rows, List<String> columns, double[][] values) {
    if (rows.isEmpty() || columns.isEmpty() || values.length != rows.size()) {
      throw new IllegalArgumentException("a heatmap needs rows x columns values");
    }
    this.title = title;
    this.rows = List.copyOf(rows);
    this.columns = List.copyOf(columns);
    this.values = new double[values.length][];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < values.length; r++) {
      if (values[r].length != columns.size()) {
        throw new IllegalArgumentException("row " + r + " has " + values[r].length + " values");
      }
      this.values[r] = values[r].clone();
      for (double v : values[r]) {
        if (Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    this.lo = min;
    this.hi = max;
    int widest = 0;
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      FontMetrics fm = g.getFontMetrics(text);
      for (String r : rows) {
        widest = Math.max(widest, fm.stringWidth(r));
      }
    } finally {
      g.dispose();
    }
    this.labelWidth = widest + 10;
  }

  /** The value shown in a cell: four significant digits, a dash for NaN. */
  static String label(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3g", v);
  }

  /** The colour of {@code v}: NaN grey; a single finite value maps to the middle. */
  Color color(double v) {
    if (!Double.isFinite(v)) {
      return MISSING;
    }
    double x = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    double pos = x * (VIRIDIS.length - 1);
    int i = Math.min((int) pos, VIRIDIS.length - 2);
    double f = pos - i;
    Color a = VIRIDIS[i];
    Color b = VIRIDIS[i + 1];
    return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }

  private int top() {
    return PAD + 24 + 22;
  }

  @Override
  public int width() {
    return PAD + labelWidth + columns.size() * CELL_W + PAD + BAR_W + 70;
  }

  @Override
  public int height() {
    return top() + rows.size() * CELL_H + PAD;
  }

  @Override
  public void paint(Graphics2D g) {
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width(), height());
    g.setColor(Color.BLACK);
    g.setFont(bold);
    g.drawString(title, PAD, PAD + 16);
    g.setFont(text);
    FontMetrics fm = g.getFontMetrics();
    int x0 = PAD + labelWidth;
    int y0 = top();
    for (int c = 0; c < columns.size(); c++) {
      String s = columns.get(c);
      g.setColor(Color.BLACK);
      g.drawString(s, x0 + c * CELL_W + (CELL_W - fm.stringWidth(s)) / 2, y0 - 8);
    }
    for (int r = 0; r < rows.size(); r++) {
      int y = y0 + r * CELL_H;
      g.setColor(Color.BLACK);
      g.drawString(rows.get(r), PAD, y + (CELL_H + fm.getAscent()) / 2 - 2);
      for (int c = 0; c < columns.size(); c++) {
        double v = values[r][c];
        Color fill = color(v);
        g.setColor(fill);
        g.fillRect(x0 + c * CELL_W, y, CELL_W - 1, CELL_H - 1);
        double luma = 0.299 * fill.getRed() + 0.587 * fill.getGreen() + 0.114 * fill.getBlue();
        g.setColor(luma > 140 ? Color.BLACK : Color.WHITE);
        String s = label(v);
        g.drawString(s, x0 + c * CELL_W + (CELL_W - fm.stringWidth(s)) / 2,
            y + (CELL_H + fm.getAscent()) / 2 - 2);
      }
    }
    int bx = x0 + columns.size() * CELL_W + PAD;
    int bh = rows.size() * CELL_H - 1;
    for (int i = 0; i < bh; i++) {
      double v = Double.isFinite(lo) ? hi - (hi - lo) * i / Math.max(1, bh - 1) : Double.NaN;
      g.setColor(color(v));
      g.fillRect(bx, y0 + i, BAR_W, 1);
    }
    g.setColor(Color.BLACK);
    g.drawString(label(Double.isFinite(hi) ? hi : Double.NaN), bx + BAR_W + 4,
        y0 + fm.getAscent());
    g.drawString(label(Double.isFinite(lo) ? lo : Double.NaN), bx + BAR_W + 4, y0 + bh);
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public String description() {
    List<String> cells = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        cells.add(rows.get(r) + " x " + columns.get(c) + " = " + label(values[r][c]));
      }
    }
    return "Heatmap, rows " + String.join(", ", rows) + "; columns " + String.join(", ", columns)
        + "; " + String.join("; ", cells) + ".";
  }
}
