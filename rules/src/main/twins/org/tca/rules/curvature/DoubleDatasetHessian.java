package org.tca.rules.curvature;

import java.util.List;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.linalg.SymmetricOperator;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/**
 * The Hessian of J averaged over a whole data set held as a list of batches (chunks) c with B_c
 * samples each:
 *
 * <pre>
 *   J_D = sum_c (B_c / sum_d B_d) J_c,    H_D v = sum_c (B_c / sum_d B_d) H_c v
 * </pre>
 *
 * where J_c is the objective of chunk c (its data loss plus the L2 term; the weights sum to 1, so
 * J_D is the mean per-sample loss over the data set plus L2 once). When every chunk has the same
 * loss mask J_D equals J of the concatenated batch. Products over a single chunk reuse its stored
 * point; with several chunks each product re-runs every chunk's forward and backward pass (one
 * {@link DoubleHessianVectorProduct} workspace, sized for the largest chunk, is shared), so memory
 * stays that of one chunk and a product costs the base pass plus the R-pass per chunk.
 * Allocation-free per product; not thread-safe.
 */
public final class DoubleDatasetHessian implements SymmetricOperator {

  private final DoubleHessianVectorProduct hvp;
  private final List<DoubleBatch> chunks;
  private final double[] weights;
  private final double[] part;
  private DoubleParameters params;
  private double objective = Double.NaN;

  /** The data-set operator over {@code selection}, with the kernels this JVM picked. */
  public DoubleDatasetHessian(ModelConfig config, BlockSelection selection,
      List<DoubleBatch> chunks) {
    this(config, selection, chunks, Kernels.f64());
  }

  /** The data-set operator over {@code selection}, with the given kernels. */
  public DoubleDatasetHessian(ModelConfig config, BlockSelection selection, List<DoubleBatch> chunks,
      DoubleKernels kernels) {
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("the data set has no batches");
    }
    this.chunks = List.copyOf(chunks);
    int maxB = 0;
    int maxT = 0;
    long total = 0;
    for (DoubleBatch b : this.chunks) {
      maxB = Math.max(maxB, b.size());
      maxT = Math.max(maxT, b.steps());
      total += b.size();
    }
    this.weights = new double[this.chunks.size()];
    for (int c = 0; c < weights.length; c++) {
      weights[c] = (double) this.chunks.get(c).size() / total;
    }
    this.hvp = new DoubleHessianVectorProduct(config, selection, maxB, maxT, kernels);
    this.part = new double[selection.dimension()];
  }

  /** Fixes the parameters (not copied; must not change while products are taken). Returns J_D. */
  public double prepare(DoubleParameters p) {
    this.params = p;
    double j = 0;
    for (int c = 0; c < weights.length; c++) {
      j += weights[c] * hvp.prepare(p, chunks.get(c));
    }
    objective = j;
    return j;
  }

  /** J_D at the prepared parameters (NaN before {@link #prepare}). */
  public double objective() {
    return objective;
  }

  /** The chunk weights B_c / sum B. */
  public double[] weights() {
    return weights.clone();
  }

  /** The coordinates the operator acts on. */
  public BlockSelection selection() {
    return hvp.selection();
  }

  @Override
  public int dimension() {
    return hvp.dimension();
  }

  @Override
  public void apply(double[] v, double[] out) {
    if (params == null) {
      throw new IllegalStateException("call prepare(params) before taking products");
    }
    if (weights.length == 1) {
      hvp.apply(v, out);
      return;
    }
    java.util.Arrays.fill(out, 0.0);
    for (int c = 0; c < weights.length; c++) {
      hvp.prepare(params, chunks.get(c));
      hvp.apply(v, part);
      double w = weights[c];
      for (int i = 0; i < part.length; i++) {
        out[i] += w * part[i];
      }
    }
  }
}
