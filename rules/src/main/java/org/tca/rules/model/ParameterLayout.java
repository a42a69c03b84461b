package org.tca.rules.model;

/**
 * The layout of all parameter blocks in one flat array, in {@link Block} order:
 * W_in [N, N_in] | W_rec [N, N] | b_rec [N] (or empty) | W_out [N_out, N] | b_out [N_out].
 * Gradients use the same layout. Immutable.
 */
public final class ParameterLayout {

  private final BlockView[] views = new BlockView[Block.values().length];
  private final int size;

  /** The layout for a config. */
  public ParameterLayout(ModelConfig c) {
    int n = c.hidden();
    int off = 0;
    off = put(Block.W_IN, off, n, c.inputs());
    off = put(Block.W_REC, off, n, n);
    off = put(Block.B_REC, off, c.recurrentBias() ? n : 0, 1);
    off = put(Block.W_OUT, off, c.outputs(), n);
    off = put(Block.B_OUT, off, c.outputs(), 1);
    size = off;
  }

  private int put(Block b, int off, int rows, int cols) {
    views[b.ordinal()] = new BlockView(b, off, rows, cols);
    return off + rows * cols;
  }

  /** The view of one block (size 0 when the block is absent). */
  public BlockView view(Block b) {
    return views[b.ordinal()];
  }

  /** True when the block has at least one entry. */
  public boolean has(Block b) {
    return views[b.ordinal()].size() > 0;
  }

  /** Total number of parameters. */
  public int size() {
    return size;
  }

  /**
   * Length of the contiguous prefix W_in | W_rec | b_rec: the parameters that act inside the
   * recurrence (what an RTRL influence tensor is taken over).
   */
  public int recurrentSize() {
    return views[Block.W_OUT.ordinal()].offset();
  }
}
