package org.tca.rules.spiking;

import java.util.function.Supplier;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.ArrayLength;

/**
 * Scratch of {@link FloatSpikingOnlineTruncatedBptt}. Online (B = 1): one sample's network state
 * ({@link FloatSpikingSample}), a ring of the last L = min(k, T) steps,
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
 * offline workspace ({@link FloatSpikingSweepWorkspace}, O(T B N)) is made at the first offline
 * call only, so an online workspace stays independent of T.
 */
public final class FloatSpikingOnlineTruncatedBpttWorkspace extends FloatSpikingOnlineWorkspace {

  private final Supplier<FloatSpikingSweepWorkspace> offlineFactory;
  private FloatSpikingSweepWorkspace offline;
  final FloatSpikingSample sample;
  final int length;
  final float[] psi;
  final float[] q;
  final float[] d;
  final float[] g;
  final float[] gz;
  final float[] ga;
  final float[] signal;
  final int[] active;
  float[] du;
  float[] duNext;

  FloatSpikingOnlineTruncatedBpttWorkspace(SpikingConfig config, FloatSpikingNetwork network,
      int batchSize, int steps, int length, Supplier<FloatSpikingSweepWorkspace> offline) {
    super(batchSize, steps);
    this.offlineFactory = offline;
    this.sample = new FloatSpikingSample(network);
    int n = config.hidden();
    int width = config.base().inputs() + n;
    boolean rate = config.rateCost() > 0;
    int rows = rate ? n * n : n; // N x N: one row per unit credited
    this.length = length;
    this.psi = new float[length * n];
    this.q = new float[length * width];
    this.d = rate ? new float[ArrayLength.of("the tbptt rate credits L x N x N", (long) n * n,
        length)] : null;
    this.g = rate ? new float[ArrayLength.of(
        "the tbptt rate accumulators (N_in + N) x N x N", (long) n * n, width)] : null;
    this.gz = new float[rows];
    this.ga = new float[rows];
    this.du = new float[rows];
    this.duNext = new float[rows];
    this.signal = new float[n];
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
    return FloatSpikingSample.values(c) + length * (n + width)
        + (rate ? n * n * (width + length) : 0) + 4 * (rate ? n * n : n) + n + (rate ? n : 0);
  }

  /** The offline workspace, made at the first call. */
  FloatSpikingSweepWorkspace offline() {
    if (offline == null) {
      offline = offlineFactory.get();
    }
    return offline;
  }

  /** Swaps du and du_{r+1}. */
  void swap() {
    float[] t = du;
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
    return (long) Float.BYTES * (stateLength() + gz.length + ga.length + signal.length
        + du.length + duNext.length) + (long) Integer.BYTES * (active == null ? 0 : active.length)
        + sample.sizeInBytes() + (offline == null ? 0 : offline.sizeInBytes());
  }

  static FloatSpikingOnlineTruncatedBpttWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatSpikingOnlineTruncatedBpttWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking tbptt, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
