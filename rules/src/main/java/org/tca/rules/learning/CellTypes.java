package org.tca.rules.learning;

import org.tca.rules.model.ModelConfig;

/**
 * The cell types of the N recurrent neurons for the cell-type-averaged rules (MDGL cell-type,
 * ModProp): type E = neurons 0..N_E-1 and type I = neurons N_E..N-1, contiguous by index. Under
 * Dale's law N_E is Dale's excitatory count (the same E/I assignment that fixes the column
 * signs); without Dale's law it is round(f_E N) with the config's excitatory fraction f_E
 * (default 0.8, the 80/20 split by index). An empty type is dropped, so f_E = 0 or 1 gives a
 * single type (and the cell-type average is then the mean of the whole of W_rec). Immutable.
 */
public final class CellTypes {

  private final int n;
  private final int[] starts; // type k is [starts[k], starts[k + 1])
  private final boolean fromDale;

  private CellTypes(int n, int excitatory, boolean fromDale) {
    this.n = n;
    this.fromDale = fromDale;
    if (excitatory <= 0 || excitatory >= n) {
      starts = new int[] {0, n};
    } else {
      starts = new int[] {0, excitatory, n};
    }
  }

  /** The types of a config (see the class comment). */
  public static CellTypes of(ModelConfig c) {
    int ne = c.dale() ? c.excitatoryCount()
        : (int) Math.round(c.excitatoryFraction() * c.hidden());
    return new CellTypes(c.hidden(), ne, c.dale());
  }

  /** N. */
  public int neurons() {
    return n;
  }

  /** Number of (nonempty) types: 1 or 2. */
  public int count() {
    return starts.length - 1;
  }

  /** First neuron of type k. */
  public int start(int k) {
    return starts[k];
  }

  /** One past the last neuron of type k. */
  public int end(int k) {
    return starts[k + 1];
  }

  /** Number of neurons of type k. */
  public int size(int k) {
    return starts[k + 1] - starts[k];
  }

  /** The type of neuron j. */
  public int typeOf(int j) {
    for (int k = 1; k < starts.length - 1; k++) {
      if (j < starts[k]) {
        return k - 1;
      }
    }
    return count() - 1;
  }

  /** Per neuron, its type: 0 for E, 1 for I (all 0 with a single type). */
  public int[] assignment() {
    int[] a = new int[n];
    for (int j = 0; j < n; j++) {
      a[j] = typeOf(j);
    }
    return a;
  }

  /** e.g. "E:0-101,I:102-127 (dale)" or "E:0-3,I:4-4 (index split)". */
  public String describe() {
    StringBuilder s = new StringBuilder();
    String[] names = count() == 2 ? new String[] {"E", "I"} : new String[] {"all"};
    for (int k = 0; k < count(); k++) {
      s.append(k == 0 ? "" : ",").append(names[k]).append(':').append(start(k)).append('-')
          .append(end(k) - 1);
    }
    return s.append(fromDale ? " (dale)" : " (index split)").toString();
  }
}
