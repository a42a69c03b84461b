package org.tca.cli.figures;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.tca.numerics.io.AtomicFiles;

/**
 * Writes a {@link Drawing} (a {@link Figure}, a {@link Heatmap}) as PNG (Java2D raster, ImageIO's encoder, which writes no timestamp)
 * and as SVG (VectorGraphics2D's SVG processor; no timestamp; XChart draws text as glyph outlines,
 * so the figure's titles, axis titles and legend entries are repeated in the SVG's {@code <title>}
 * and {@code <desc>}), each atomically:
 * the bytes go to a temporary file in the target directory, are synced, and the temporary file is
 * renamed onto the target, so a reader never sees a half-written figure. The same figure on the
 * same JDK and fonts gives the same bytes.
 */
public final class FigureWriter {

  static {
    FigureStyle.ensureHeadless();
  }

  private FigureWriter() {}

  /** Writes {@code dir/baseName.png} and {@code dir/baseName.svg}; returns both paths. */
  public static List<Path> write(Drawing figure, Path dir, String baseName) throws IOException {
    if (baseName.isBlank() || baseName.contains("/") || baseName.contains("\\")) {
      throw new IllegalArgumentException("bad figure name: '" + baseName + "'");
    }
    Files.createDirectories(dir);
    Path png = dir.resolve(baseName + ".png");
    Path svg = dir.resolve(baseName + ".svg");
    AtomicFiles.write(png, png(figure));
    AtomicFiles.write(svg, svg(figure));
    return List.of(png, svg);
  }

  /** The figure as PNG bytes, {@code width x height} pixels. */
  public static byte[] png(Drawing figure) throws IOException {
    BufferedImage img = new BufferedImage(figure.width(), figure.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      figure.paint(g);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", out)) {
      throw new IOException("no PNG writer in this JDK");
    }
    return out.toByteArray();
  }

  /** The figure as an SVG document (UTF-8). */
  public static byte[] svg(Drawing figure) throws IOException {
    VectorGraphics2D g = new VectorGraphics2D();
    try {
      figure.paint(g);
    } finally {
      g.dispose();
    }
    Document doc = new SVGProcessor().getDocument(g.getCommands(),
        new PageSize(0, 0, figure.width(), figure.height()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    doc.writeTo(out);
    return withTitle(out.toString(StandardCharsets.UTF_8), figure.title(), figure.description())
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Inserts {@code <title>} and {@code <desc>} as the first children of the root element. */
  static String withTitle(String svg, String title, String desc) {
    int open = svg.indexOf("<svg");
    int end = open < 0 ? -1 : svg.indexOf('>', open);
    if (end < 0) {
      throw new IllegalStateException("not an SVG document");
    }
    return svg.substring(0, end + 1) + "\n  <title>" + xml(title) + "</title>\n  <desc>"
        + xml(desc) + "</desc>" + svg.substring(end + 1);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
