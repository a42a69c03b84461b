package org.tca.rules.spiking;

import java.util.function.Supplier;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.ArrayLength;

/**
 * Scratch of {@link DoubleSpikingOnlineTruncatedBptt}. Online (B = 1): one sample's network state
 * ({@link DoubleSpikingSample}), a ring of the last L = min(k, T) steps,
 *
 * <pre>
 *   psi  (L x N)              the pseudo-derivatives psi_r
 *   q    (L x (N_in + N))     the presynaptic values [x_r | z_{r-1}]
 *   d    (L x N x N)          the rate term's credits S_r, summed over the origins (c_r &gt; 0)
 *   g    ((N_in + N) x N x N) the rate term's accumulators, G_c[m][j] = G_m[j][c] (c_r &gt; 0)
 * </pre>
 *
 * (step r in slot r mod L), plus the window recursion's rows (gz, du, du_{r+1}, ga: one row of N,
 * or N rows when c_r &gt; 0, one per unit credited; W_out' dy or dR/dz; the units credited). The
 * offline workspace ({@link DoubleSpikingSweepWorkspace}, O(T B N)) is made at the first offline
 * call only, so an online workspace stays independent of T.
 */
public final class DoubleSpikingOnlineTruncatedBpttWorkspace extends DoubleSpikingOnlineWorkspace {

  private final Supplier<DoubleSpikingSweepWorkspace> offlineFactory;
  private DoubleSpikingSweepWorkspace offline;
  final DoubleSpikingSample sample;
  final int length;
  final double[] psi;
  final double[] q;
  final double[] d;
  final double[] g;
  final double[] gz;
  final double[] ga;
  final double[] signal;
  final int[] active;
  double[] du;
  double[] duNext;

  DoubleSpikingOnlineTruncatedBpttWorkspace(SpikingConfig config, DoubleSpikingNetwork network,
      int batchSize, int steps, int length, Supplier<DoubleSpikingSweepWorkspace> offline) {
    super(batchSize, steps);
    this.offlineFactory = offline;
    this.sample = new DoubleSpikingSample(network);
    int n = config.hidden();
    int width = config.base().inputs() + n;
    boolean rate = config.rateCost() > 0;
    int rows = rate ? n * n : n; // N x N: one row per unit credited
    this.length = length;
    this.psi = new double[length * n];
    this.q = new double[length * width];
    this.d = rate ? new double[ArrayLength.of("the tbptt rate credits L x N x N", (long) n * n,
        length)] : null;
    this.g = rate ? new double[ArrayLength.of(
        "the tbptt rate accumulators (N_in + N) x N x N", (long) n * n, width)] : null;
    this.gz = new double[rows];
    this.ga = new double[rows];
    this.du = new double[rows];
    this.duNext = new double[rows];
    this.signal = new double[n];
    this.active = rate ? new int[n] : null;
  }

  /**
   * The values a workspace for {@code c} with a ring of {@code length} steps holds before its
   * offline part is made: the sample, the ring, d and g, the four recursion rows (N x N each
   * when c_r &gt; 0), the signal row and the list of units credited.
   */
  static long values(SpikingConfig c, long length) {
    long n = c.hidden();
    long width = c.base().inputs() + n;
    boolean rate = c.rateCost() > 0;
    return DoubleSpikingSample.values(c) + length * (n + width)
        + (rate ? n * n * (width + length) : 0) + 4 * (rate ? n * n : n) + n + (rate ? n : 0);
  }

  /** The offline workspace, made at the first call. */
  DoubleSpikingSweepWorkspace offline() {
    if (offline == null) {
      offline = offlineFactory.get();
    }
    return offline;
  }

  /** Swaps du and du_{r+1}. */
  void swap() {
    double[] t = du;
    du = duNext;
    duNext = t;
  }

  /** The ring, d and g. */
  @Override
  long stateLength() {
    return (long) psi.length + q.length + (g == null ? 0 : g.length + d.length);
  }

  @Override
  public long sizeInBytes() {
    return (long) Double.BYTES * (stateLength() + gz.length + ga.length + signal.length
        + du.length + duNext.length) + (long) Integer.BYTES * (active == null ? 0 : active.length)
        + sample.sizeInBytes() + (offline == null ? 0 : offline.sizeInBytes());
  }

  static DoubleSpikingOnlineTruncatedBpttWorkspace cast(DoubleWorkspace ws) {
    if (ws instanceof DoubleSpikingOnlineTruncatedBpttWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking tbptt, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
