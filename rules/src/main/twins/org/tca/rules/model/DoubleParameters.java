package org.tca.rules.model;

import java.util.Arrays;
import org.tca.numerics.random.RandomStream;

/**
 * The f64 parameters of one network: every block (W_in, W_rec, b_rec, W_out, b_out) in ONE flat
 * array laid out by {@link ParameterLayout}, the fixed {@link RecurrentStructure} of W_rec, and a
 * per-block frozen flag. Invariant kept by {@link #project()}: disallowed W_rec entries are 0 and,
 * under Dale's law, W_rec[i][j] has the sign of neuron j (or is 0).
 *
 * <p>Initialisation ({@link #initialize}): W_in ~ N(0, 2/N_in), W_rec ~ N(0, 2/N) on allowed
 * entries (0 elsewhere; under Dale |N(0, 2/N)| times the column sign), W_out ~ U(-r, r) with
 * r = sqrt(6 / (N + N_out)) (Glorot-uniform), biases 0. Random numbers come from children of
 * {@code new RandomStream(seed)}: child 0 the sparse mask, 1 W_in, 2 W_rec, 3 W_out (row-major,
 * one draw per entry, masked entries included), so one option never shifts another's draws.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleParameters {

  private static final Block[] BLOCKS = Block.values();

  private final ModelConfig config;
  private final ParameterLayout layout;
  private final RecurrentStructure structure;
  private final double[] data;
  private final boolean[] frozen = new boolean[Block.values().length];
  private final int[] disallowed; // flat indices of the W_rec entries the mask holds at 0

  /** All-zero parameters with the given structure. */
  public DoubleParameters(ModelConfig config, RecurrentStructure structure) {
    if (structure.size() != config.hidden()) {
      throw new IllegalArgumentException("structure is for N=" + structure.size()
          + " but the config has N=" + config.hidden());
    }
    this.config = config;
    this.layout = new ParameterLayout(config);
    this.structure = structure;
    this.data = new double[layout.size()];
    BlockView w = layout.view(Block.W_REC);
    int n = w.rows();
    this.disallowed = new int[n * n - structure.allowedCount()];
    int d = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (!structure.allowed(i, j)) {
          disallowed[d++] = w.index(i, j);
        }
      }
    }
  }

  /** Parameters initialised as in the class comment from one seed. */
  public static DoubleParameters initialize(ModelConfig c, long seed) {
    RandomStream root = new RandomStream(seed);
    RecurrentStructure s = RecurrentStructure.create(c, root.child(0));
    RandomStream rin = root.child(1);
    RandomStream rrec = root.child(2);
    RandomStream rout = root.child(3);
    DoubleParameters p = new DoubleParameters(c, s);
    int n = c.hidden();
    double sdIn = Math.sqrt(2.0 / c.inputs());
    BlockView win = p.view(Block.W_IN);
    for (int k = 0; k < win.size(); k++) {
      p.data[win.offset() + k] = (double) (sdIn * rin.nextGaussian());
    }
    double sdRec = Math.sqrt(2.0 / n);
    BlockView wrec = p.view(Block.W_REC);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double w = sdRec * rrec.nextGaussian(); // drawn for every entry: masks do not shift it
        int sign = s.sign(j);
        if (sign != 0) {
          w = sign * Math.abs(w);
        }
        p.data[wrec.index(i, j)] = s.allowed(i, j) ? (double) w : 0d;
      }
    }
    double r = Math.sqrt(6.0 / (n + c.outputs()));
    BlockView wout = p.view(Block.W_OUT);
    for (int k = 0; k < wout.size(); k++) {
      p.data[wout.offset() + k] = (double) (r * (2 * rout.nextDouble() - 1));
    }
    return p;
  }

  /** The config. */
  public ModelConfig config() {
    return config;
  }

  /** The flat layout. */
  public ParameterLayout layout() {
    return layout;
  }

  /** The W_rec structure (mask, Dale signs). */
  public RecurrentStructure structure() {
    return structure;
  }

  /** The flat array itself (not a copy): writes change the parameters. */
  public double[] data() {
    return data;
  }

  /** The view of a block. */
  public BlockView view(Block b) {
    return layout.view(b);
  }

  /** Element (i, j) of a block (j = 0 for biases). */
  public double get(Block b, int i, int j) {
    return data[layout.view(b).index(i, j)];
  }

  /** Sets element (i, j) of a block. */
  public void set(Block b, int i, int j, double value) {
    data[layout.view(b).index(i, j)] = value;
  }

  /** Freezes (true) or unfreezes a block: a frozen block gets a zero gradient from every rule. */
  public DoubleParameters freeze(Block b, boolean isFrozen) {
    frozen[b.ordinal()] = isFrozen;
    return this;
  }

  /** True when the block is frozen. */
  public boolean isFrozen(Block b) {
    return frozen[b.ordinal()];
  }

  /** True when the block exists and is not frozen. */
  public boolean trainable(Block b) {
    return layout.has(b) && !frozen[b.ordinal()];
  }

  /**
   * Restores the invariant: disallowed W_rec entries to 0, and under Dale's law the projection
   * W_rec[i][j] = max(W, 0) on excitatory columns, min(W, 0) on inhibitory ones. Call after
   * every optimizer step.
   */
  public void project() {
    if (!structure.dale()) {
      for (int k : disallowed) {
        data[k] = 0d;
      }
      return;
    }
    BlockView w = layout.view(Block.W_REC);
    int n = w.rows();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int k = w.index(i, j);
        int sign = structure.sign(j);
        if (!structure.allowed(i, j) || sign * data[k] < 0) {
          data[k] = 0d;
        }
      }
    }
  }

  /**
   * Makes a gradient consistent with the constrained parametrisation: zeroes disallowed W_rec
   * entries (they are not parameters) and every frozen block.
   */
  public void maskGradient(double[] grad) {
    for (Block b : BLOCKS) {
      if (frozen[b.ordinal()]) {
        BlockView v = layout.view(b);
        Arrays.fill(grad, v.offset(), v.end(), 0d);
      }
    }
    for (int k : disallowed) {
      grad[k] = 0d;
    }
  }

  /** A deep copy (data and frozen flags; structure and config are immutable and shared). */
  public DoubleParameters copy() {
    DoubleParameters p = new DoubleParameters(config, structure);
    p.copyFrom(this);
    return p;
  }

  /** Copies data and frozen flags from parameters of the same layout. */
  public void copyFrom(DoubleParameters other) {
    if (other.data.length != data.length) {
      throw new IllegalArgumentException("layouts differ: " + other.data.length + " vs " + data.length);
    }
    System.arraycopy(other.data, 0, data, 0, data.length);
    System.arraycopy(other.frozen, 0, frozen, 0, frozen.length);
  }

  /** A zero array of the parameter length (for gradients). */
  public double[] newGradient() {
    return new double[data.length];
  }
}
