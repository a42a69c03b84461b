package org.tca.rules.spiking;

import java.util.function.Supplier;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.ArrayLength;

/**
 * Scratch of {@link FloatSpikingOnlineMdgl}. Online (B = 1): e-prop's online workspace
 * ({@link FloatSpikingEpropWorkspace}: the sample and the e-prop traces) and, each row of width
 * W = N_in + N over the columns of W_in | W_rec,
 *
 * <pre>
 *   ePrev  (N x W)          the e-prop eligibility trace e_{t-1} of the previous step
 *   h      (N_out x N x W)  the modulatory traces H_o
 *   g      (N x N x W)      the rate term's traces G_j (only when c_r &gt; 0)
 * </pre>
 *
 * none of which grows with T; plus per-step scratch (c, W_out[o][:] psi, the cell-type means
 * and sums, dR/dz). The offline workspace ({@link FloatSpikingSweepWorkspace}, O(T B N)) is made
 * at the first offline call only, so an online workspace stays independent of T.
 */
public final class FloatSpikingOnlineMdglWorkspace extends FloatSpikingOnlineWorkspace {

  final FloatSpikingEpropWorkspace eprop;
  private final Supplier<FloatSpikingSweepWorkspace> offlineFactory;
  private FloatSpikingSweepWorkspace offline;
  final float[] ePrev;
  final float[] h;
  final float[] g;
  final float[] c;
  final float[] u;
  final float[] typeMeans;
  final float[] typeSums;
  final float[] rate;

  FloatSpikingOnlineMdglWorkspace(SpikingConfig config, FloatSpikingEpropWorkspace eprop,
      Supplier<FloatSpikingSweepWorkspace> offline, int types) {
    super(eprop.batchCapacity(), eprop.stepCapacity());
    this.eprop = eprop;
    this.offlineFactory = offline;
    int n = config.hidden();
    int nOut = config.base().outputs();
    int rows = ArrayLength.of("the MDGL trace N x (N_in + N)", n,
        config.base().inputs() + n);
    this.ePrev = new float[rows];
    this.h = new float[ArrayLength.of("the MDGL traces N_out x N x W", nOut,
        rows)];
    this.g = config.rateCost() > 0
        ? new float[ArrayLength.of("the MDGL rate traces N x N x W", n, rows)]
        : null;
    this.c = new float[nOut * n];
    this.u = new float[nOut * n];
    this.typeMeans = new float[types * types];
    this.typeSums = new float[types];
    this.rate = new float[n];
  }

  /**
   * The values MDGL adds to e-prop's online workspace for {@code c} with {@code types} cell
   * types: ePrev, h, g (c_r &gt; 0), c, u, the type means and sums, and dR/dz.
   */
  static long values(SpikingConfig c, long types) {
    long n = c.hidden();
    long nOut = c.base().outputs();
    long rows = 1 + nOut + (c.rateCost() > 0 ? n : 0);
    return rows * n * (c.base().inputs() + n) + 2 * nOut * n + types * types + types + n;
  }

  /** The offline workspace, made at the first call. */
  FloatSpikingSweepWorkspace offline() {
    if (offline == null) {
      offline = offlineFactory.get();
    }
    return offline;
  }

  /** e-prop's, ePrev, h and g. */
  @Override
  long stateLength() {
    return eprop.stateLength() + ePrev.length + h.length + (g == null ? 0 : g.length);
  }

  @Override
  public long sizeInBytes() {
    return eprop.sizeInBytes() + (long) Float.BYTES * (ePrev.length + h.length
        + (g == null ? 0 : g.length) + c.length + u.length + typeMeans.length + typeSums.length
        + rate.length) + (offline == null ? 0 : offline.sizeInBytes());
  }

  static FloatSpikingOnlineMdglWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatSpikingOnlineMdglWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking mdgl, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
