package org.tca.rules.model;

/**
 * Where one parameter block lives in the flat parameter (or gradient) array: element (i, j) of
 * the block is {@code data[offset + i * cols + j]} (leading dimension ld = cols, so a block is a
 * dense slice of length rows * cols). Bias vectors have cols = 1.
 */
public record BlockView(Block block, int offset, int rows, int cols) {

  /** Number of entries, rows * cols (0 for an absent block). */
  public int size() {
    return rows * cols;
  }

  /** Leading dimension, equal to cols. */
  public int ld() {
    return cols;
  }

  /** Index of element (i, j) in the flat array. */
  public int index(int i, int j) {
    return offset + i * cols + j;
  }

  /** One past the last index of the block. */
  public int end() {
    return offset + size();
  }
}
