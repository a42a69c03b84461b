package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/** Coordinates of block selections: masks left out, order, parsing, scatter/gather. */
class BlockSelectionTest {

  @Test
  void recurrentBlockLeavesOutDisallowedEntries() {
    ModelConfig c = ModelConfig.builder(2, 4, 3).connectionProbability(0.5).build();
    DoubleParameters p = DoubleParameters.initialize(c, 3);
    BlockSelection s = BlockSelection.recurrent(p.layout(), p.structure());
    assertEquals(p.structure().allowedCount(), s.dimension());
    int off = p.view(Block.W_REC).offset();
    for (int i = 0; i < s.dimension(); i++) {
      int f = s.flatIndex(i) - off;
      assertTrue(p.structure().allowed(f / 4, f % 4));
      assertTrue(i == 0 || s.flatIndex(i) > s.flatIndex(i - 1));
    }
    assertTrue(s.touchesRecurrence());
    assertFalse(s.touchesReadout());
  }

  @Test
  void allBlocksInLayoutOrderWithRanges() {
    ModelConfig c = ModelConfig.builder(2, 4, 3).recurrentBias(false).build();
    DoubleParameters p = DoubleParameters.initialize(c, 3);
    BlockSelection s = BlockSelection.all(p.layout(), p.structure());
    assertEquals(p.layout().size() - 4, s.dimension()); // 4 autapses left out, no b_rec
    assertEquals(0, s.start(Block.W_IN));
    assertEquals(8, s.end(Block.W_IN));
    assertEquals(8 + 12, s.end(Block.W_REC));
    assertEquals(s.end(Block.B_REC), s.start(Block.B_REC));
    assertEquals(s.dimension(), s.end(Block.B_OUT));
    double[] v = new double[s.dimension()];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    double[] flat = new double[p.layout().size()];
    s.scatter(v, flat);
    double[] back = new double[v.length];
    s.gather(flat, back);
    assertArrayEquals(v, back);
    assertEquals(0.0, flat[p.view(Block.W_REC).index(2, 2)]);
  }

  @Test
  void parsesBlockLists() {
    assertEquals(EnumSet.allOf(Block.class), BlockSelection.parseBlocks("all"));
    assertEquals(EnumSet.of(Block.W_REC), BlockSelection.parseBlocks("W_rec"));
    assertEquals(EnumSet.of(Block.W_IN, Block.W_OUT), BlockSelection.parseBlocks("w_out, W_in"));
    assertEquals(EnumSet.of(Block.B_REC, Block.B_OUT), BlockSelection.parseBlocks("biases"));
    assertThrows(IllegalArgumentException.class, () -> BlockSelection.parseBlocks("W_foo"));
    assertThrows(IllegalArgumentException.class, () -> BlockSelection.parseBlocks(" , "));
    ModelConfig c = ModelConfig.builder(2, 4, 3).recurrentBias(false).build();
    DoubleParameters p = DoubleParameters.initialize(c, 3);
    assertThrows(IllegalArgumentException.class,
        () -> BlockSelection.of(p.layout(), p.structure(), Block.B_REC));
  }
}
