package org.tca.cli.figures;

import java.awt.Graphics2D;

/** Something {@link FigureWriter} can write: a picture of a fixed size with a title and a text description. */
public interface Drawing {

  /** Width in pixels. */
  int width();

  /** Height in pixels. */
  int height();

  /** Paints the whole picture at (0, 0), background included. */
  void paint(Graphics2D g);

  /** The title (the SVG's {@code <title>}). */
  String title();

  /** A plain-text description of what is drawn (the SVG's {@code <desc>}). */
  String description();
}
