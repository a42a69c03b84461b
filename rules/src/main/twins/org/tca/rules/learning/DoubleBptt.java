package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;
import org.tca.rules.model.ModelConfig;

/**
 * Backpropagation through time: the exact gradient of J by reverse mode through the unrolled
 * network. After the forward pass (states stored) and dy_t = dJ/dy_t at the loss steps, for
 * t = t_last .. 0 (rows are the B samples; G carried, see {@link DoubleCellBackward}):
 *
 * <pre>
 *   GZ_t  = DY_t W_out + DU_{t+1} W_rec          (two GEMMs, B x N; DU_{t_last+1} = 0)
 *   voltage-leak: G_t = f'(V_t) . GZ_t + a G_{t+1},   DU_t = (1 - a) G_t
 *   rate-leak:    G_t = GZ_t + (1 - a) G_{t+1},        DU_t = a f'(U_t) . G_t
 * </pre>
 *
 * (W_rec packed once for the T recurrent GEMMs where the kernels keep a packed form), then the
 * weight gradients as one GEMM each over the time axis ({@link DoubleGradientAssembly}).
 * Steps after the last loss step carry no gradient and are skipped. Offline only.
 */
public final class DoubleBptt implements DoubleLearningRule {

  private final ModelConfig config;
  private final DoubleKernels k;
  private final DoubleNetwork network;
  private final DoubleCellBackward cell;

  /** BPTT with the kernels this JVM picked. */
  public DoubleBptt(ModelConfig config) {
    this(config, Kernels.f64());
  }

  /** BPTT with the given kernels. */
  public DoubleBptt(ModelConfig config, DoubleKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.network = new DoubleNetwork(config, kernels);
    this.cell = new DoubleCellBackward(config, kernels);
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
    return (long) Double.BYTES * (2L * (steps + 1) * config.hidden() + (long) steps
        * config.outputs());
  }

  @Override
  public DoubleBpttWorkspace newWorkspace(int batchSize, int steps) {
    return new DoubleBpttWorkspace(config, batchSize, steps);
  }

  @Override
  public double gradient(DoubleParameters p, DoubleBatch batch, DoubleWorkspace workspace,
      double[] grad) {
    DoubleBpttWorkspace ws = DoubleBpttWorkspace.cast(workspace);
    DoubleTrajectory tr = ws.trajectory;
    network.forward(p, batch, tr);
    double j = network.loss(batch, tr, ws.dy) + network.l2Penalty(p);
    int last = batch.lastLossStep();
    if (recurrentTrainable(p)) {
      backward(p, batch, ws, last);
    }
    DoubleGradientAssembly.assemble(k, p, batch, tr, ws.du, last + 1, ws.dy, grad, ws.scratch);
    return j;
  }

  private void backward(DoubleParameters p, DoubleBatch batch, DoubleBpttWorkspace ws, int last) {
    DoubleTrajectory tr = ws.trajectory;
    int n = config.hidden();
    int nOut = config.outputs();
    int bs = batch.size();
    int nb = bs * n;
    double[] w = p.data();
    int wOut = p.view(Block.W_OUT).offset();
    int wRec = p.view(Block.W_REC).offset();
    // W_rec packed once for the T products (the forward pass is done with this buffer)
    double[] packed = bs >= DoubleNetwork.TRANSPOSE_MIN_BATCH && last > 0
        ? network.packedRecurrent(tr.recurrentTransposed(), n) : null;
    if (packed != null) {
      k.packB(false, n, n, 1d, w, wRec, n, packed, 0);
    }
    for (int t = last; t >= 0; t--) {
      Arrays.fill(ws.gz, 0, nb, 0d);
      if (batch.lossMask()[t] != 0d) {
        k.gemm(false, false, bs, n, nOut, 1d, ws.dy, tr.yOffset(t), nOut, w, wOut, n, ws.gz, 0, n);
      }
      if (t < last && packed != null) {
        k.gemmPacked(false, false, bs, n, n, 1d, ws.du, (t + 1) * nb, n, w, wRec, n, packed, 0,
            ws.gz, 0, n);
      } else if (t < last) {
        k.gemm(false, false, bs, n, n, 1d, ws.du, (t + 1) * nb, n, w, wRec, n, ws.gz, 0, n);
      }
      cell.step(nb, tr.pre(), tr.slot(t + 1), ws.gz, 0, ws.g, 0, t == last, ws.du, t * nb);
    }
  }

  static boolean recurrentTrainable(DoubleParameters p) {
    return p.trainable(Block.W_IN) || p.trainable(Block.W_REC) || p.trainable(Block.B_REC);
  }
}
