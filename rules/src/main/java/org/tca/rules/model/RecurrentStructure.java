package org.tca.rules.model;

import org.tca.numerics.random.RandomStream;

/**
 * The fixed structure of W_rec: which entries exist (allowed) and, under Dale's law, the sign of
 * each column. Entry (i, j) is allowed when i != j (if autapses are removed) and, for a sparse
 * mask with connection probability p, an independent Bernoulli(p) draw succeeded. Under Dale's law
 * neuron j is excitatory (sign +1) for j &lt; N_E = round(f_E N) and inhibitory (-1) otherwise; the
 * sign constrains column j of W_rec (the outgoing weights of neuron j). Immutable.
 */
public final class RecurrentStructure {

  private final int n;
  private final boolean[] allowed; // null: every entry allowed
  private final boolean dale;
  private final int excitatory;
  private final int allowedCount;

  private RecurrentStructure(int n, boolean[] allowed, boolean dale, int excitatory) {
    this.n = n;
    this.allowed = allowed;
    this.dale = dale;
    this.excitatory = excitatory;
    int count = n * n;
    if (allowed != null) {
      count = 0;
      for (boolean a : allowed) {
        count += a ? 1 : 0;
      }
    }
    this.allowedCount = count;
  }

  /**
   * The structure a config asks for. The sparse draws consume {@code random} in row-major order,
   * one draw per entry (diagonal included), so a mask depends only on the seed and N.
   */
  public static RecurrentStructure create(ModelConfig c, RandomStream random) {
    int n = c.hidden();
    boolean[] allowed = null;
    if (c.masked()) {
      allowed = new boolean[n * n];
      double p = c.connectionProbability();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          boolean exists = p >= 1 || random.nextDouble() < p;
          allowed[i * n + j] = exists && !(c.noAutapse() && i == j);
        }
      }
    }
    return new RecurrentStructure(n, allowed, c.dale(), c.excitatoryCount());
  }

  /** A structure given explicitly (e.g. read back from files); {@code allowed} may be null. */
  public static RecurrentStructure of(int n, boolean[] allowed, boolean dale, int excitatory) {
    if (allowed != null && allowed.length != n * n) {
      throw new IllegalArgumentException("mask has " + allowed.length + " entries, expected " + n * n);
    }
    return new RecurrentStructure(n, allowed == null ? null : allowed.clone(), dale, excitatory);
  }

  /** N. */
  public int size() {
    return n;
  }

  /** True when entry (i, j) of W_rec exists. */
  public boolean allowed(int i, int j) {
    return allowed == null || allowed[i * n + j];
  }

  /** True when some entries are held at zero. */
  public boolean hasMask() {
    return allowed != null;
  }

  /** Number of allowed entries. */
  public int allowedCount() {
    return allowedCount;
  }

  /** True under Dale's law. */
  public boolean dale() {
    return dale;
  }

  /** Number of excitatory neurons (N when Dale is off). */
  public int excitatoryCount() {
    return excitatory;
  }

  /** The sign of column j: +1 (excitatory), -1 (inhibitory), or 0 when Dale is off. */
  public int sign(int j) {
    return !dale ? 0 : j < excitatory ? 1 : -1;
  }

  /** The mask as a copy (true = allowed), row-major N x N. */
  public boolean[] maskCopy() {
    boolean[] m = new boolean[n * n];
    for (int k = 0; k < m.length; k++) {
      m[k] = allowed == null || allowed[k];
    }
    return m;
  }
}
