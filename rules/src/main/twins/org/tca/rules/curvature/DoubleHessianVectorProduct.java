package org.tca.rules.curvature;

import java.util.Arrays;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.linalg.SymmetricOperator;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.ParameterLayout;

/**
 * Exact Hessian-vector products H_SS v of the TRUE objective J (data loss plus L2, see
 * {@link ModelConfig}) over a {@link BlockSelection} S, by forward-over-reverse differentiation:
 * Pearlmutter's operator R{.} = d/de (.)(theta + e v) pushed through the forward pass and the
 * BPTT backward pass of the unrolled network. With dW the blocks of v (0 outside S) and the
 * quantities stored at the point by {@link DoubleHessianPoint} (FP = f', S = the f'' term, DY, DU,
 * P; rows = samples), the direction-dependent half ({@code DoubleTangentPass}) computes
 *
 * <pre>
 *   forward   RU_t  = X_t dW_in' + db_rec + Z_{t-1} dW_rec' + RZ_{t-1} W_rec'
 *     voltage RV_t  = a RV_{t-1} + (1 - a) RU_t,        RZ_t = FP_t . RV_t
 *     rate    RH_t  = (1 - a) RH_{t-1} + a FP_t . RU_t, RZ_t = RH_t
 *   readout   RY_t  = RZ_t W_out' + Z_t dW_out' + db_out
 *   loss      RDY_t = w_t (P_t . RY_t - P_t (P_t' RY_t))  (cross-entropy; MSE: w_t (2/N_out) RY_t)
 *   backward  RGZ_t = RDY_t W_out + DY_t dW_out + RDU_{t+1} W_rec + DU_{t+1} dW_rec
 *     voltage RG_t  = FP_t . RGZ_t + S_t . RV_t + a RG_{t+1},     RDU_t = (1 - a) RG_t
 *     rate    RG_t  = RGZ_t + (1 - a) RG_{t+1},                RDU_t = a FP_t . RG_t + S_t . RU_t
 *   weights   H v = [RDU' X, RDU' Z_prev + DU' RZ_prev, sum RDU, RDY' Z + DY' RZ, sum RDY]
 *                   + l2 dW  (W_in, W_rec, W_out)
 * </pre>
 *
 * restricted to S (the principal sub-block). No finite differences anywhere: the result is the
 * exact Hessian product up to rounding (for ReLU, f'' = 0 away from the kinks, so H is the
 * Hessian wherever it exists). Terms are skipped when their direction blocks are outside S; the
 * direction-free terms (Z_{t-1} dW_rec' for all t, DU_{t+1} dW_rec for all t) are one GEMM each
 * over T*B rows, the recurrent ones B x N GEMMs per step, the weight products one GEMM each over
 * the time axis.
 *
 * <p>Use: {@link #prepare} once at (theta, batch), then any number of products through the
 * {@link SymmetricOperator} interface (double vectors of {@link BlockSelection#dimension()}
 * coordinates, converted at the boundary) or {@link #productFlat}. Products allocate nothing.
 * Not thread-safe.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleHessianVectorProduct implements SymmetricOperator {

  private final BlockSelection sel;
  private final DoubleHessianPoint point;
  private final DoubleTangentPass pass;
  private final int[] index;
  private final double[] dir;
  private final double[] rgrad;
  private long products;

  /** Products over {@code selection} for batches up to the given sizes, kernels this JVM picked. */
  public DoubleHessianVectorProduct(ModelConfig config, BlockSelection selection,
      int batchCapacity, int stepCapacity) {
    this(config, selection, batchCapacity, stepCapacity, Kernels.f64());
  }

  /** Products over {@code selection} for batches up to the given sizes, with the given kernels. */
  public DoubleHessianVectorProduct(ModelConfig config, BlockSelection selection,
      int batchCapacity, int stepCapacity, DoubleKernels kernels) {
    if (selection.parameterCount() != new ParameterLayout(config).size()) {
      throw new IllegalArgumentException("the selection was made for another layout");
    }
    this.sel = selection;
    this.point = new DoubleHessianPoint(config, batchCapacity, stepCapacity, kernels);
    this.pass = new DoubleTangentPass(config, selection, point, kernels);
    this.index = selection.flatIndices();
    this.dir = pass.direction();
    this.rgrad = new double[selection.parameterCount()];
  }

  /**
   * Fixes the point: runs the forward and backward pass of J at (p, batch) once (see
   * {@link DoubleHessianPoint}); p and batch must not change while products are taken. Returns J.
   */
  public double prepare(DoubleParameters p, DoubleBatch batch) {
    double j = point.prepare(p, batch);
    pass.reset(batch.size());
    return j;
  }

  /**
   * The gradient of J over the selection at the prepared point, dJ/dtheta_S, from the stored
   * backward pass ({@link DoubleHessianPoint#gradient}: one GEMM per weight block; frozen blocks
   * give 0).
   * A cheap Lanczos start: the gradient tends to lie near the top eigenvectors.
   */
  public void gradient(double[] out) {
    if (!point.prepared()) {
      throw new IllegalStateException("call prepare(params, batch) before asking for a gradient");
    }
    if (out.length != index.length) {
      throw new IllegalArgumentException("out must have " + index.length + " coordinates");
    }
    point.gradient(rgrad);
    for (int i = 0; i < index.length; i++) {
      out[i] = rgrad[index[i]];
    }
  }

  /** The stored point. */
  public DoubleHessianPoint point() {
    return point;
  }

  /** The coordinates the operator acts on. */
  public BlockSelection selection() {
    return sel;
  }

  /** Products taken since construction. */
  public long products() {
    return products;
  }

  @Override
  public int dimension() {
    return index.length;
  }

  /** out = H_SS v for v, out of {@link #dimension()} coordinates (rounded to working precision). */
  @Override
  public void apply(double[] v, double[] out) {
    if (v.length != index.length || out.length != index.length) {
      throw new IllegalArgumentException("vectors must have " + index.length + " coordinates");
    }
    for (int i = 0; i < index.length; i++) {
      dir[index[i]] = (double) v[i];
    }
    product();
    for (int i = 0; i < index.length; i++) {
      out[i] = rgrad[index[i]];
    }
  }

  /**
   * The product in the flat parameter layout: reads {@code direction} at the coordinates of the
   * selection only (other entries are treated as 0) and writes H_SS v there in {@code out}, 0
   * elsewhere.
   */
  public void productFlat(double[] direction, double[] out) {
    if (direction.length != dir.length || out.length != dir.length) {
      throw new IllegalArgumentException("vectors must have " + dir.length + " entries");
    }
    for (int i : index) {
      dir[i] = direction[i];
    }
    product();
    Arrays.fill(out, 0d);
    for (int i : index) {
      out[i] = rgrad[i];
    }
  }

  private void product() {
    if (!point.prepared()) {
      throw new IllegalStateException("call prepare(params, batch) before taking products");
    }
    products++;
    pass.product(rgrad);
  }
}
