package org.tca.rules.learning;

import org.tca.rules.model.RecurrentStructure;

/**
 * Which entries of RTRL's influence matrix SnAp-n keeps (Menick et al., ICLR 2021): the entries
 * that can be nonzero n steps after the parameter acted. A weight W_{ij} (of W_in, W_rec or b_rec;
 * i the neuron it feeds) moves only s_i in the step it acts (the immediate term I_t), and each
 * further step spreads it along the recurrent edges l -&gt; k with W_rec[k][l] allowed. So
 *
 * <pre>
 *   R_i = { k : a path i -&gt; ... -&gt; k of at most n - 1 edges of W_rec's structure }   (i in R_i)
 *   M~_t[k, W_{ij}] is kept for k in R_i, and is 0 for k outside R_i
 * </pre>
 *
 * SnAp-1: R_i = {i} (the diagonal pattern); SnAp-2: i and the neurons i projects to; when n - 1 is
 * at least the largest distance from i to a neuron it can reach (for every i), R_i holds every
 * neuron M_t[., W_{ij}] can reach, nothing is dropped and SnAp-n is RTRL. The pattern depends on
 * the structure only (not on the weights' current values), so it is fixed for a run.
 *
 * <p>Rows: {@code rows[start[i] .. start[i+1])} lists R_i ascending; {@code self[i]} is i's
 * position in it.
 */
final class InfluencePattern {

  final RecurrentStructure structure;
  final int order;
  final int[] start;
  final int[] rows;
  final int[] self;
  /** max_i |R_i|. */
  final int maxRows;

  private InfluencePattern(RecurrentStructure structure, int order, int[] start, int[] rows,
      int[] self, int maxRows) {
    this.structure = structure;
    this.order = order;
    this.start = start;
    this.rows = rows;
    this.self = self;
    this.maxRows = maxRows;
  }

  /** The SnAp-{@code order} pattern of a structure: R_i by breadth-first search from each i. */
  static InfluencePattern of(RecurrentStructure s, int order) {
    int n = s.size();
    int[] start = new int[n + 1];
    int[] self = new int[n];
    int[][] sets = new int[n][];
    int[] depth = new int[n];
    int[] queue = new int[n];
    int maxRows = 0;
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(depth, -1);
      depth[i] = 0;
      queue[0] = i;
      int head = 0;
      int tail = 1;
      while (head < tail) {
        int l = queue[head++];
        if (depth[l] == order - 1) {
          continue;
        }
        for (int k = 0; k < n; k++) {
          if (depth[k] < 0 && s.allowed(k, l)) {
            depth[k] = depth[l] + 1;
            queue[tail++] = k;
          }
        }
      }
      int[] r = java.util.Arrays.copyOf(queue, tail);
      java.util.Arrays.sort(r);
      sets[i] = r;
      self[i] = java.util.Arrays.binarySearch(r, i);
      start[i + 1] = start[i] + tail;
      maxRows = Math.max(maxRows, tail);
    }
    int[] rows = new int[start[n]];
    for (int i = 0; i < n; i++) {
      System.arraycopy(sets[i], 0, rows, start[i], sets[i].length);
    }
    return new InfluencePattern(s, order, start, rows, self, maxRows);
  }

  /** sum_i |R_i|: the kept rows over all neurons (times N_in + N + 1 entries each). */
  int keptRows() {
    return start[start.length - 1];
  }

  long sizeInBytes() {
    return (long) Integer.BYTES * (start.length + rows.length + self.length);
  }
}
