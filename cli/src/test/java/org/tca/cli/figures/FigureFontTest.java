package org.tca.cli.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** Figures draw with the font shipped in the jar, never a system font. */
class FigureFontTest {

  @Test
  void chartsUseTheShippedDejaVuSans() {
    assertEquals("DejaVu Sans", FigureStyle.FONT.getFamily());
    assertTrue(FigureStyle.FONT.canDisplayUpTo("λ_max −2/η ±ρ×") < 0, "glyphs the figures use");
    XYChart c = FigureStyle.chart(100, 100, "t", "x", "y");
    for (Font f : new Font[] {c.getStyler().getChartTitleFont(), c.getStyler().getAxisTitleFont(),
        c.getStyler().getAxisTickLabelsFont(), c.getStyler().getLegendFont()}) {
      assertEquals("DejaVu Sans", f.getFamily(), f.toString());
    }
  }
}
