package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatNetwork;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.FloatTrajectory;
import org.tca.rules.model.ModelConfig;

/**
 * Backpropagation through time: the exact gradient of J by reverse mode through the unrolled
 * network. After the forward pass (states stored) and dy_t = dJ/dy_t at the loss steps, for
 * t = t_last .. 0 (rows are the B samples; G carried, see {@link FloatCellBackward}):
 *
 * <pre>
 *   GZ_t  = DY_t W_out + DU_{t+1} W_rec          (two GEMMs, B x N; DU_{t_last+1} = 0)
 *   voltage-leak: G_t = f'(V_t) . GZ_t + a G_{t+1},   DU_t = (1 - a) G_t
 *   rate-leak:    G_t = GZ_t + (1 - a) G_{t+1},        DU_t = a f'(U_t) . G_t
 * </pre>
 *
 * (W_rec packed once for the T recurrent GEMMs where the kernels keep a packed form), then the
 * weight gradients as one GEMM each over the time axis ({@link FloatGradientAssembly}).
 * Steps after the last loss step carry no gradient and are skipped. Offline only.
 */
public final class FloatBptt implements FloatLearningRule {

  private final ModelConfig config;
  private final FloatKernels k;
  private final FloatNetwork network;
  private final FloatCellBackward cell;

  /** BPTT with the kernels this JVM picked. */
  public FloatBptt(ModelConfig config) {
    this(config, Kernels.f32());
  }

  /** BPTT with the given kernels. */
  public FloatBptt(ModelConfig config, FloatKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.network = new FloatNetwork(config, kernels);
    this.cell = new FloatCellBackward(config, kernels);
  }

  @Override
  public String id() {
    return "bptt";
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public long stateBytesPerSample(int steps) {
    return (long) Float.BYTES * (2L * (steps + 1) * config.hidden() + (long) steps
        * config.outputs());
  }

  @Override
  public FloatBpttWorkspace newWorkspace(int batchSize, int steps) {
    return new FloatBpttWorkspace(config, batchSize, steps);
  }

  @Override
  public double gradient(FloatParameters p, FloatBatch batch, FloatWorkspace workspace,
      float[] grad) {
    FloatBpttWorkspace ws = FloatBpttWorkspace.cast(workspace);
    FloatTrajectory tr = ws.trajectory;
    network.forward(p, batch, tr);
    double j = network.loss(batch, tr, ws.dy) + network.l2Penalty(p);
    int last = batch.lastLossStep();
    if (recurrentTrainable(p)) {
      backward(p, batch, ws, last);
    }
    FloatGradientAssembly.assemble(k, p, batch, tr, ws.du, last + 1, ws.dy, grad, ws.scratch);
    return j;
  }

  private void backward(FloatParameters p, FloatBatch batch, FloatBpttWorkspace ws, int last) {
    FloatTrajectory tr = ws.trajectory;
    int n = config.hidden();
    int nOut = config.outputs();
    int bs = batch.size();
    int nb = bs * n;
    float[] w = p.data();
    int wOut = p.view(Block.W_OUT).offset();
    int wRec = p.view(Block.W_REC).offset();
    // W_rec packed once for the T products (the forward pass is done with this buffer)
    float[] packed = bs >= FloatNetwork.TRANSPOSE_MIN_BATCH && last > 0
        ? network.packedRecurrent(tr.recurrentTransposed(), n) : null;
    if (packed != null) {
      k.packB(false, n, n, 1f, w, wRec, n, packed, 0);
    }
    for (int t = last; t >= 0; t--) {
      Arrays.fill(ws.gz, 0, nb, 0f);
      if (batch.lossMask()[t] != 0f) {
        k.gemm(false, false, bs, n, nOut, 1f, ws.dy, tr.yOffset(t), nOut, w, wOut, n, ws.gz, 0, n);
      }
      if (t < last && packed != null) {
        k.gemmPacked(false, false, bs, n, n, 1f, ws.du, (t + 1) * nb, n, w, wRec, n, packed, 0,
            ws.gz, 0, n);
      } else if (t < last) {
        k.gemm(false, false, bs, n, n, 1f, ws.du, (t + 1) * nb, n, w, wRec, n, ws.gz, 0, n);
      }
      cell.step(nb, tr.pre(), tr.slot(t + 1), ws.gz, 0, ws.g, 0, t == last, ws.du, t * nb);
    }
  }

  static boolean recurrentTrainable(FloatParameters p) {
    return p.trainable(Block.W_IN) || p.trainable(Block.W_REC) || p.trainable(Block.B_REC);
  }
}
