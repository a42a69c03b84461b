package org.tca.rules.curvature;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.ParameterLayout;
import org.tca.rules.model.RecurrentStructure;

/**
 * The coordinates a block Hessian acts on: the free parameters of a chosen set S of blocks, in
 * flat-layout order. Coordinate i is flat parameter {@link #flatIndex(int) index[i]}; W_rec
 * entries that are not parameters (no autapses, sparse mask) are left out, so the operator is
 * the principal sub-block H_SS = P_S' H P_S of the full Hessian H of J over every free parameter,
 * with P_S the n x d matrix of the chosen unit vectors. Absent blocks (b_rec switched off)
 * contribute no coordinates. Frozen flags are ignored: curvature is a property of the loss, not
 * of training. Immutable.
 */
public final class BlockSelection {

  private final Set<Block> blocks;
  private final int[] index;
  private final int[] blockStart = new int[Block.values().length + 1];
  private final int parameterCount;

  private BlockSelection(ParameterLayout layout, RecurrentStructure structure, Set<Block> blocks) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("choose at least one parameter block");
    }
    this.blocks = Collections.unmodifiableSet(EnumSet.copyOf(blocks));
    this.parameterCount = layout.size();
    List<Integer> idx = new ArrayList<>();
    for (Block b : Block.values()) {
      blockStart[b.ordinal()] = idx.size();
      if (!blocks.contains(b)) {
        continue;
      }
      BlockView v = layout.view(b);
      for (int i = 0; i < v.rows(); i++) {
        for (int j = 0; j < v.cols(); j++) {
          if (b != Block.W_REC || structure.allowed(i, j)) {
            idx.add(v.index(i, j));
          }
        }
      }
    }
    blockStart[Block.values().length] = idx.size();
    if (idx.isEmpty()) {
      throw new IllegalArgumentException("the blocks " + blocks + " hold no parameters");
    }
    this.index = idx.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The free parameters of the given blocks. */
  public static BlockSelection of(ParameterLayout layout, RecurrentStructure structure,
      Set<Block> blocks) {
    return new BlockSelection(layout, structure, blocks);
  }

  /** The free parameters of the given blocks. */
  public static BlockSelection of(ParameterLayout layout, RecurrentStructure structure,
      Block first, Block... rest) {
    return new BlockSelection(layout, structure, EnumSet.of(first, rest));
  }

  /** W_rec alone, the paper's default. */
  public static BlockSelection recurrent(ParameterLayout layout, RecurrentStructure structure) {
    return of(layout, structure, Block.W_REC);
  }

  /** Every block (W_in, W_rec, b_rec, W_out, b_out): the full Hessian. */
  public static BlockSelection all(ParameterLayout layout, RecurrentStructure structure) {
    return of(layout, structure, EnumSet.allOf(Block.class));
  }

  /**
   * Parses a command-line choice: "all", "biases" (b_rec and b_out), or a comma-separated list of
   * block names ("W_rec", "W_in,W_out", ...; case-insensitive).
   */
  public static Set<Block> parseBlocks(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("all")) {
      return EnumSet.allOf(Block.class);
    }
    if (s.equals("biases")) {
      return EnumSet.of(Block.B_REC, Block.B_OUT);
    }
    EnumSet<Block> set = EnumSet.noneOf(Block.class);
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        set.add(Block.parse(part.trim()));
      }
    }
    if (set.isEmpty()) {
      throw new IllegalArgumentException("no parameter block in '" + spec + "'");
    }
    return set;
  }

  /** The chosen blocks. */
  public Set<Block> blocks() {
    return blocks;
  }

  /** True when block b is chosen. */
  public boolean contains(Block b) {
    return blocks.contains(b);
  }

  /** True when a block acting inside the recurrence (W_in, W_rec, b_rec) is chosen. */
  public boolean touchesRecurrence() {
    return contains(Block.W_IN) || contains(Block.W_REC) || contains(Block.B_REC);
  }

  /** True when a readout block (W_out, b_out) is chosen. */
  public boolean touchesReadout() {
    return contains(Block.W_OUT) || contains(Block.B_OUT);
  }

  /** The operator dimension d (number of free parameters chosen). */
  public int dimension() {
    return index.length;
  }

  /** The length of the flat parameter array this selection was made for. */
  public int parameterCount() {
    return parameterCount;
  }

  /** The flat parameter index of coordinate i. */
  public int flatIndex(int i) {
    return index[i];
  }

  /** Coordinates of block b are [start(b), end(b)) (empty when b is not chosen). */
  public int start(Block b) {
    return blockStart[b.ordinal()];
  }

  /** One past the last coordinate of block b. */
  public int end(Block b) {
    return blockStart[b.ordinal() + 1];
  }

  /** Flat index of every coordinate (a copy). */
  public int[] flatIndices() {
    return index.clone();
  }

  /** out[index[i]] = v[i] for every coordinate (other entries of out untouched). */
  public void scatter(double[] v, double[] out) {
    checkLengths(v, out);
    for (int i = 0; i < index.length; i++) {
      out[index[i]] = v[i];
    }
  }

  /** out[i] = flat[index[i]] for every coordinate. */
  public void gather(double[] flat, double[] out) {
    checkLengths(out, flat);
    for (int i = 0; i < index.length; i++) {
      out[i] = flat[index[i]];
    }
  }

  private void checkLengths(double[] coords, double[] flat) {
    if (coords.length != index.length || flat.length != parameterCount) {
      throw new IllegalArgumentException("expected vectors of " + index.length + " coordinates and "
          + parameterCount + " parameters, got " + coords.length + " and " + flat.length);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Block b : blocks) {
      sb.append(sb.length() == 0 ? "" : ",").append(b.id());
    }
    return sb + " (" + index.length + " coordinates)";
  }
}
