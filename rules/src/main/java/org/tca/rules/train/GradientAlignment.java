package org.tca.rules.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatBptt;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.spiking.FloatSpikingGradient;
import org.tca.rules.spiking.SpikingRule;

/**
 * Checkpoint probe: how well a rule's update g follows the true gradient h = dJ/dtheta (BPTT,
 * L2 term included in both; for a {@link SpikingRule}, BPTT through the pseudo-derivative, the
 * surrogate gradient, firing-rate term included) on a fixed batch given at construction:
 *
 * <pre>
 *   cos(g, h) = sum_i g_i h_i / (sqrt(sum_i g_i^2) sqrt(sum_i h_i^2))     (sums in double)
 * </pre>
 *
 * over all parameters ({@code grad_cosine}) and over each trainable block
 * ({@code grad_cosine_W_in}, {@code grad_cosine_W_rec}, {@code grad_cosine_b_rec},
 * {@code grad_cosine_W_out}, {@code grad_cosine_b_out}; absent or frozen blocks are left out),
 * plus the norm ratio |g| / |h| ({@code grad_norm_ratio}). A cosine is NaN when a norm is 0.
 * Reuses its workspaces between calls; not thread-safe.
 */
public final class GradientAlignment implements CheckpointProbe {

  private static final Block[] BLOCKS = Block.values();

  private final FloatLearningRule rule;
  private final FloatLearningRule bptt;
  private final FloatBatch batch;
  private final FloatWorkspace ruleWorkspace;
  private final FloatWorkspace bpttWorkspace;
  private float[] update;
  private float[] truth;

  /** Measures {@code rule} against BPTT on {@code batch} (kept by reference, not copied). */
  public GradientAlignment(FloatLearningRule rule, FloatBatch batch) {
    this(rule, batch, Kernels.f32());
  }

  /** As above, with the kernels the BPTT reference uses. */
  public GradientAlignment(FloatLearningRule rule, FloatBatch batch, FloatKernels kernels) {
    this.rule = rule;
    this.bptt = rule instanceof SpikingRule s
        ? FloatSpikingGradient.bptt(s.spikingConfig(), kernels)
        : new FloatBptt(rule.config(), kernels);
    this.batch = batch;
    this.ruleWorkspace = rule.newWorkspace(batch.size(), batch.steps());
    this.bpttWorkspace = bptt.newWorkspace(batch.size(), batch.steps());
  }

  @Override
  public Map<String, Double> measure(long iteration, double learningRate,
      FloatParameters params) {
    if (update == null || update.length != params.data().length) {
      update = params.newGradient();
      truth = params.newGradient();
    }
    rule.gradient(params, batch, ruleWorkspace, update);
    bptt.gradient(params, batch, bpttWorkspace, truth);
    return compare(params, update, truth);
  }

  /** The metrics of the class comment for an update {@code g} against the gradient {@code h}. */
  public static Map<String, Double> compare(FloatParameters params, float[] g, float[] h) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("grad_cosine", cosine(g, h, 0, g.length));
    for (Block b : BLOCKS) {
      if (params.trainable(b)) {
        BlockView v = params.view(b);
        m.put("grad_cosine_" + b.id(), cosine(g, h, v.offset(), v.end()));
      }
    }
    m.put("grad_norm_ratio", Math.sqrt(dot(g, g, 0, g.length) / dot(h, h, 0, h.length)));
    return Collections.unmodifiableMap(m);
  }

  /** cos(g[from, to), h[from, to)), NaN when either part has norm 0. */
  public static double cosine(float[] g, float[] h, int from, int to) {
    double gg = dot(g, g, from, to);
    double hh = dot(h, h, from, to);
    if (gg == 0 || hh == 0) {
      return Double.NaN;
    }
    return dot(g, h, from, to) / (Math.sqrt(gg) * Math.sqrt(hh));
  }

  private static double dot(float[] a, float[] b, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
